"""The shell's abstract syntax tree.

Two families of nodes:

* **Word parts** (POSIX 2.2 Quoting, 2.6 Word Expansions).  The lexer turns
  the characters of a word into a sequence of parts, remembering for each
  piece whether it was quoted, because quoting decides what the later
  expansion steps (field splitting, pathname expansion) may do to it.
* **Commands** (POSIX 2.9 Shell Commands, grammar in 2.10): simple
  commands, pipelines, and-or lists, sequential lists and the compound
  commands (``( )``, ``{ }``, ``if``, ``while``/``until``, ``for``,
  ``case``) plus function definitions.

Every node is an immutable ``attrs`` class except `HereDoc`: a here-document
body is read by the lexer only when it reaches the end of the line
(POSIX 2.7.4), after the parser has already built the redirection that
names it, so its body is filled in later.
"""

from typing import Optional, Union

import attrs

# ---------------------------------------------------------------------------
# Word parts (2.2 quoting, 2.6 expansions)


@attrs.frozen
class Lit:
    """Unquoted literal text: subject to tilde and pathname expansion, never
    to field splitting (only expansion results are split, 2.6.5)."""

    text: str


@attrs.frozen
class Quoted:
    """Literal text that was quoted (single quotes, a backslash, or the
    literal characters inside double quotes).  ``Quoted("")`` records an
    empty pair of quotes, which still makes a field (``""`` is one empty
    argument)."""

    text: str


@attrs.frozen
class Param:
    """A parameter expansion (2.6.2): ``$name``, ``${name}``,
    ``${name<op>word}``, ``${#name}``.

    ``op`` is one of ``"" ":-" "-" ":=" "=" ":?" "?" ":+" "+" "%" "%%" "#"
    "##" "len"`` and the bash extensions ``":" (substring) "/" "//" "^^"
    ",,"``.  ``arg`` is the word after the operator (``arg2`` the length of
    a substring or the replacement of ``/``).  ``quoted`` says the expansion
    appeared inside double quotes."""

    name: str
    op: str = ""
    arg: Optional["Word"] = None
    arg2: Optional["Word"] = None
    quoted: bool = False


@attrs.frozen
class CommandSub:
    """Command substitution (2.6.3): ``$(list)`` or a backquoted list."""

    body: "Node"
    quoted: bool = False


@attrs.frozen
class Arith:
    """Arithmetic expansion (2.6.4): ``$((expr))``.  The expression is
    itself a word: parameters and command substitutions inside it are
    expanded before it is evaluated."""

    expr: "Word"
    quoted: bool = False


WordPart = Union[Lit, Quoted, Param, CommandSub, Arith]


@attrs.frozen
class Word:
    """A word token: its parts and the source text it came from (kept for
    error messages and reserved-word recognition)."""

    parts: "tuple[WordPart, ...]"
    raw: str = ""

    def literal(self) -> "Optional[str]":
        """The word's text if it is entirely unquoted literal text (the
        only form in which a reserved word is recognized, 2.4)."""
        if len(self.parts) == 1 and isinstance(self.parts[0], Lit):
            return self.parts[0].text
        return None

    @property
    def has_quotes(self) -> bool:
        return any(not isinstance(p, Lit) for p in self.parts)


# ---------------------------------------------------------------------------
# Redirections (2.7)


@attrs.define(eq=False)
class HereDoc:
    """A here-document (2.7.4).  Mutable: the lexer fills ``body`` when it
    reaches the newline after the ``<<`` operator.  ``quoted`` (any quoting
    in the delimiter) makes the body literal; ``strip_tabs`` is ``<<-``."""

    strip_tabs: bool = False
    delimiter: str = ""
    quoted: bool = False
    body: Optional[Word] = None


@attrs.frozen
class Redirect:
    """One redirection: ``[fd]op target``.  ``op`` is one of ``< > >> >|
    <> <& >& << <<- <<< &> &>>``; ``fd`` is None for the operator's default
    (0 for input, 1 for output)."""

    op: str
    target: Word
    fd: Optional[int] = None
    heredoc: Optional[HereDoc] = None


# ---------------------------------------------------------------------------
# Commands (2.9)


@attrs.frozen
class Assign:
    """``name=value`` before a command (or alone); ``append`` is bash's
    ``name+=value``."""

    name: str
    value: Word
    append: bool = False


@attrs.frozen
class SimpleCommand:
    """2.9.1: assignments, words and redirections, in any order."""

    assigns: "tuple[Assign, ...]" = ()
    words: "tuple[Word, ...]" = ()
    redirects: "tuple[Redirect, ...]" = ()
    line: int = 0


@attrs.frozen
class Pipeline:
    """2.9.2: ``[!] cmd | cmd ...``."""

    commands: "tuple[Node, ...]"
    negated: bool = False


@attrs.frozen
class AndOr:
    """2.9.3: ``first && second || third``; ``rest`` pairs an operator with
    a pipeline."""

    first: "Node"
    rest: "tuple[tuple[str, Node], ...]"


@attrs.frozen
class Sequence:
    """2.9.3 lists: ``a; b & c``.  Each item is (command, background)."""

    items: "tuple[tuple[Node, bool], ...]"


@attrs.frozen
class Subshell:
    """2.9.4 ``( compound-list )``: runs in a child process."""

    body: "Node"
    redirects: "tuple[Redirect, ...]" = ()


@attrs.frozen
class BraceGroup:
    """2.9.4 ``{ compound-list ; }``: runs in the current shell."""

    body: "Node"
    redirects: "tuple[Redirect, ...]" = ()


@attrs.frozen
class If:
    """2.9.4 ``if c; then b; elif c; then b; else b; fi``."""

    clauses: "tuple[tuple[Node, Node], ...]"
    else_body: "Optional[Node]" = None
    redirects: "tuple[Redirect, ...]" = ()


@attrs.frozen
class Loop:
    """2.9.4 ``while``/``until`` loops (``until`` inverts the condition)."""

    cond: "Node"
    body: "Node"
    until: bool = False
    redirects: "tuple[Redirect, ...]" = ()


@attrs.frozen
class For:
    """2.9.4 ``for name [in words]; do list; done``; ``words`` None means
    ``in "$@"``."""

    name: str
    words: "Optional[tuple[Word, ...]]"
    body: "Node"
    redirects: "tuple[Redirect, ...]" = ()


@attrs.frozen
class CaseItem:
    patterns: "tuple[Word, ...]"
    body: "Optional[Node]"
    fallthrough: bool = False  # bash ";&"


@attrs.frozen
class Case:
    """2.9.4 ``case word in pattern|pattern) list ;; ... esac``."""

    word: Word
    items: "tuple[CaseItem, ...]"
    redirects: "tuple[Redirect, ...]" = ()


@attrs.frozen
class FunctionDef:
    """2.9.5 ``name() compound-command``."""

    name: str
    body: "Node"


@attrs.frozen
class DoubleBracket:
    """bash ``[[ expression ]]``: the words between the brackets, with
    ``&& || ( ) < >`` kept as plain words."""

    words: "tuple[Word, ...]"
    line: int = 0


Node = Union[
    SimpleCommand, Pipeline, AndOr, Sequence, Subshell, BraceGroup, If, Loop,
    For, Case, FunctionDef, DoubleBracket,
]
