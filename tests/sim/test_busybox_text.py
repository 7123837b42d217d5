"""Text applets: head, tail, wc, grep, sed, sort, uniq, cut, tr, tee, xargs."""

import pytest

from .helpers import run_program

TEXT = "hello world\nfoo bar\nHello again\na(b)c x+y\nlast line\n"
FILES = {"/t": TEXT, "/n": "10\n9\n100\n-1\n9\n"}


def run(*argv, **kw):
    kw.setdefault("files", FILES)
    return run_program(list(argv), **kw)


def test_head_tail():
    assert run("head", "-n", "2", "/t").out == "hello world\nfoo bar\n"
    assert run("head", "-2", "/t").out == "hello world\nfoo bar\n"
    assert run("head", "-c", "5", "/t").out == "hello"
    assert run("tail", "-n", "1", "/t").out == "last line\n"
    assert run("tail", "-n", "+4", "/t").out == "a(b)c x+y\nlast line\n"
    assert run("tail", "-c", "5", "/t").out == "line\n"
    r = run("head", "-n", "1", "/t", "/n")
    assert r.out == "==> /t <==\nhello world\n\n==> /n <==\n10\n"
    r = run("head", "/nosuch")
    assert (r.exit_code, r.err) == (1, "head: can't open '/nosuch': No such file or directory\n")
    assert run("head", "-n", "1", stdin="a\nb\n").out == "a\n"


def test_wc_busybox_spacing():
    assert run("wc", "/t").out == "        5        10        52 /t\n"
    assert run("wc", "-l", "/t").out == "5 /t\n"
    assert run("wc", "-l", stdin="a\nb\n").out == "2\n"
    assert run("wc", stdin="a b\n").out == "        1         2         4\n"
    assert run("wc", "-l", "/t", "/n").out == "        5 /t\n        5 /n\n       10 total\n"


@pytest.mark.parametrize("argv,out,code", [
    (["grep", "hello", "/t"], "hello world\n", 0),
    (["grep", "-i", "hello", "/t"], "hello world\nHello again\n", 0),
    (["grep", "-v", "o", "/t"], "a(b)c x+y\nlast line\n", 0),
    (["grep", "-n", "again", "/t"], "3:Hello again\n", 0),
    (["grep", "-c", "l", "/t"], "3\n", 0),
    (["grep", "-l", "foo", "/t", "/n"], "/t\n", 0),
    (["grep", "a(b)c", "/t"], "a(b)c x+y\n", 0),
    (["grep", "x+y", "/t"], "a(b)c x+y\n", 0),
    (["grep", "-E", "fo+ b", "/t"], "foo bar\n", 0),
    (["grep", "fo\\+ b", "/t"], "foo bar\n", 0),
    (["grep", "-F", "(b)", "/t"], "a(b)c x+y\n", 0),
    (["grep", "-o", "[[:upper:]][a-z]*", "/t"], "Hello\n", 0),
    (["grep", "-w", "line", "/t"], "last line\n", 0),
    (["grep", "-x", "foo bar", "/t"], "foo bar\n", 0),
    (["grep", "-e", "foo", "-e", "last", "/t"], "foo bar\nlast line\n", 0),
    (["grep", "^h.*d$", "/t"], "hello world\n", 0),
    (["grep", "\\(l\\)\\1", "/t"], "hello world\nHello again\n", 0),
    (["grep", "nomatch", "/t"], "", 1),
    (["grep", "-q", "foo", "/t"], "", 0),
    (["grep", "9", "/t", "/n"], "/n:9\n/n:9\n", 0),
])
def test_grep(argv, out, code):
    r = run(*argv)
    assert (r.out, r.exit_code) == (out, code)


def test_grep_errors_and_recursive():
    r = run("grep", "x", "/nosuch")
    assert (r.exit_code, r.err) == (2, "grep: /nosuch: No such file or directory\n")
    r = run("grep", "-r", "root", "/etc")
    assert "/etc/passwd:root:x:0:0:root:/root:/bin/sh\n" in r.out


@pytest.mark.parametrize("argv,out", [
    (["sed", "s/o/0/", "/t"], "hell0 world\nf0o bar\nHell0 again\na(b)c x+y\nlast line\n"),
    (["sed", "s/o/0/g", "/n"], "10\n9\n100\n-1\n9\n"),
    (["sed", "-n", "2p", "/t"], "foo bar\n"),
    (["sed", "-n", "$p", "/t"], "last line\n"),
    (["sed", "2,4d", "/t"], "hello world\nlast line\n"),
    (["sed", "/foo/,/again/d", "/t"], "hello world\na(b)c x+y\nlast line\n"),
    (["sed", "-n", "/^[Hh]ello/p", "/t"], "hello world\nHello again\n"),
    (["sed", "s/hello/bye/Ig", "/t"], "bye world\nfoo bar\nbye again\na(b)c x+y\nlast line\n"),
    (["sed", "-e", "s/\\(foo\\) \\(bar\\)/\\2 \\1/", "-e", "3q", "/t"], "hello world\nbar foo\nHello again\n"),
    (["sed", "-E", "-n", "-e", "s/(o+)/[\\1]/g", "-e", "2p", "/t"], "f[oo] bar\n"),
    (["sed", "2!d", "/t"], "foo bar\n"),
    (["sed", "-n", "s/a/A/p", "/t"], "foo bAr\nHello Again\nA(b)c x+y\nlAst line\n"),
    (["sed", "1i\\\ntop", "/n"], "top\n10\n9\n100\n-1\n9\n"),
    (["sed", "$a end", "/n"], "10\n9\n100\n-1\n9\nend\n"),
    (["sed", "-n", "y/abc/ABC/;4p", "/t"], "A(B)C x+y\n"),
    (["sed", "-n", "$=", "/t"], "5\n"),
    (["sed", "-n", "s/x/&&/;/x/p", "/t"], "a(b)c xx+y\n"),
    (["sed", "-n", "/o/{s/o/O/;p}", "/n"], ""),
])
def test_sed(argv, out):
    r = run(*argv)
    assert (r.out, r.err) == (out, "")


def test_sed_in_place_and_errors():
    r = run("find", "/n", "-exec", "sed", "-i", "s/9/nine/", "{}", ";", "-exec", "cat", "{}", ";")
    assert r.out == "10\nnine\n100\n-1\nnine\n"
    r = run("sed", "s/x", "/t")
    assert r.exit_code == 1 and r.err.startswith("sed: ")
    r = run("sed", "k", "/t")
    assert r.exit_code == 1 and "unknown command" in r.err


def test_sort_and_uniq():
    assert run("sort", "/n").out == "-1\n10\n100\n9\n9\n"
    assert run("sort", "-n", "/n").out == "-1\n9\n9\n10\n100\n"
    assert run("sort", "-rn", "/n").out == "100\n10\n9\n9\n-1\n"
    assert run("sort", "-un", "/n").out == "-1\n9\n10\n100\n"
    assert run("sort", "-t:", "-k3,3n", "/etc/passwd").out.splitlines()[0].startswith("root:")
    assert run("sort", "-k2", stdin="x b\ny a\nz c\n").out == "y a\nx b\nz c\n"
    assert run("uniq", stdin="a\na\nb\na\n").out == "a\nb\na\n"
    assert run("uniq", "-c", stdin="a\na\nb\n").out == "      2 a\n      1 b\n"
    assert run("uniq", "-d", stdin="a\na\nb\n").out == "a\n"
    assert run("uniq", "-u", stdin="a\na\nb\n").out == "b\n"


def test_cut_tr_tee():
    assert run("cut", "-d:", "-f1,7", "/etc/passwd").out.splitlines()[0] == "root:/bin/sh"
    assert run("cut", "-c", "1-3", stdin="abcdef\n").out == "abc\n"
    assert run("tr", "a-z", "A-Z", stdin="hello\n").out == "HELLO\n"
    assert run("tr", "-d", "0-9", stdin="a1b2\n").out == "ab\n"
    assert run("tr", "-s", " ", stdin="a   b\n").out == "a b\n"
    assert run("tr", "[:lower:]", "[:upper:]", stdin="abc\n").out == "ABC\n"
    r = run("tee", "/tmp/out", stdin="data\n")
    assert r.out == "data\n"


def test_xargs():
    assert run("xargs", stdin="a b\nc\n").out == "a b c\n"
    assert run("xargs", "-n", "1", "echo", "x", stdin="a b\n").out == "x a\nx b\n"
    assert run("xargs", "-I", "{}", "echo", "<{}>", stdin="a b\nc\n").out == "<a b>\n<c>\n"
    assert run("xargs", "echo", stdin="'a b' c\n").out == "a b c\n"
    assert run("xargs", "false", stdin="x\n").exit_code == 123
