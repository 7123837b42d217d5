"""Word expansions (POSIX 2.6), in the order the standard prescribes:

1. tilde expansion (2.6.1), parameter expansion (2.6.2), command
   substitution (2.6.3) and arithmetic expansion (2.6.4), left to right;
2. field splitting (2.6.5) of the *results of unquoted expansions* on the
   characters of ``IFS``;
3. pathname expansion (2.6.6) of fields holding unquoted ``* ? [``;
4. quote removal (2.6.7).

To know what steps 2-4 may touch, step 1 produces *fields* made of
*pieces*, each tagged with how it came to be: ``LITERAL`` (unquoted source
text: globbed, not split), ``QUOTED`` (left alone), ``EXPANDED`` (unquoted
expansion result: split and globbed).  Quote removal is then just joining
the pieces' text, since the lexer already dropped the quote characters.

``"$@"`` is the one expansion that makes several fields out of one word
(2.5.2): each positional parameter becomes its own field.
"""

from typing import TYPE_CHECKING, List, Tuple

from ...abi import S_ISDIR
from ...errors import SimError
from . import pattern
from .ast import Arith, CommandSub, Lit, Param, Quoted, Word

if TYPE_CHECKING:  # pragma: no cover
    from .interp import Shell

LITERAL, QUOTED, EXPANDED = 0, 1, 2

Piece = Tuple[str, int]
Field = List[Piece]


class ExpansionError(Exception):
    """An expansion failed (``${x?}``, a bad arithmetic expression); the
    message is printed after the shell's error prefix."""


# ---------------------------------------------------------------------------
# Entry points


async def expand_words(sh: "Shell", words) -> "List[str]":
    """Full expansion of command words into arguments (all of 2.6)."""
    out: "List[str]" = []
    ifs = sh.get_var("IFS")
    ifs = " \t\n" if ifs is None else ifs
    for word in words:
        fields: "List[Field]" = [[]]
        await _expand_parts(sh, word.parts, fields)
        for field in split_fields(fields, ifs):
            if not sh.options["noglob"] and pattern.has_magic(_segments(field)):
                matches = glob(sh, _segments(field))
                if matches:
                    out.extend(matches)
                    continue
            out.append("".join(text for text, _ in field))
    return out


async def expand_string(sh: "Shell", word: "Word | None", tilde: bool = True) -> str:
    """Expansion without field splitting or pathname expansion, as for
    assignment values, here-documents, ``case`` words and redirection
    targets."""
    if word is None:
        return ""
    fields: "List[Field]" = [[]]
    await _expand_parts(sh, word.parts, fields, tilde=tilde)
    return " ".join("".join(text for text, _ in f) for f in fields)


async def expand_pattern(sh: "Shell", word: "Word | None") -> "List[Tuple[str, bool]]":
    """Expansion of a pattern word: segments of (text, quoted), quoted
    text matching literally (2.13.1)."""
    if word is None:
        return []
    fields: "List[Field]" = [[]]
    await _expand_parts(sh, word.parts, fields)
    segments = []
    for i, f in enumerate(fields):
        if i:
            segments.append((" ", True))
        segments.extend(_segments(f))
    return segments


async def expand_assignment(sh: "Shell", word: Word) -> str:
    """An assignment value: tilde expansion also after each unquoted
    ``:`` (as in ``PATH=~/bin:~/sbin``)."""
    fields: "List[Field]" = [[]]
    parts = list(word.parts)
    await _expand_parts(sh, parts, fields, tilde=True, assignment=True)
    return "".join("".join(text for text, _ in f) for f in fields)


def _segments(field: Field) -> "List[Tuple[str, bool]]":
    return [(text, kind == QUOTED) for text, kind in field]


# ---------------------------------------------------------------------------
# Step 1: tilde, parameter, command and arithmetic expansion


def _add(fields: "List[Field]", text: str, kind: int) -> None:
    fields[-1].append((text, kind))


async def _expand_parts(sh: "Shell", parts, fields: "List[Field]", tilde: bool = True,
                        assignment: bool = False) -> None:
    for i, part in enumerate(parts):
        if isinstance(part, Lit):
            text = part.text
            if tilde and i == 0 and text.startswith("~"):
                text = _tilde(sh, text, fields, assignment)
            if assignment and ":~" in text:
                pieces = text.split(":")
                for j, piece in enumerate(pieces):
                    if j:
                        _add(fields, ":", LITERAL)
                    if j and piece.startswith("~"):
                        piece = _tilde(sh, piece, fields, assignment)
                    _add(fields, piece, LITERAL)
                continue
            _add(fields, text, LITERAL)
        elif isinstance(part, Quoted):
            _add(fields, part.text, QUOTED)
        elif isinstance(part, Param):
            await _expand_param(sh, part, fields)
        elif isinstance(part, CommandSub):
            text = await sh.command_substitution(part.body)
            _add(fields, text, QUOTED if part.quoted else EXPANDED)
        elif isinstance(part, Arith):
            expr = await expand_string(sh, part.expr)
            value = sh.arith(expr)
            _add(fields, str(value), QUOTED if part.quoted else EXPANDED)
        else:  # pragma: no cover
            raise TypeError(part)


def _tilde(sh: "Shell", text: str, fields: "List[Field]", assignment: bool) -> str:
    """2.6.1: ``~`` is $HOME, ``~user`` that user's home directory; the
    result is not split or globbed.  Returns the rest of the text."""
    end = text.find("/")
    prefix = text[1:] if end < 0 else text[1:end]
    rest = "" if end < 0 else text[end:]
    if assignment and ":" in prefix:
        prefix, extra = prefix.split(":", 1)
        rest = ":" + extra + rest
    if prefix == "":
        home = sh.get_var("HOME")
        if home is None:
            home = sh.home_of(None)
    else:
        home = sh.home_of(prefix)
    if home is None:
        return text
    _add(fields, home, QUOTED)
    return rest


async def _expand_param(sh: "Shell", p: Param, fields: "List[Field]") -> None:
    """2.6.2 parameter expansion."""
    name, op = p.name, p.op
    kind = QUOTED if p.quoted else EXPANDED
    if name in ("@", "*") and op == "":
        params = list(sh.positional)
        if p.quoted and name == "*":
            ifs = sh.get_var("IFS")
            sep = " " if ifs is None else ifs[:1]
            _add(fields, sep.join(params), QUOTED)
            return
        for k, value in enumerate(params):
            if k:
                fields.append([])
            _add(fields, value, kind)
        return
    if op == "len":
        if name in ("@", "*"):
            _add(fields, str(len(sh.positional)), kind)
            return
        value = sh.get_param(name)
        if value is None and sh.options["nounset"]:
            raise ExpansionError(sh.unset_message(name))
        _add(fields, str(len(value or "")), kind)
        return
    value = sh.get_param(name)
    is_null = value is None or (op.startswith(":") and value == "")
    if op in (":-", "-"):
        if is_null:
            await _expand_word_in(sh, p, fields)
            return
    elif op in (":=", "="):
        if is_null:
            value = await expand_string(sh, p.arg)
            if not sh.is_name(name):
                raise ExpansionError(f"{name}: bad variable name" if not sh.bash else f"${name}: cannot assign in this way")
            sh.set_var(name, value)
    elif op in (":?", "?"):
        if is_null:
            msg = await expand_string(sh, p.arg) if p.arg and p.arg.parts else ""
            if not msg:
                msg = "parameter null or not set" if (sh.bash or op == ":?") else "parameter not set"
            raise ExpansionError(f"{name}: {msg}")
    elif op in (":+", "+"):
        if not is_null:
            await _expand_word_in(sh, p, fields)
        elif p.quoted:
            _add(fields, "", QUOTED)
        return
    if value is None:
        if sh.options["nounset"] and name not in ("@", "*"):
            raise ExpansionError(sh.unset_message(name))
        value = ""
    if op in ("%", "%%", "#", "##"):
        segs = await expand_pattern(sh, p.arg)
        value = pattern.remove_affix(value, segs, op)
    elif op in ("/", "//"):
        segs = await expand_pattern(sh, p.arg)
        rep = await expand_string(sh, p.arg2)
        value = pattern.replace(value, segs, rep, op == "//")
    elif op == ":":
        offset = sh.arith(await expand_string(sh, p.arg))
        if offset < 0:
            offset = max(0, len(value) + offset)
        if p.arg2 is not None:
            length = sh.arith(await expand_string(sh, p.arg2))
            end = offset + length if length >= 0 else len(value) + length
            value = value[offset:max(offset, end)]
        else:
            value = value[offset:]
    elif op == "^^":
        value = value.upper()
    elif op == ",,":
        value = value.lower()
    _add(fields, value, kind)


async def _expand_word_in(sh: "Shell", p: Param, fields: "List[Field]") -> None:
    """The word of ``${x:-word}``/``${x:+word}``: inside double quotes the
    whole result is quoted; unquoted, it keeps its own quoting."""
    if p.quoted:
        sub: "List[Field]" = [[]]
        await _expand_parts(sh, p.arg.parts, sub)
        for i, f in enumerate(sub):
            if i:
                fields.append([])
            _add(fields, "".join(text for text, _ in f), QUOTED)
    else:
        await _expand_parts(sh, p.arg.parts, fields)


# ---------------------------------------------------------------------------
# Step 2: field splitting (2.6.5)


def split_fields(fields: "List[Field]", ifs: str) -> "List[Field]":
    out: "List[Field]" = []
    white = {c for c in ifs if c in " \t\n"}
    other = {c for c in ifs if c not in " \t\n"}
    for field in fields:
        out.extend(_split_one(field, white, other))
    return out


def _split_one(field: Field, white: set, other: set) -> "List[Field]":
    result: "List[Field]" = []
    cur: Field = []
    has = False          # the current field has content (or quotes)
    after_white = False  # just passed an IFS-whitespace delimiter
    for text, kind in field:
        if kind != EXPANDED or not (white or other):
            if text or kind == QUOTED:
                cur.append((text, kind))
                has = True
                after_white = False
            continue
        run = []
        for ch in text:
            if ch in white:
                if run:
                    cur.append(("".join(run), kind))
                    run = []
                    has = True
                if has:
                    result.append(cur)
                    cur, has = [], False
                    after_white = True
            elif ch in other:
                if run:
                    cur.append(("".join(run), kind))
                    run = []
                    has = True
                if has or not after_white:
                    result.append(cur)
                cur, has = [], False
                after_white = False
            else:
                run.append(ch)
                after_white = False
        if run:
            cur.append(("".join(run), kind))
            has = True
    if has:
        result.append(cur)
    return result


# ---------------------------------------------------------------------------
# Step 3: pathname expansion (2.6.6, 2.13.3)


def glob(sh: "Shell", segments: "List[Tuple[str, bool]]") -> "List[str]":
    """The sorted pathnames matching a pattern; ``/`` separates components
    and is never matched by a wildcard; a leading ``.`` must be matched
    explicitly."""
    components: "List[List[Tuple[str, bool]]]" = [[]]
    for text, quoted in segments:
        chunks = text.split("/")
        for j, chunk in enumerate(chunks):
            if j:
                components.append([])
            if chunk:
                components[-1].append((chunk, quoted))
    proc = sh.proc
    absolute = not components[0]
    if absolute:
        components = components[1:]
    want_dir = bool(components) and not components[-1]
    if want_dir:
        components = components[:-1]
    paths = ["/" if absolute else ""]
    for index, comp in enumerate(components):
        last = index == len(components) - 1
        new = []
        if not comp:  # "//"
            new = paths
        elif not pattern.has_magic(comp):
            name = "".join(t for t, _ in comp)
            for base in paths:
                candidate = base + name
                try:
                    proc.lstat(candidate)
                except SimError:
                    continue
                new.append(candidate)
        else:
            rx = pattern.compile_pattern(comp)
            explicit_dot = comp[0][0].startswith(".")
            for base in paths:
                try:
                    names = proc.listdir(base or ".")
                except SimError:
                    continue
                for n in sorted(names):
                    if n.startswith(".") and not explicit_dot:
                        continue
                    if rx.fullmatch(n):
                        new.append(base + n)
        paths = new if last else [p + "/" for p in new if _is_dir(proc, p)]
        if not paths:
            return []
    if want_dir:
        paths = [p + "/" for p in paths if _is_dir(proc, p)]
    return sorted(paths)


def _is_dir(proc, path: str) -> bool:
    try:
        return S_ISDIR(proc.stat(path).mode)
    except SimError:
        return False
