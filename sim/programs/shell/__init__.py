"""The shell: a POSIX ``sh`` (Shell Command Language, XCU chapter 2) that
also serves as ``bash``.

Modules, in the order a command flows through them:

* `lexer`    -- token recognition (2.3) and quoting (2.2)
* `parser`   -- the grammar (2.10), building the `ast`
* `ast`      -- word parts and command nodes
* `expand`   -- word expansions (2.6); `pattern` (2.13) and `arith` (2.6.4)
* `interp`   -- executing commands (2.9) over the simulated system calls
* `builtins` -- built-in utilities (2.14); `test` and `printf` beside them
* `main`     -- invocation (``sh -c``, scripts, stdin, the interactive prompt)

``sh_main`` is exported for busybox, which dispatches ``sh``/``ash`` to it.
"""

from .. import table
from .main import bash_main, sh_main

__all__ = ["sh_main", "bash_main"]

table.register("sh", sh_main, support="partial",
               note="POSIX sh (busybox ash flavour): no job control, aliases are not expanded")
table.register("bash", bash_main, support="partial",
               note="the sh interpreter with bash's messages, prompt, [[ ]], $'...', ${v/p/r}; "
                    "no arrays, no brace expansion")
