"""Lexer and parser of the simulated shell (pure: no kernel)."""

import pytest

from dockersim.sim.programs.shell import arith, pattern
from dockersim.sim.programs.shell.ast import (
    AndOr, Arith, BraceGroup, Case, CommandSub, For, FunctionDef, If, Lit, Loop, Param,
    Pipeline, Quoted, Sequence, SimpleCommand, Subshell,
)
from dockersim.sim.programs.shell.lexer import Incomplete, Lexer, ShellSyntaxError
from dockersim.sim.programs.shell.parser import Parser, parse_program


def tokens(src):
    lexer = Lexer(src)
    out = []
    while True:
        tok = lexer.next()
        if tok.kind == "EOF":
            return out
        out.append((tok.kind, tok.value))


def words(node):
    return [w.raw for w in node.words]


# -- lexer (2.3) ----------------------------------------------------------------


def test_operators_and_words():
    assert tokens("a&&b||c;d&e|f") == [
        ("WORD", "a"), ("OP", "&&"), ("WORD", "b"), ("OP", "||"), ("WORD", "c"), ("OP", ";"),
        ("WORD", "d"), ("OP", "&"), ("WORD", "e"), ("OP", "|"), ("WORD", "f")]


def test_io_number_only_before_redirection():
    assert tokens("echo 2>x 2 >y") == [
        ("WORD", "echo"), ("IO_NUMBER", "2"), ("OP", ">"), ("WORD", "x"), ("WORD", "2"),
        ("OP", ">"), ("WORD", "y")]


def test_comments_and_continuations():
    assert [k for k, _ in tokens("echo a # comment\necho b\\\nc")] == [
        "WORD", "WORD", "NEWLINE", "WORD", "WORD"]
    assert parse_program("echo b\\\nc").words[1].parts == (Lit("bc"),)
    assert tokens("echo a#b") == [("WORD", "echo"), ("WORD", "a#b")]


def test_quoting_parts():
    word = Lexer("a'b c'\"d $x\"\\ e").next().word
    assert word.parts == (Lit("a"), Quoted("b c"), Quoted("d "), Param("x", quoted=True), Quoted(" "), Lit("e"))


def test_empty_quotes_make_a_part():
    assert Lexer("''").next().word.parts == (Quoted(""),)
    assert Lexer('""').next().word.parts == (Quoted(""),)


def test_parameter_forms():
    def part(src):
        return Lexer(src).next().word.parts[0]

    assert part("$HOME") == Param("HOME")
    assert part("${HOME}") == Param("HOME")
    assert part("$1") == Param("1") and part("${10}") == Param("10")
    assert part("$?").name == "?" and part("$#").name == "#" and part("$@").name == "@"
    assert part("${#x}") == Param("x", "len")
    p = part("${x:-a b}")
    assert p.op == ":-" and p.arg.parts == (Lit("a b"),)
    for op in ("-", ":=", "=", ":?", "?", ":+", "+", "%", "%%", "#", "##"):
        assert part("${x" + op + "w}").op == op


def test_command_substitution_is_parsed_recursively():
    part = Lexer("$(case x in x) echo ')';; esac)").next().word.parts[0]
    assert isinstance(part, CommandSub) and isinstance(part.body, Case)
    back = Lexer("`echo \\`date\\``").next().word.parts[0]
    assert isinstance(back, CommandSub)
    assert isinstance(back.body.words[1].parts[0], CommandSub)


def test_arithmetic_expansion():
    part = Lexer("$((1 + (2*3)))").next().word.parts[0]
    assert isinstance(part, Arith) and part.expr.raw == "1 + (2*3)"


def test_ansi_c_quotes():
    assert Lexer("$'a\\tb\\n'").next().word.parts == (Quoted("a\tb\n"),)


def test_unterminated_quote_is_incomplete():
    with pytest.raises(Incomplete):
        tokens("echo 'abc")
    with pytest.raises(Incomplete):
        tokens('echo "abc')


def test_heredoc_bodies():
    node = parse_program("cat <<EOF; echo next\nline $x\nEOF\necho after")
    first = node.items[0][0].items[0][0]
    heredoc = first.redirects[0].heredoc
    assert heredoc.delimiter == "EOF" and not heredoc.quoted
    assert heredoc.body.parts == (Quoted("line "), Param("x", quoted=True), Quoted("\n"))
    assert words(node.items[1][0]) == ["echo", "after"]


def test_heredoc_quoted_delimiter_and_tab_stripping():
    node = parse_program("cat <<-'E'\n\t$x\n\tE\n")
    heredoc = node.redirects[0].heredoc
    assert heredoc.quoted and heredoc.body.parts == (Quoted("$x\n"),)


def test_heredoc_missing_delimiter_when_more_input_may_come():
    with pytest.raises(Incomplete):
        Parser(Lexer("cat <<EOF\nabc\n", final=False)).parse_next()


# -- parser (2.10) ----------------------------------------------------------------


def test_simple_command_with_assignments_and_redirections():
    node = parse_program("A=1 B=2 cmd x >out 2>&1 <in")
    assert isinstance(node, SimpleCommand)
    assert [a.name for a in node.assigns] == ["A", "B"]
    assert words(node) == ["cmd", "x"]
    assert [(r.fd, r.op, r.target.raw) for r in node.redirects] == [
        (None, ">", "out"), (2, ">&", "1"), (None, "<", "in")]


def test_assignment_only_in_prefix():
    node = parse_program("echo A=1")
    assert not node.assigns and words(node) == ["echo", "A=1"]


def test_lists_pipelines_and_or():
    node = parse_program("! a | b && c || d; e &")
    assert isinstance(node, Sequence)
    (andor, bg1), (e, bg2) = node.items
    assert not bg1 and bg2
    assert isinstance(andor, AndOr) and [op for op, _ in andor.rest] == ["&&", "||"]
    assert isinstance(andor.first, Pipeline) and andor.first.negated
    assert len(andor.first.commands) == 2


def test_compound_commands():
    assert isinstance(parse_program("if a; then b; elif c; then d; else e; fi"), If)
    assert isinstance(parse_program("while a; do b; done"), Loop)
    assert parse_program("until a\ndo\nb\ndone").until
    node = parse_program("for i in 1 2; do echo $i; done")
    assert isinstance(node, For) and [w.raw for w in node.words] == ["1", "2"]
    assert parse_program("for i; do :; done").words is None
    assert isinstance(parse_program("{ a; b; }"), BraceGroup)
    assert isinstance(parse_program("(a; b) >f"), Subshell)


def test_case_clause():
    node = parse_program("case $x in\n a|b) echo ab;;\n (*.txt) echo t\n ;;\n *) ;;\nesac")
    assert [[w.raw for w in item.patterns] for item in node.items] == [["a", "b"], ["*.txt"], ["*"]]
    assert node.items[2].body is None


def test_function_definition():
    node = parse_program("f() { echo hi; }")
    assert isinstance(node, FunctionDef) and node.name == "f"
    assert isinstance(node.body, BraceGroup)


def test_reserved_words_only_in_command_position():
    node = parse_program("echo if then fi")
    assert words(node) == ["echo", "if", "then", "fi"]


@pytest.mark.parametrize("src, token", [
    ("fi", "fi"), ("if true; then fi", "fi"), ("echo a; do", "do"), ("a | | b", "|"),
    ("( )", ")"), ("echo a )", ")"),
])
def test_syntax_errors(src, token):
    with pytest.raises(ShellSyntaxError) as info:
        parse_program(src)
    assert info.value.token == token


@pytest.mark.parametrize("src", ["if true; then", "while true", "{ echo", "echo a |", "case x in"])
def test_unfinished_input_is_incomplete(src):
    with pytest.raises(Incomplete):
        parse_program(src)


def test_parse_next_one_command_at_a_time():
    parser = Parser(Lexer("echo a\necho b; fi\n"))
    assert words(parser.parse_next()) == ["echo", "a"]
    with pytest.raises(ShellSyntaxError):
        parser.parse_next()


# -- arithmetic and patterns ----------------------------------------------------


def test_arithmetic():
    env = {"x": "5", "e": "x*2"}

    def get(name):
        return env.get(name)

    def set_(name, value):
        env[name] = value

    assert arith.evaluate("1 + 2 * 3", get, set_) == 7
    assert arith.evaluate("(1 + 2) * 3", get, set_) == 9
    assert arith.evaluate("x % 3 == 2 && x > 4", get, set_) == 1
    assert arith.evaluate("-7 / 2", get, set_) == -3
    assert arith.evaluate("e + 1", get, set_) == 11
    assert arith.evaluate("y += 4, y * 2", get, set_) == 8 and env["y"] == "4"
    assert arith.evaluate("0 && (z = 1)", get, set_) == 0 and "z" not in env
    assert arith.evaluate("0x10 + 010", get, set_) == 24
    assert arith.evaluate("x > 3 ? 1 : 2", get, set_) == 1
    with pytest.raises(arith.ArithError):
        arith.evaluate("1 / 0", get, set_)
    with pytest.raises(arith.ArithError):
        arith.evaluate("1 +", get, set_)


def test_patterns():
    assert pattern.matches([("*.txt", False)], "a.txt")
    assert not pattern.matches([("*.txt", True)], "a.txt")
    assert pattern.matches([("[!a-c]?", False)], "dz")
    assert pattern.matches([("[[:digit:]]*", False)], "1abc")
    assert pattern.remove_affix("a.tar.gz", [(".*", False)], "%") == "a.tar"
    assert pattern.remove_affix("a.tar.gz", [(".*", False)], "%%") == "a"
    assert pattern.remove_affix("/usr/local/bin", [("*/", False)], "#") == "usr/local/bin"
    assert pattern.remove_affix("/usr/local/bin", [("*/", False)], "##") == "bin"
