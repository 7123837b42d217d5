"""The simulated shell, run as a program on the simulated kernel.

Tests use builtins where they can; those that run busybox applets
(``cat``, ``sort``, ``ls`` ...) carry ``needs_busybox`` so that, before the
busybox package exists, they are skipped with that reason rather than
failing mysteriously.
"""

import pytest

from tests.sim.helpers import run_program

try:
    from dockersim.sim.programs.busybox.applets import APPLETS as _APPLETS
except ImportError:  # pragma: no cover
    _APPLETS = {}

needs_busybox = pytest.mark.skipif(not {"cat", "sort", "ls"} <= set(_APPLETS),
                                   reason="needs busybox applets (cat, sort, ls)")


def sh(script, *args, shell="sh", **kw):
    if shell == "bash":
        kw.setdefault("image", "debian")
    return run_program([shell, "-c", script, *args], **kw)


def out(script, *args, **kw):
    res = sh(script, *args, **kw)
    assert res.exit_code == 0, (res.exit_code, res.err)
    return res.out


# -- simple commands, status, lists ---------------------------------------------


def test_echo_and_exit_status():
    assert out("echo hello world") == "hello world\n"
    assert sh("exit 3").exit_code == 3
    assert sh("false").exit_code == 1
    assert out("false; echo $?; true; echo $?") == "1\n0\n"
    assert sh("true; false").exit_code == 1


def test_not_found():
    res = sh("nosuch")
    assert res.exit_code == 127 and res.err == "sh: nosuch: not found\n"
    res = sh("nosuch", shell="bash")
    assert res.exit_code == 127 and res.err == "bash: line 1: nosuch: command not found\n"


def test_permission_denied():
    res = sh("/tmp/x", files={"/tmp/x": ("#!/bin/sh\necho hi\n", 0o644)} if False else {"/tmp/x": b"data"})
    assert res.exit_code in (126, 127)


def test_and_or_lists():
    assert out("true && echo a || echo b") == "a\n"
    assert out("false && echo a || echo b") == "b\n"
    assert out("false || false || echo c") == "c\n"
    assert out("! false && echo neg") == "neg\n"


def test_background_and_wait():
    assert out("(exit 7) & wait $!; echo $?") == "7\n"
    assert out("echo bg & wait; echo done") == "bg\ndone\n"
    res = sh("true & echo $!")
    assert res.out.strip().isdigit()


def test_assignments():
    assert out("A=1; B=$A$A; echo $B") == "11\n"
    assert out("A=1 sh -c 'echo $A'; echo \"[$A]\"") == "1\n[]\n"
    assert out("x=5; export x; sh -c 'echo $x'") == "5\n"
    assert out("f() { echo $V; }; V=tmp f; echo \"[$V]\"") == "tmp\n[]\n"


# -- compound commands -------------------------------------------------------------


def test_if_elif_else():
    script = "for n in 1 2 3; do if [ $n = 1 ]; then echo one; elif [ $n = 2 ]; then echo two; else echo many; fi; done"
    assert out(script) == "one\ntwo\nmany\n"


def test_while_until_break_continue():
    assert out("i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done") == "1\n2\n3\n"
    assert out("i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i") == "2\n"
    assert out("for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done") == "1\n3\n"
    assert out("for a in 1 2; do for b in x y; do [ $b = y ] && continue 2; echo $a$b; done; done") == "1x\n2x\n"
    assert out("while true; do while true; do break 2; done; done; echo out") == "out\n"


def test_for_over_positional_parameters():
    assert out('for x; do echo "<$x>"; done', "name", "a b", "c") == "<a b>\n<c>\n"


def test_case():
    script = 'for f in a.txt b.sh C; do case $f in *.txt) echo text;; *.sh|*.bash) echo script;; [A-Z]) echo upper;; esac; done'
    assert out(script) == "text\nscript\nupper\n"
    assert out('x=hello; case $x in "hel"*) echo yes;; *) echo no;; esac') == "yes\n"
    assert out('case "*" in "*") echo star;; esac; case a in "*") echo no;; *) echo any;; esac') == "star\nany\n"


def test_subshell_and_brace_group():
    assert out("x=1; (x=2; echo $x); echo $x") == "2\n1\n"
    assert out("x=1; { x=2; echo $x; }; echo $x") == "2\n2\n"
    assert sh("(exit 4)").exit_code == 4


def test_functions_recursion_and_return():
    script = """
fact() {
  if [ "$1" -le 1 ]; then echo 1; return; fi
  local prev
  prev=$(fact $(($1 - 1)))
  echo $(($1 * prev))
}
fact 6
check() { return 3; }
check; echo "status $?"
args() { echo "$# $1 $2"; }
args a "b c"
echo "$# after"
"""
    assert out(script) == "720\nstatus 3\n2 a b c\n0 after\n"


def test_local_variables():
    assert out("x=g; f() { local x=l; echo $x; }; f; echo $x") == "l\ng\n"


# -- quoting and expansions -----------------------------------------------------------


def test_quoting():
    assert out("""echo 'single $x' "double $((1+1))" back\\ slash "a\\"b" '' x""") == \
        "single $x double 2 back slash a\"b  x\n"
    assert out('x="a  b"; echo $x; echo "$x"') == "a b\na  b\n"


def test_parameter_expansion_forms():
    script = r'''
unset u; e=; v=value; p=/usr/local/lib.tar.gz
echo "${u:-def} ${e:-def} ${e-def} ${v:+alt} ${u+alt}|"
echo "${#v} ${p%.*} ${p%%.*} ${p#*/} ${p##*/}"
echo "${u:=assigned} $u"
'''
    assert out(script) == "def def  alt |\n5 /usr/local/lib.tar /usr/local/lib usr/local/lib.tar.gz lib.tar.gz\nassigned assigned\n"


def test_parameter_error():
    res = sh('echo ${u:?is required}; echo not reached')
    assert res.exit_code != 0 and "u: is required" in res.err and res.out == ""


def test_special_parameters():
    assert out('echo $# "$1" "$2" $0', "me", "a", "b") == "2 a b me\n"
    assert out('set -- x "y z"; for a in "$@"; do echo "[$a]"; done; echo "$*"') == "[x]\n[y z]\nx y z\n"
    assert out('set -- 1 2 3 4 5 6 7 8 9 10; echo ${10} $#') == "10 10\n"
    assert out('echo $$') == "1\n"
    assert out('set -- a b c; shift; echo $@; shift 2; echo $#') == "b c\n0\n"


def test_empty_at_produces_no_fields():
    assert out('f() { echo $#; }; f "$@"; f "" "$@"') == "0\n1\n"


def test_command_substitution():
    assert out('x=$(echo hi); echo "${x}!"') == "hi!\n"
    assert out('echo "$(echo a; echo b)"') == "a\nb\n"
    assert out('echo `echo back`') == "back\n"
    assert out('echo $(echo $(echo nested))') == "nested\n"
    assert out('x=$(exit 5); echo $?') == "5\n"


def test_arithmetic_expansion():
    assert out('a=6; echo $((a * 7)) $(( (1+2) % 2 )) $((a > 5 && a < 10)) $((-a / 4))') == "42 1 1 -1\n"
    assert out('i=1; : $((i += 2)); echo $i') == "3\n"


def test_tilde_expansion():
    assert out('echo ~ ~/x "~"') == "/root /root/x ~\n"


def test_field_splitting_with_ifs():
    assert out('x="a:b::c"; IFS=:; for f in $x; do echo "[$f]"; done') == "[a]\n[b]\n[]\n[c]\n"
    assert out('x="  lead  trail  "; set -- $x; echo $#') == "2\n"


def test_globbing():
    files = {"/data/a.txt": "", "/data/b.txt": "", "/data/c.log": "", "/data/.hidden.txt": ""}
    assert out("cd /data && echo *.txt", files=files) == "a.txt b.txt\n"
    assert out("echo /data/?.log /data/[ab].*", files=files) == "/data/c.log /data/a.txt /data/b.txt\n"
    assert out("echo /data/*.none", files=files) == "/data/*.none\n"
    assert out("echo '/data/*.txt'", files=files) == "/data/*.txt\n"
    assert out("set -f; echo /data/*.txt", files=files) == "/data/*.txt\n"


# -- redirections ------------------------------------------------------------------


def test_output_redirections():
    script = "echo one > /tmp/f; echo two >> /tmp/f; read a < /tmp/f; echo $a; while read l; do echo \"+$l\"; done < /tmp/f"
    assert out(script) == "one\n+one\n+two\n"


def test_stderr_redirections():
    res = sh("echo err >&2; echo out 1>&2; nosuch 2>/dev/null; echo $?")
    assert res.out == "127\n" and res.err == "err\nout\n"
    res = sh("{ echo a; echo b >&2; } 2>&1 >/dev/null")
    assert res.out == "b\n" and res.err == ""
    res = sh("nosuch 2>&1")
    assert res.out == "sh: nosuch: not found\n"


def test_fd_redirections_and_close():
    assert out("exec 3>/tmp/three; echo x >&3; exec 3>&-; read v < /tmp/three; echo $v") == "x\n"
    res = sh("echo hi >&-")
    assert res.exit_code != 0 or res.out == ""


def test_redirection_errors():
    res = sh("echo x > /nonexistent/dir/file; echo $?")
    assert res.out == "1\n" and "can't create /nonexistent/dir/file" in res.err
    res = sh("read x < /nope")
    assert res.exit_code == 1 and "can't open '/nope'" in res.err


def test_heredocs():
    script = 'name=World\nread a b <<EOF\nHello $name\nEOF\necho "$b/$a"\n'
    assert out(script) == "World/Hello\n"
    script = "while read l; do echo \"[$l]\"; done <<'EOF'\n$notexpanded\n`nor this`\nEOF\n"
    assert out(script) == "[$notexpanded]\n[`nor this`]\n"
    script = "if true; then\n\twhile read l; do echo $l; done <<-END\n\tindented\n\tEND\nfi\n"
    assert out(script) == "indented\n"


# -- builtins ----------------------------------------------------------------------


def test_cd_pwd():
    assert out("cd /tmp; pwd; cd /; echo $OLDPWD; cd - ; cd; pwd") == "/tmp\n/tmp\n/tmp\n/root\n"
    res = sh("cd /nope")
    assert res.exit_code != 0 and "can't cd to /nope" in res.err


def test_export_unset_readonly():
    assert out("export A=1; unset A; echo \"[${A-unset}]\"") == "[unset]\n"
    res = sh("readonly R=1; R=2; echo no")
    assert res.exit_code == 2 and res.out == "" and res.err == "sh: R: is read only\n"
    res = sh("readonly R=1; R=2; echo $R", shell="bash")
    assert res.out == "1\n" and res.err == "bash: line 1: R: readonly variable\n"


def test_declare_and_typeset():
    assert out("declare -x D=1; sh -c 'echo $D'; declare +x D; sh -c 'echo \"[$D]\"'",
               shell="bash") == "1\n[]\n"
    assert out("f() { declare v=in; echo $v; }; v=out; f; echo $v", shell="bash") == "in\nout\n"
    res = sh("typeset 1a=2", shell="bash")
    assert res.exit_code == 1 and res.err == "bash: line 1: typeset: `1a=2': not a valid identifier\n"
    res = sh("readonly R=1; declare -x R=2; sh -c 'echo \"[$R]\"'", shell="bash")
    assert res.out == "[]\n" and "R: readonly variable" in res.err


def test_set_e():
    res = sh("set -e; echo a; false; echo b")
    assert res.out == "a\n" and res.exit_code == 1
    assert out("set -e; if false; then :; fi; false || true; ! true; echo ok") == "ok\n"
    assert out("set -e; f() { false; echo no; }; f || echo caught") == "no\n"


def test_set_u_and_x():
    res = sh("set -u; echo $nope")
    assert res.exit_code != 0 and "nope: parameter not set" in res.err
    res = sh("set -x; echo hi")
    assert res.out == "hi\n" and res.err == "+ echo hi\n"


def test_printf_builtin():
    assert out("printf '%s-%d|%5s|%-3s|%x\\n' a 42 r l 255") == "a-42|    r|l  |ff\n"
    assert out("printf '%s\\n' a b c") == "a\nb\nc\n"
    assert out("printf 'no newline'") == "no newline"


def test_printf_and_echo_escapes_write_raw_bytes():
    assert sh("printf '\\351\\x41\\n'").stdout == b"\xe9A\n"
    assert sh("printf '%b' '\\0351'").stdout == b"\xe9"
    assert sh("echo -e '\\0377\\xff'", shell="bash").stdout == b"\xff\xff\n"
    assert out("printf 'caf\u00e9\\n'") == "caf\u00e9\n"  # text stays UTF-8


def test_echo_options():
    assert out("echo -n a; echo b") == "ab\n"
    assert out("echo -e 'a\\tb'") == "a\tb\n"


def test_read_builtin():
    assert out("echo 'a b c d' | { read x y rest; echo \"$x|$y|$rest\"; }") == "a|b|c d\n"
    assert out("printf 'no newline' | { read x; echo $? $x; }") == "1 no newline\n"
    assert out("printf 'a\\\\b\\n' | { read -r x; echo $x; }") == "a\\b\n"


def test_test_builtin():
    script = """
[ -d /tmp ] && echo dir
[ -f /etc/passwd ] && echo file
[ -e /nope ] || echo missing
[ abc = abc ] && echo eq
[ 3 -lt 10 ] && echo lt
[ -z "" ] && [ -n x ] && echo zn
[ ! -e /nope -a -d / ] && echo and
test 1 -eq 2 -o a != b && echo or
"""
    assert out(script) == "dir\nfile\nmissing\neq\nlt\nzn\nand\nor\n"
    res = sh("[ a -lt 3 ]")
    assert res.exit_code == 2


def test_eval_and_source():
    files = {"/tmp/lib.sh": "greet() { echo \"hi $1\"; }\nLIBVAR=loaded\n"}
    assert out(". /tmp/lib.sh; greet you; echo $LIBVAR", files=files) == "hi you\nloaded\n"
    assert out("cmd='echo evaluated'; eval $cmd; eval 'x=1; echo $x'") == "evaluated\n1\n"


def test_type_and_command_v():
    res = sh("type echo; command -v cd; command -v nosuchcmd; echo $?; f() { :; }; type f")
    assert res.out == "echo is a shell builtin\ncd\n1\nf is a function\n"


def test_getopts():
    script = 'while getopts "ab:" o; do case $o in a) echo A;; b) echo "B=$OPTARG";; esac; done; shift $((OPTIND-1)); echo "$@"'
    assert out(script, "x", "-a", "-b", "val", "rest") == "A\nB=val\nrest\n"


def test_umask():
    assert out("umask; umask 077; umask") == "0022\n0077\n"


# -- traps and signals -------------------------------------------------------------------


def test_trap_exit():
    assert out("trap 'echo bye' EXIT; echo hi") == "hi\nbye\n"
    res = sh("trap 'echo cleanup' EXIT; exit 4")
    assert res.out == "cleanup\n" and res.exit_code == 4


def test_trap_signal_to_self():
    assert out("trap 'echo got TERM' TERM; kill -TERM $$; echo after") == "got TERM\nafter\n"
    assert out("trap '' USR1; kill -USR1 $$; echo survived") == "survived\n"


def test_kill_builtin_background_job():
    assert out("sleep 100 & kill $!; wait $!; echo $?") == "143\n"


def test_trap_interrupts_wait():
    script = "trap 'echo caught; exit 0' TERM; (sleep 1; kill -TERM $$) & sleep 50 & wait $!"
    res = sh(script)
    assert res.out == "caught\n" and res.exit_code == 0


# -- syntax errors -----------------------------------------------------------------


def test_syntax_error_messages():
    res = sh("fi")
    assert res.exit_code == 2 and res.err == 'sh: line 1: syntax error: unexpected "fi"\n'
    res = sh("fi", shell="bash")
    assert res.exit_code == 2 and "syntax error near unexpected token `fi'" in res.err
    res = sh("echo before\nif true; then\n")
    assert res.out == "before\n" and res.exit_code == 2 and "end of file" in res.err


# -- invocation ------------------------------------------------------------------------


def test_script_file_and_args():
    files = {"/tmp/s.sh": "echo \"$0 $# $1\"\nexit 5\n"}
    res = run_program(["sh", "/tmp/s.sh", "arg"], files=files)
    assert res.out == "/tmp/s.sh 1 arg\n" and res.exit_code == 5


def test_commands_from_stdin():
    res = run_program(["sh"], stdin="echo one\nx=2\necho $x\nif true\nthen echo three\nfi\n")
    assert res.out == "one\n2\nthree\n" and res.err == ""


def test_bash_reads_stdin_unbuffered():
    res = run_program(["bash"], image="debian", stdin="read line\nhello\necho \"got $line\"\n")
    assert res.out == "got hello\n"


def test_missing_script():
    res = run_program(["sh", "/nope.sh"])
    assert res.exit_code == 2 and "can't open '/nope.sh'" in res.err


def test_script_without_shebang_runs_in_shell():
    files = {"/tmp/noshebang": ("echo from script $1", 0o755)}
    assert out("/tmp/noshebang arg", files=files) == "from script arg\n"


def test_bash_extensions():
    assert out("[[ abc == a* && -n x ]] && echo yes; [[ a < b ]] && echo lt", shell="bash") == "yes\nlt\n"
    assert out("x=hello; echo ${x/l/L} ${x//l/L} ${x:1:3} ${x^^}", shell="bash") == "heLlo heLLo ell HELLO\n"
    assert out("echo $'tab\\there'", shell="bash") == "tab\there\n"


# -- with busybox applets ------------------------------------------------------------


@needs_busybox
def test_pipeline_with_sort():
    assert out("for i in 1 2 3; do echo $i; done | sort -r") == "3\n2\n1\n"


@needs_busybox
def test_pipeline_status_and_negation():
    assert out("false | true; echo $?; true | false; echo $?; ! true | false; echo $?") == "0\n1\n0\n"
    assert out("set -o pipefail; false | true; echo $?") == "1\n"


@needs_busybox
def test_pipeline_into_read_loop_and_cat():
    assert out("printf 'a\\nb\\n' | while read l; do echo \"<$l>\"; done | cat") == "<a>\n<b>\n"
    assert out("cat <<EOF | cat\nthrough\nEOF") == "through\n"


@needs_busybox
def test_globbing_with_ls():
    files = {"/d/x1": "", "/d/x2": "", "/d/y": ""}
    assert out("ls /d/x*", files=files) == "/d/x1\n/d/x2\n"


@needs_busybox
def test_command_substitution_with_external():
    files = {"/etc/motd": "line1\nline2\n\n\n"}
    assert out('x=$(cat /etc/motd); echo "[$x]"', files=files) == "[line1\nline2]\n"


# -- more process plumbing -----------------------------------------------------------


def test_trap_runs_after_foreground_command_in_loop():
    script = 'trap "echo term; exit 0" TERM; (sleep 3; kill $$) & while true; do sleep 1; done'
    res = sh(script)
    assert res.out == "term\n" and res.exit_code == 0


def test_exec_replaces_shell_and_exec_redirections():
    assert out("echo a; exec echo b; echo c") == "a\nb\n"
    res = sh("exec >/tmp/log; echo hidden; read l </tmp/log; echo \"$l\" >&2")
    assert res.out == "" and res.err == "hidden\n"


def test_pipeline_when_stdin_is_closed():
    assert out("exec <&-; echo hi | { read x; echo got $x; }") == "got hi\n"


def test_heredoc_expansions():
    assert out("cat <<EOF\n$(echo sub) `echo bq` $((1+1)) \\$x\nEOF") == "sub bq 2 $x\n"


def test_syntax_error_after_earlier_lines_ran():
    res = sh("echo one\nfi\necho two")
    assert res.out == "one\n" and res.err == 'sh: line 2: syntax error: unexpected "fi"\n'


def test_interactive_prompts_on_stderr():
    res = run_program(["sh", "-i"], stdin="echo hi\ncd /tmp\n")
    assert res.out == "hi\n" and res.err == "/ # / # /tmp # "
    res = run_program(["sh", "-i"], stdin="echo hi\n", uid=1000)
    assert res.err == "/ $ / $ "
    res = run_program(["bash", "-i"], stdin="cd /tmp\nif true\nthen :\nfi\n", image="debian")
    assert res.err == "root@testhost:/# root@testhost:/tmp# > > root@testhost:/tmp# exit\n"


def test_bytes_that_are_not_utf8_pass_through_the_shell_unchanged():
    """sh is byte-clean, as a C shell is: read, command substitution, a
    here-document and a file name keep a byte such as 0xFF (they became
    U+FFFD's three bytes)."""
    script = ('read x; printf "%s|" "$x"; y=$(printf "\\377b"); printf "%s|" "$y"; '
              'cat <<EOF\n$(printf "\\377c")\nEOF\n'
              'touch "/tmp/$y"; ls /tmp; head "/tmp/$(printf "\\377z")"')
    r = run_program(["sh", "-c", script], stdin=b"\xffa\n")
    assert r.stdout == b"\xffa|\xffb|\xffc\n\xffb\n"
    assert r.stderr == b"head: can't open '/tmp/\xffz': No such file or directory\n"
