""".dockerignore reading and matching (moby/patternmatcher v0.6.0)."""

import pytest

from dockersim.daemon.builder import dockerignore as D


def test_read_all():
    text = (b"\xef\xbb\xbf# comment\n  # not a comment (only column 1 counts)\n\n"
            b"/abs/path\n./a/../b/\n!  keep \r\n*.log\n!\n//x\n")
    assert D.read_all(text) == ["# not a comment (only column 1 counts)", "abs/path", "b", "!keep",
                                "*.log", "!", "x"]


def test_read_all_line_too_long():
    with pytest.raises(D.PatternError) as e:
        D.read_all("a" * 70000 + "\n")
    assert str(e.value) == "bufio.Scanner: token too long"


@pytest.mark.parametrize("patterns, path, expected", [
    (["*.go"], "a.go", True),
    (["*.go"], "d/a.go", False),
    (["**/*.go"], "d/e/a.go", True),
    (["**/*.go"], "a.go", True),
    (["**"], "anything/at/all", True),
    (["a/**"], "a/b/c", True),
    (["a/**"], "ab", False),
    (["a/**/b"], "a/b", True),
    (["a/**/b"], "a/x/y/b", True),
    (["x?z"], "xyz", True),
    (["x?z"], "x/z", False),
    (["[a-c]*"], "b1", True),
    (["[^a-c]*"], "b1", False),
    (["\\*"], "*", True),
    (["\\*"], "a", False),
    (["a.b"], "axb", False),
    (["a+b"], "a+b", True),
    (["dir"], "dir/sub/file", True),
    (["dir/sub"], "dir/sub/file", True),
    (["*", "!keep"], "keep", False),
    (["*", "!keep"], "other", True),
    (["*", "!keep", "keep"], "keep", True),
    (["docs", "!docs/keep.md"], "docs/keep.md", False),
    (["docs", "!docs/keep.md"], "docs/other.md", True),
    (["./a/../b"], "b", True),
    # only read_all drops a leading slash; the matcher itself does not
    (["/abs"], "abs", False),
])
def test_matches_or_parent_matches(patterns, path, expected):
    assert D.matches_or_parent_matches(path, patterns) is expected


def test_dot_never_matches():
    assert D.matches_or_parent_matches(".", ["*"]) is False
    assert D.matches("./", ["**"]) is False


def test_deprecated_matches_only_tries_one_parent_level():
    # pattern `b` (one level) against a/b/c: only "a" is tried, not "a/b"
    assert D.matches("a/b/c", ["b"]) is False
    assert D.matches_or_parent_matches("a/b/c", ["a/b"]) is True
    assert D.matches("a/b/c", ["a/b"]) is True


def test_matches_using_parent_results():
    pm = D.PatternMatcher.from_patterns(["vendor", "!vendor/keep"])
    dir_match, info = pm.matches_using_parent_results("vendor")
    assert dir_match is True
    assert pm.matches_using_parent_results("vendor/x", info)[0] is True
    assert pm.matches_using_parent_results("vendor/keep", info)[0] is False
    with pytest.raises(D.PatternError) as e:
        pm.matches_using_parent_results("x", D.MatchInfo((True,)))
    assert str(e.value) == "wrong number of values in parentMatched"


@pytest.mark.parametrize("pattern, message", [
    ("[", "syntax error in pattern"),
    ("a[b", "syntax error in pattern"),
    ("[]a]", "syntax error in pattern"),
    ("[a-]", "syntax error in pattern"),
    ("a\\", "syntax error in pattern"),
    ("!", 'illegal exclusion pattern: "!"'),
])
def test_bad_patterns(pattern, message):
    with pytest.raises(D.PatternError) as e:
        D.PatternMatcher.from_patterns([pattern])
    assert str(e.value) == message


def test_exclusions_flag():
    assert D.PatternMatcher.from_patterns(["a", "!b"]).exclusions
    assert not D.PatternMatcher.from_patterns(["a"]).exclusions


def test_go_path_match():
    assert D.go_path_match("a*", "abc")
    assert not D.go_path_match("a*", "a/c")
    assert D.go_path_match("a?c", "abc")
    assert D.go_path_match("[!]", "!")
    assert D.go_path_match("\\[", "[")
    with pytest.raises(D.PatternError):
        D.go_path_match("a*[", "x")


def test_cli_keeps_dockerfile_and_dockerignore():
    assert D.trim_build_files_from_excludes(["*"], "Dockerfile") == ["*", "!.dockerignore", "!Dockerfile"]
    assert D.trim_build_files_from_excludes(["*.md"], "Dockerfile") == ["*.md"]
    assert D.trim_build_files_from_excludes(["build"], "build/Dockerfile") == ["build", "!build/Dockerfile"]
    # a Dockerfile from stdin is not in the context to keep
    assert D.trim_build_files_from_excludes(["*"], "Dockerfile", True) == ["*", "!.dockerignore"]


def test_daemon_removes_ignored_build_files():
    assert D.files_to_remove(["*", "!src"], "Dockerfile") == [".dockerignore", "Dockerfile"]
    assert D.files_to_remove(["Dockerfile"], "Dockerfile") == ["Dockerfile"]
    assert D.files_to_remove(["ci"], "ci/Dockerfile") == ["ci/Dockerfile"]
    assert D.files_to_remove([], "Dockerfile") == []
