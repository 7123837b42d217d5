"""The interactive shells' line editor: busybox ash's lineedit and bash's
readline, reduced to what a terminal user types.

When the shell is interactive and its stdin is a terminal in the ordinary
(canonical, echoing) mode, it reads the command line itself: it saves the
terminal's modes, clears ``ICANON``, ``ECHO``/``ECHONL`` and ``ISIG`` (so
^C is a byte it handles), reads one byte at a time (what it does not take
stays in the terminal for the command that runs next) and echoes and edits
on its own; before the line is returned the saved modes come back, so the
command runs on the terminal as it was.  A terminal somebody left without
echo or in raw mode (``stty -echo``, ``stty raw``) is read as before,
through the terminal's own line discipline (busybox falls back to fgets).

Keys: printable characters insert at the cursor; Enter (\\r or \\n) ends
the line; DEL and ^H erase backwards; ^U erases to the start of the line,
^W the word before the cursor; ^C prints ``^C`` and throws the line away;
^D ends the input on an empty line, deletes under the cursor otherwise;
Left/Right (``ESC [ D``/``ESC [ C``), ^B/^F, Home/End (``ESC [ H``/``ESC [
F``, ``ESC [ 1 ~``/``ESC [ 4 ~``, ^A/^E) move; Delete (``ESC [ 3 ~``);
Up/Down (``ESC [ A``/``ESC [ B``, ^P/^N) walk the history; bash's ^R is
readline's reverse incremental search.
"""

from ...abi import Signal
from ...errors import Interrupted, SimError
from ...io import termios as T

#: The modes cleared while the line is edited (busybox's read_line_input).
EDIT_OFF = T.ICANON | T.ECHO | T.ECHONL | T.ISIG

CLEAR_EOL = "\x1b[K"


class LineInterrupted(Exception):
    """^C while editing: the line was thrown away."""


def can_edit(proc, fd: int):
    """The terminal's modes when the editor may take over (canonical with
    echo), else None."""
    try:
        if not proc.isatty(fd):
            return None
        saved = proc.tcgetattr(fd)
    except SimError:
        return None
    if (saved.lflag & (T.ICANON | T.ECHO)) != (T.ICANON | T.ECHO):
        return None
    return saved


class LineEditor:
    """One shell's editor and history."""

    def __init__(self, sh, fd: int = 0):
        self.sh = sh
        self.fd = fd
        self.history = sh.history

    # -- reading keys ---------------------------------------------------------------------------
    async def _byte(self):
        """The next byte typed, or None at end of input.  Signals that
        arrive meanwhile run their traps; SIGWINCH redraws the line."""
        proc = self.sh.proc
        while True:
            try:
                data = await proc.read(self.fd, 1)
            except Interrupted:
                signals = proc.take_signals()
                if Signal.SIGINT in signals and self.sh.interactive:
                    raise LineInterrupted()
                if Signal.SIGWINCH in signals:
                    signals = [s for s in signals if s != Signal.SIGWINCH]
                    await self._redraw()
                self.sh.pending_signals.extend(signals)
                await self.sh.run_pending_traps()
                continue
            except SimError:
                return None
            return data[0] if data else None

    async def _out(self, text: str) -> None:
        await self.sh.write_stderr(text)

    # -- the line -------------------------------------------------------------------------------
    def _prompt(self) -> str:
        return self.sh.last_prompt or ""

    async def _redraw(self) -> None:
        """Back to the start of the line: the prompt, the text, the cursor
        where it was."""
        # (On an empty line the prompt alone, as the canonical reader did.)
        await self._out("\r" + self._prompt() + self.text + (CLEAR_EOL if self.text else "")
                        + "\b" * (len(self.text) - self.pos))

    async def _replace(self, text: str) -> None:
        self.text, self.pos = text, len(text)
        await self._out("\r" + self._prompt() + text + CLEAR_EOL)

    async def _insert(self, s: str) -> None:
        rest = self.text[self.pos:]
        self.text = self.text[:self.pos] + s + rest
        self.pos += len(s)
        await self._out(s + rest + "\b" * len(rest))

    async def _delete_back(self, n: int) -> None:
        """Erase ``n`` characters before the cursor."""
        n = min(n, self.pos)
        if not n:
            return
        rest = self.text[self.pos:]
        self.text = self.text[:self.pos - n] + rest
        self.pos -= n
        if not rest:
            await self._out("\b \b" * n)
        else:
            await self._out("\b" * n + rest + " " * n + "\b" * (len(rest) + n))

    async def _delete_here(self) -> None:
        if self.pos >= len(self.text):
            return
        rest = self.text[self.pos + 1:]
        self.text = self.text[:self.pos] + rest
        await self._out(rest + " " + "\b" * (len(rest) + 1))

    async def _move(self, to: int) -> None:
        to = max(0, min(to, len(self.text)))
        if to < self.pos:
            await self._out("\b" * (self.pos - to))
        elif to > self.pos:
            await self._out(self.text[self.pos:to])
        self.pos = to

    async def _history_step(self, step: int) -> None:
        index = self.index + step
        if index < 0 or index > len(self.history):
            return
        if self.index == len(self.history):
            self.typed = self.text  # what was being typed comes back at the bottom
        self.index = index
        await self._replace(self.typed if index == len(self.history) else self.history[index])

    async def _escape(self) -> None:
        """The rest of an escape sequence (CSI or SS3)."""
        b = await self._byte()
        if b not in (ord("["), ord("O")):
            return
        params = ""
        while True:
            b = await self._byte()
            if b is None:
                return
            c = chr(b)
            if c.isdigit() or c == ";":
                params += c
                continue
            break
        key = c if c != "~" else {"1": "H", "7": "H", "4": "F", "8": "F", "3": "del"}.get(params, "")
        if key == "A":
            await self._history_step(-1)
        elif key == "B":
            await self._history_step(1)
        elif key == "C":
            await self._move(self.pos + 1)
        elif key == "D":
            await self._move(self.pos - 1)
        elif key == "H":
            await self._move(0)
        elif key == "F":
            await self._move(len(self.text))
        elif key == "del":
            await self._delete_here()

    async def _reverse_search(self):
        """bash's ^R: ``(reverse-i-search)`query': match``.  Returns the
        byte that ended the search (None for ^G/^C: the line is kept as
        it was)."""
        query, found = "", len(self.history)
        match = ""
        original = self.text

        async def show(failed=False):
            label = "(failed reverse-i-search)" if failed else "(reverse-i-search)"
            await self._out(f"\r{label}`{query}': {match}{CLEAR_EOL}")

        def search(start):
            for i in range(start, -1, -1):
                if query in self.history[i]:
                    return i
            return None

        await show()
        while True:
            b = await self._byte()
            if b is None or b in (0x07, 0x03):
                self.text, self.pos = original, len(original)
                await self._redraw()
                return None  # at end of input the next read says so again
            if b == 0x12:  # ^R again: the next older match
                i = search(found - 1) if query else None
                failed = i is None and bool(query)
                if i is not None:
                    found, match = i, self.history[i]
                await show(failed)
                continue
            if b in (0x7f, 0x08):
                query = query[:-1]
                i = search(len(self.history) - 1) if query else None
                found = i if i is not None else len(self.history)
                match = self.history[i] if i is not None else ""
                await show()
                continue
            if b >= 0x20 and b != 0x7f:
                query += chr(b)
                i = search(min(found, len(self.history) - 1))
                failed = i is None
                if i is not None:
                    found, match = i, self.history[i]
                await show(failed)
                continue
            # Any other key ends the search with the match on the line.
            self.text = match or original
            self.pos = len(self.text)
            if found < len(self.history):
                self.index = found
            await self._redraw()
            return b

    # -- the whole line -------------------------------------------------------------------------
    async def readline(self, saved):
        """One line as typed, with its newline; None at end of input."""
        proc = self.sh.proc
        mode = T.Termios(saved.iflag, saved.oflag, saved.cflag, saved.lflag & ~EDIT_OFF,
                         saved.cc).with_cc(T.VMIN, 1).with_cc(T.VTIME, 0)
        proc.tcsetattr(self.fd, mode)
        try:
            line = await self._edit()
        finally:
            try:
                proc.tcsetattr(self.fd, saved)
            except SimError:
                pass
        if line is not None and line.strip():
            self.history.append(line)
        return None if line is None else line + "\n"

    async def _edit(self):
        self.text, self.pos = "", 0
        self.index, self.typed = len(self.history), ""
        pending = b""
        b = await self._byte()
        while True:
            if b is None:
                if self.text:
                    await self._out("\n")
                    return self.text
                return None
            again = None
            if b in (0x0d, 0x0a):
                await self._out("\n")
                return self.text
            if b == 0x03:
                await self._out("^C")
                raise LineInterrupted()
            if b == 0x04:
                if not self.text:
                    return None
                await self._delete_here()
            elif b in (0x7f, 0x08):
                await self._delete_back(1)
            elif b == 0x15:
                await self._delete_back(self.pos)
            elif b == 0x17:
                i = self.pos
                while i and self.text[i - 1] == " ":
                    i -= 1
                while i and self.text[i - 1] != " ":
                    i -= 1
                await self._delete_back(self.pos - i)
            elif b == 0x0b:  # ^K: to the end of the line
                self.text = self.text[:self.pos]
                await self._out(CLEAR_EOL)
            elif b == 0x01:
                await self._move(0)
            elif b == 0x05:
                await self._move(len(self.text))
            elif b == 0x02:
                await self._move(self.pos - 1)
            elif b == 0x06:
                await self._move(self.pos + 1)
            elif b == 0x10:
                await self._history_step(-1)
            elif b == 0x0e:
                await self._history_step(1)
            elif b == 0x0c:  # ^L: clear the screen, the line again on top
                await self._out("\x1b[H\x1b[J")
                await self._redraw()
            elif b == 0x12 and self.sh.bash:
                again = await self._reverse_search()
            elif b == 0x1b:
                await self._escape()
            elif b >= 0x20:
                pending += bytes([b])
                try:
                    text = pending.decode("utf-8")
                except UnicodeDecodeError:
                    if len(pending) < 4:
                        b = await self._byte()
                        continue
                    text = pending.decode("utf-8", "replace")
                pending = b""
                await self._insert(text)
            b = again if again is not None else await self._byte()
