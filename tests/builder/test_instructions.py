"""The instruction layer: typed values, buildkit's validation texts, the
classic builder's step lines, commit comments and --change parsing."""

import pytest

from dockersim.daemon.builder import instructions as I
from dockersim.daemon.builder.parser import ParseError
from dockersim.daemon.builder.shell import Lex


def one(line):
    """The single instruction of `FROM x` + line."""
    df = I.parse_dockerfile("FROM x\n" + line + "\n")
    (cmd,) = df.stages[0].commands
    return cmd


def error_of(text):
    with pytest.raises(I.InstructionError) as e:
        I.parse_dockerfile(text)
    return str(e.value)


def test_stages_meta_args_and_step_lines():
    df = I.parse_dockerfile(
        "ARG BASE=alpine\nARG V\n  FROM --platform=$P ${BASE} AS Builder  \nRUN make \\\n  all\n"
        "FROM scratch\nCOPY --from=builder /out /\n")
    assert [str(a) for a in df.meta_args] == ["ARG BASE=alpine", "ARG V"]
    build, final = df.stages
    assert (build.name, build.base_name, build.platform, build.orig_cmd) == ("builder", "${BASE}", "$P", "FROM")
    assert (final.name, final.base_name) == ("", "scratch")
    total = I.step_total(df)
    assert total == 6
    assert I.step_line(3, total, build) == "Step 3/6 : FROM --platform=$P ${BASE} AS Builder"
    assert I.step_line(4, total, build.commands[0]) == "Step 4/6 : RUN make   all"
    assert I.step_line(1, total, df.meta_args[0]) == "Step 1/6 : ARG BASE=alpine"
    assert df.stage_index("BUILDER") == 0 and df.stage_index("nope") is None


def test_step_text_excludes_heredoc_bodies():
    cmd = one("RUN <<EOF\necho hi\nEOF")
    assert str(cmd) == "RUN <<EOF"
    assert cmd.files == (I.ShellInlineFile("EOF", "echo hi\n", False),)
    assert cmd.cmd_line == ("<<EOF",)


def test_run_forms():
    shell = one("RUN echo  a")
    assert (shell.cmd_line, shell.prepend_shell) == (("echo  a",), True)
    assert shell.resolve(["/bin/sh", "-c"]) == ("/bin/sh", "-c", "echo  a")
    exec_ = one('RUN ["echo", "a"]')
    assert (exec_.cmd_line, exec_.prepend_shell) == (("echo", "a"), False)
    assert exec_.resolve(["/bin/sh", "-c"]) == ("echo", "a")


def test_cmd_and_entrypoint_empty_forms():
    assert one("CMD []").cmd_line == ()
    assert one("CMD").resolve(["/bin/sh", "-c"]) == ("/bin/sh", "-c")
    assert one("ENTRYPOINT []").cmd_line is None
    assert one("ENTRYPOINT").resolve(["/bin/sh", "-c"]) is None


def test_run_flags_the_classic_builder_refuses():
    run = one("RUN --network=none --mount=type=cache,target=/c --mount=type=tmpfs,target=/t make")
    assert run.flags_used == ("network", "mount")
    assert run.network == "none"
    assert I.BUILDKIT_REQUIRED % run.flags_used[0] == (
        "the --network option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ "
        "to learn how to build images with BuildKit enabled")
    expanded = I.expand(run, lambda w: w)
    assert [(m.type, m.target, m.read_only) for m in expanded.mounts] == [
        ("cache", "/c", False), ("tmpfs", "/t", False)]


@pytest.mark.parametrize("spec, message", [
    ("type=foo", 'unsupported mount type "foo"'),
    ("type=cach", 'unsupported mount type "cach" (did you mean cache?)'),
    ("target=/x,sharing=no", 'unsupported sharing value "no"'),
    ("type=cache,sharing=share", 'unsupported sharing value "share" (did you mean shared?)'),
    ("type=bind,size=1m", "unexpected key 'size' for mount type 'bind'"),
    ("type=tmpfs,size=lots", "invalid value for size: lots"),
    ("type=bind,mode=0755", 'mode not allowed for "bind" type mounts'),
    ("type=cache,uid=x", "invalid value x for uid"),
    ("type=bind,required", "unexpected key 'required' for mount type 'bind'"),
    ("type=bind,foo", "invalid field 'foo' must be a key=value pair"),
    ("type=bind,targt=/x", "unexpected key 'targt' in 'targt=/x' (did you mean target?)"),
    ("type=secret", "invalid secret mount. one of source, target required"),
    ("type=secret,id=a,from=b", "secret mount should not have a from"),
    ("type=bind,sharing=locked", "invalid cache sharing set for bind mount"),
    ("type=bind,ro=maybe", "invalid value for ro: maybe"),
])
def test_mount_errors_at_expansion(spec, message):
    run = one("RUN --mount=%s x" % spec)
    with pytest.raises(I.InstructionError) as e:
        I.expand(run, lambda w: w)
    assert str(e.value) == message


def test_mount_from_with_variable_refused_at_parse():
    assert error_of("FROM x\nRUN --mount=from=$STAGE x\n") == (
        "dockerfile parse error on line 2: 'from' doesn't support variable expansion, define alias stage instead")


def test_mount_values_are_expanded():
    run = one("RUN --mount=type=secret,id=$ID,target=/run/s x")
    (m,) = I.expand(run, lambda w: Lex().process_word(w, {"ID": "tok"})).mounts
    assert (m.type, m.cache_id, m.target, m.read_only) == ("secret", "tok", "/run/s", True)


def test_copy_and_add_flags():
    copy = one("COPY --from=build --chown=1:2 --chmod=600 --link a b /dst/")
    assert (copy.from_, copy.chown, copy.chmod, copy.link) == ("build", "1:2", "600", True)
    assert (copy.source_paths, copy.dest_path) == (("a", "b"), "/dst/")
    add = one("ADD --keep-git-dir=true --checksum=sha256:abc https://x/y /z")
    assert (add.keep_git_dir, add.checksum, add.source_paths) == (True, "sha256:abc", ("https://x/y",))
    assert I.BUILDKIT_REQUIRED % "chmod" == (
        "the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ "
        "to learn how to build images with BuildKit enabled")


def test_copy_heredoc_source_is_kept_apart():
    copy = one("COPY <<-EOF a /dst/\n\thello $X\n\tEOF")
    assert copy.source_paths == ("a",)
    assert copy.source_contents == (I.SourceContent("EOF", "hello $X\n", True),)


def test_copy_expand():
    copy = one("COPY --chown=$U ${SRC} $DST")
    e = I.expand(copy, lambda w: Lex().process_word(w, {"U": "app", "SRC": "s", "DST": "/d"}))
    assert (e.chown, e.source_paths, e.dest_path) == ("app", ("s",), "/d")


@pytest.mark.parametrize("line, message", [
    ("FOO bar", "unknown instruction: FOO (did you mean FROM?)"),
    ("runn x", "unknown instruction: runn (did you mean run?)"),
    ("XYZZY x", "unknown instruction: XYZZY"),
    ("COPY a", "COPY requires at least two arguments, but only one was provided. Destination could not be determined"),
    ("ADD a", "ADD requires at least two arguments, but only one was provided. Destination could not be determined"),
    ("COPY a <<EOF\nEOF", "COPY cannot accept a heredoc as a destination"),
    ("COPY --parents a b", "unknown flag: --parents"),
    ("COPY --exclude=x a b", "unknown flag: --exclude"),
    ("ADD --chmodd=1 a b", "unknown flag: --chmodd (did you mean chmod?)"),
    ("COPY --from a b", "missing a value on flag: --from"),
    ("COPY --link= a b", "missing a value on flag: --link"),
    ("COPY --link=yes a b", "expecting boolean value for flag --link, not: yes"),
    ("COPY --from=a --from=b c d", "duplicate flag specified: --from"),
    ("RUN --security=insecure x", "unknown flag: --security"),
    ("RUN --network=bridge x", 'invalid network mode "bridge"'),
    ('RUN --mount=type=\\"bind x',
     'failed to parse csv mounts: parse error on line 1, column 6: bare " in non-quoted-field'),
    ('RUN --device=a,"b x', "invalid field 'b x' must be a key=value pair"),
    ('RUN --device=\\"a x', 'failed to parse csv devices: parse error on line 1, column 2: '
                            'extraneous or missing " in quoted-field'),
    ("ENV", "ENV requires at least one argument"),
    ("ENV =x", "ENV names can not be blank"),
    ("LABEL", "LABEL requires at least one argument"),
    ("ARG", "ARG requires at least one argument"),
    ("ARG =x", "ARG names can not be blank"),
    ("EXPOSE", "EXPOSE requires at least one argument"),
    ("VOLUME", "VOLUME requires at least one argument"),
    ('VOLUME ["/a", " "]', "VOLUME specified can not be an empty string"),
    ("WORKDIR", "WORKDIR requires exactly one argument"),
    ("USER", "USER requires exactly one argument"),
    ("STOPSIGNAL", "STOPSIGNAL requires exactly one argument"),
    ("MAINTAINER", "MAINTAINER requires exactly one argument"),
    ("SHELL /bin/sh -c", "SHELL requires the arguments to be in JSON form"),
    ("SHELL []", "SHELL requires at least one argument"),
    ("ONBUILD", "ONBUILD requires at least one argument"),
    ("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
    ("ONBUILD from y", "FROM isn't allowed as an ONBUILD trigger"),
    ("ONBUILD maintainer y", "MAINTAINER isn't allowed as an ONBUILD trigger"),
    ("ONBUILD --x RUN y", "unknown flag: --x"),
    ("HEALTHCHECK", "HEALTHCHECK requires at least one argument"),
    ("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments"),
    ("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD"),
    ("HEALTHCHECK RUN x", 'Unknown type "RUN" in HEALTHCHECK (try CMD)'),
    ("HEALTHCHECK --interval=5 CMD x", 'time: missing unit in duration "5"'),
    ("HEALTHCHECK --timeout=5x CMD x", 'time: unknown unit "x" in duration "5x"'),
    ("HEALTHCHECK --start-period=abc CMD x", 'time: invalid duration "abc"'),
    ("HEALTHCHECK --interval=500us CMD x", 'Interval "interval" cannot be less than 1ms'),
    ("HEALTHCHECK --start-interval=-1s CMD x", 'Interval "start-interval" cannot be less than 1ms'),
    ("HEALTHCHECK --retries=x CMD x", 'strconv.ParseInt: parsing "x": invalid syntax'),
    ("HEALTHCHECK --retries=3000000000 CMD x", 'strconv.ParseInt: parsing "3000000000": value out of range'),
    ("HEALTHCHECK --retries=-2 CMD x", "--retries cannot be negative (-2)"),
    ("HEALTHCHECK --foo=1 CMD x", "unknown flag: --foo"),
    ("CMD --foo x", "unknown flag: --foo"),
])
def test_instruction_errors(line, message):
    assert error_of("FROM x\n" + line + "\n") == "dockerfile parse error on line 2: " + message


@pytest.mark.parametrize("text, message", [
    ("FROM", "dockerfile parse error on line 1: FROM requires either one or three arguments"),
    ("FROM a b", "dockerfile parse error on line 1: FROM requires either one or three arguments"),
    ("FROM a AS 1st", 'dockerfile parse error on line 1: invalid name for build stage: "1st", '
                      "name can't start with a number or contain symbols"),
    ("FROM a AS b$c", 'dockerfile parse error on line 1: invalid name for build stage: "b$c", '
                      "name can't start with a number or contain symbols"),
    ("FROM --foo a", "dockerfile parse error on line 1: unknown flag: --foo"),
    ("RUN x", "no build stage in current context"),
    ("ARG a\nENV b=c", "no build stage in current context"),
])
def test_stage_errors(text, message):
    assert error_of(text) == message


def test_unknown_instruction_is_flagged():
    with pytest.raises(I.InstructionError) as e:
        I.parse_dockerfile("FROM x\n\nFOO\n")
    assert e.value.unknown_instruction and (e.value.start_line, e.value.end_line) == (3, 3)


def test_flags_ignored_where_buildkit_never_parses_them():
    assert one("STOPSIGNAL --x SIGKILL").signal == "SIGKILL"
    assert one("ARG --x a").args == (I.KeyValuePairOptional("a"),)
    assert one("HEALTHCHECK --nonsense NONE").health.test == ("NONE",)


def test_env_label_arg_values():
    env = one('ENV a=1 b="two words"')
    assert env.env == (I.KeyValuePair("a", "1"), I.KeyValuePair("b", '"two words"'))
    legacy = one("ENV PATH /usr/bin:$PATH")
    assert legacy.env == (I.KeyValuePair("PATH", "/usr/bin:$PATH", no_delim=True),)
    expanded = I.expand(env, lambda w: Lex().process_word(w, {}))
    assert expanded.commit_comment() == "ENV a=1 b=two words"
    label = one('LABEL "com.x"="y z" v=1')
    assert I.expand(label, lambda w: Lex().process_word(w, {})).commit_comment() == "LABEL com.x=y z v=1"
    arg = one('ARG A B=2 C=')
    assert arg.args == (I.KeyValuePairOptional("A"), I.KeyValuePairOptional("B", "2"),
                        I.KeyValuePairOptional("C", ""))


def test_healthcheck_config():
    hc = one("HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=2s --retries=3 CMD curl -f x")
    assert hc.health == I.HealthConfig(("CMD-SHELL", "curl -f x"), 90_000_000_000, 500_000_000,
                                       2_000_000_000, 0, 3)
    assert hc.commit_comment() == (
        'HEALTHCHECK &{["CMD-SHELL" "curl -f x"] "1m30s" "500ms" "2s" "0s" \'\\x03\'}')
    exec_ = one('HEALTHCHECK CMD ["a", "b"]')
    assert exec_.health.test == ("CMD", "a", "b")
    none = one("HEALTHCHECK none")
    assert none.commit_comment() == 'HEALTHCHECK &{["NONE"] "0s" "0s" "0s" "0s" \'\\x00\'}'


def test_expose_sorted_and_onbuild_expression():
    assert one("EXPOSE 8080 443/udp 80").ports == ("443/udp", "80", "8080")
    ob = one("  onbuild   RUN echo hi")
    assert ob.expression == "RUN echo hi"
    assert ob.commit_comment() == "ONBUILD RUN echo hi"
    ob2 = one("ONBUILD RUN <<EOF\necho\nEOF")
    assert ob2.expression == "RUN <<EOF\necho\nEOF"


def test_commit_comments():
    assert one("USER app").commit_comment() == "USER app"
    assert one('VOLUME ["/a", "/b"]').commit_comment() == "VOLUME [/a /b]"
    assert one('SHELL ["/bin/bash", "-c"]').commit_comment() == "SHELL [/bin/bash -c]"
    assert one("STOPSIGNAL 9").commit_comment() == "STOPSIGNAL 9"
    assert one("MAINTAINER me <m@e>").commit_comment() == "MAINTAINER me <m@e>"
    assert one("ARG a=1 b").commit_comment() == "ARG a=1 b"


def test_stage_doc_comment_and_arg_comment():
    df = I.parse_dockerfile("# base the build image\nFROM x AS base\n# VERSION which one\nARG VERSION=1\n")
    assert df.stages[0].comment == "the build image"
    assert df.stages[0].commands[0].args[0].comment == "which one"


def test_label_instruction_for_build_labels_is_not_expanded():
    label = I.label_instruction("a", "$b")
    assert str(label) == "LABEL a=$b"
    assert I.expand(label, lambda w: "X") is label


def test_expand_leaves_non_expanding_instructions():
    cmd = one("CMD echo $HOME")
    assert I.expand(cmd, lambda w: "X") is cmd


def test_parse_changes():
    changes = I.parse_changes(["ENV A=1", "CMD [\"sh\"]", "EXPOSE 80", "WORKDIR /w"])
    assert [type(c).__name__ for c in changes] == [
        "EnvInstruction", "CmdInstruction", "ExposeInstruction", "WorkdirInstruction"]
    assert I.parse_changes([]) == ()
    with pytest.raises(I.InstructionError) as e:
        I.parse_changes(["run echo"])
    assert str(e.value) == "run is not a valid change command"
    with pytest.raises(I.InstructionError) as e:
        I.parse_changes(["FROM x"])
    assert str(e.value) == "FROM is not a valid change command"
    with pytest.raises(I.InstructionError) as e:
        I.parse_changes(["USER"])
    assert str(e.value) == "USER requires exactly one argument"
    with pytest.raises(ParseError) as e:
        I.parse_changes(["ENV a"])
    assert str(e.value) == "ENV must have two arguments"


def test_parse_command_refuses_from():
    from dockersim.daemon.builder.parser import parse
    with pytest.raises(I.InstructionError) as e:
        I.parse_command(parse("FROM x").children[0])
    assert str(e.value) == "*instructions.Stage is not a command type"
