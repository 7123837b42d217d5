"""buildkit's Dockerfile parser, checked by hand (the oracle test covers the
common ground with Go; these pin v0.22.0 specifics and our API)."""

import pytest

from dockersim.daemon.builder import parser
from dockersim.daemon.builder.parser import ParseError, parse, parse_heredoc


def nodes(text):
    return parse(text).children


def test_node_fields():
    (frm, run) = nodes("FROM --platform=linux/arm64 alpine AS b\nRUN --network=none echo \\\n  hi\n")
    assert (frm.value, frm.flags, frm.values, frm.location) == (
        "FROM", ("--platform=linux/arm64",), ("alpine", "AS", "b"), (1, 1))
    assert (run.value, run.flags, run.values, run.original, run.location, run.json) == (
        "RUN", ("--network=none",), ("echo   hi",), "RUN --network=none echo   hi", (2, 3), False)


def test_env_triples_mark_the_legacy_form():
    env, legacy = nodes("ENV a=1 b=\"2 3\"\nENV k v w\n")
    assert env.values == ("a", "1", "=", "b", '"2 3"', "=")
    assert legacy.values == ("k", "v w", "")


def test_onbuild_keeps_the_trigger_as_sub_node():
    (node,) = nodes("ONBUILD COPY --from=x a b\n")
    assert node.values == () and node.sub.value == "COPY"
    assert node.sub.flags == ("--from=x",)
    assert node.args == ("COPY", "a", "b")


def test_onbuild_heredoc_belongs_to_the_onbuild_node():
    (node,) = nodes("ONBUILD RUN <<EOF\necho\nEOF\n")
    assert [(h.name, h.content) for h in node.heredocs] == [("EOF", "echo\n")]
    assert node.location == (1, 3)


def test_unknown_instruction_keeps_an_empty_value():
    (node,) = nodes("FOO bar")
    assert node.values == ("",)


def test_healthcheck_values():
    a, b, c = nodes("HEALTHCHECK --retries=2 CMD [\"a\"]\nHEALTHCHECK NONE\nHEALTHCHECK CMD  a  b\n")
    assert (a.flags, a.values, a.json) == (("--retries=2",), ("CMD", "a"), True)
    assert b.values == ("NONE",)
    assert (c.values, c.json) == (("CMD", "a  b"), False)


def test_directives():
    r = parse("# Syntax = docker/dockerfile:1.7\n#check=error=true\n# escape=`\nFROM x\n")
    assert [(d.name, d.value, d.line) for d in r.directives] == [
        ("syntax", "docker/dockerfile:1.7", 1), ("check", "error=true", 2), ("escape", "`", 3)]
    assert r.escape_token == "`"


def test_directive_lines_are_not_doc_comments():
    (_, arg) = nodes("# escape=\\\n# the base\nFROM x\n# NAME the name\nARG NAME\n")
    assert arg.prev_comment == ("NAME the name",)


def test_prev_comment_keeps_consecutive_comments_and_resets_on_empty_comment():
    (_, a, b) = nodes("FROM x\n# one\n# two\nRUN a\n# three\n#\n# four\nRUN b\n")
    assert a.prev_comment == ("one", "two")
    assert b.prev_comment == ("four",)


@pytest.mark.parametrize("text, message", [
    ("# escape=`\n# ESCAPE=\\\nFROM x\n", "only one escape parser directive can be used"),
    ("# check=a\n# check=b\nFROM x\n", "only one check parser directive can be used"),
    ("# escape=ab\nFROM x\n", "invalid escape token 'ab' does not match ` or \\"),
    ("FROM x\nRUN <<EOF\n", "unterminated heredoc"),
    ("FROM x\nRUN <<A <<B\nA\n", "unterminated heredoc"),
    ("", "file with no instructions"),
    ("\n\n# only\n   \n", "file with no instructions"),
    ("FROM x\nCMD [\"a\", null]\n", "when using JSON array syntax, arrays must be comprised of strings only"),
    ("FROM x\nENV a\n", "ENV must have two arguments"),
    ("FROM x\nLABEL a=b c\n", "Syntax error - can't find = in \"c\". Must be of the form: name=value"),
])
def test_errors(text, message):
    with pytest.raises(ParseError) as e:
        parse(text)
    assert str(e.value) == message


def test_error_location():
    with pytest.raises(ParseError) as e:
        parse("FROM x\nENV a=b \\\n  c\n")
    assert (e.value.start_line, e.value.end_line) == (2, 3)


def test_empty_continuation_warning():
    r = parse("FROM x\nRUN a \\\n\n  b\n")
    assert [w.short for w in r.warnings] == ["Empty continuation line found in: RUN a   b"]
    assert r.warnings[0].url == "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/"
    assert r.warnings_text() == (
        "[WARNING]: Empty continuation line found in: RUN a   b\n"
        "[WARNING]: Empty continuation lines will become errors in a future release.\n")
    assert parse("FROM x\n").warnings_text() == ""


def test_heredoc_words():
    assert parse_heredoc("<<EOF") == parser.Heredoc("EOF")
    assert parse_heredoc("<<-'EOF'") == parser.Heredoc("EOF", expand=False, chomp=True)
    assert parse_heredoc('3<<E"O"F') == parser.Heredoc("EOF", file_descriptor=3, expand=False)
    assert parse_heredoc("<<") is None
    assert parse_heredoc("<<a b") is None
    assert parse_heredoc("x<<EOF") is None


def test_heredoc_body_keeps_line_endings_and_chomp_is_left_to_the_reader():
    (_, run) = nodes("FROM x\nRUN <<-EOF\r\n\ta\r\n\tEOF\r\n")
    assert run.heredocs[0].content == "\ta\r\n"
    assert parser.chomp_heredoc_content("\ta\n\t\tb\n") == "a\nb\n"


def test_heredoc_only_for_run_copy_add_not_json():
    (_, cmd, run) = nodes("FROM x\nCMD <<EOF\nRUN [\"<<EOF\"]\n")
    assert cmd.heredocs == () and run.heredocs == ()


def test_bytes_input_and_bom():
    (node,) = nodes(b"\xef\xbb\xbfFROM x\n")
    assert node.value == "FROM"


def test_non_ascii_in_flags_is_read_byte_by_byte_like_go():
    (node,) = nodes("COPY --chown=\u00e9 a b\n")
    assert node.flags == ("--chown=\u00c3\u00a9",)


def test_double_dash_ends_flags():
    (node,) = nodes("COPY --from=a -- --b c\n")
    assert (node.flags, node.values) == (("--from=a",), ("--b", "c"))


def test_line_too_long():
    with pytest.raises(ParseError) as e:
        parse("FROM x\nRUN " + "a" * 70000 + "\n")
    assert str(e.value) == "dockerfile line greater than max allowed size of 65535"
    # just under the limit is fine
    assert nodes("FROM x\nRUN " + "a" * (65535 - 4) + "\n")[1].values[0] == "a" * 65531


def test_too_long_before_any_instruction_reads_as_empty():
    with pytest.raises(ParseError) as e:
        parse("# " + "a" * 70000 + "\nFROM x\n")
    assert str(e.value) == "file with no instructions"
