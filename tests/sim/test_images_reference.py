"""Image references: distribution/reference normalisation and errors."""

import pytest

from dockersim.sim.images.errors import InvalidReference
from dockersim.sim.images.reference import IdReference, Reference, parse, parse_any, parse_repo_tag

HEX = "a" * 64


@pytest.mark.parametrize(
    "text, domain, path, tag, digest, familiar, familiar_tagged, full",
    [
        ("busybox", "docker.io", "library/busybox", None, None, "busybox", "busybox:latest",
         "docker.io/library/busybox:latest"),
        ("busybox:1.36", "docker.io", "library/busybox", "1.36", None, "busybox", "busybox:1.36",
         "docker.io/library/busybox:1.36"),
        ("docker.io/library/busybox", "docker.io", "library/busybox", None, None, "busybox", "busybox:latest",
         "docker.io/library/busybox:latest"),
        ("docker.io/busybox", "docker.io", "library/busybox", None, None, "busybox", "busybox:latest",
         "docker.io/library/busybox:latest"),
        ("index.docker.io/library/busybox:latest", "docker.io", "library/busybox", "latest", None, "busybox",
         "busybox:latest", "docker.io/library/busybox:latest"),
        ("museopkim/kubia", "docker.io", "museopkim/kubia", None, None, "museopkim/kubia",
         "museopkim/kubia:latest", "docker.io/museopkim/kubia:latest"),
        ("docker.io/museopkim/kubia", "docker.io", "museopkim/kubia", None, None, "museopkim/kubia",
         "museopkim/kubia:latest", "docker.io/museopkim/kubia:latest"),
        ("localhost:5000/x/y:t", "localhost:5000", "x/y", "t", None, "localhost:5000/x/y",
         "localhost:5000/x/y:t", "localhost:5000/x/y:t"),
        ("localhost/x", "localhost", "x", None, None, "localhost/x", "localhost/x:latest", "localhost/x:latest"),
        ("example.com/a/b-c_d.e", "example.com", "a/b-c_d.e", None, None, "example.com/a/b-c_d.e",
         "example.com/a/b-c_d.e:latest", "example.com/a/b-c_d.e:latest"),
        ("library/foo/bar", "docker.io", "library/foo/bar", None, None, "library/foo/bar",
         "library/foo/bar:latest", "docker.io/library/foo/bar:latest"),
        (f"busybox@sha256:{HEX}", "docker.io", "library/busybox", None, f"sha256:{HEX}", "busybox",
         f"busybox@sha256:{HEX}", f"docker.io/library/busybox@sha256:{HEX}"),
        (f"busybox:1.36@sha256:{HEX}", "docker.io", "library/busybox", "1.36", f"sha256:{HEX}", "busybox",
         f"busybox:1.36@sha256:{HEX}", f"docker.io/library/busybox:1.36@sha256:{HEX}"),
    ],
)
def test_normalisation(text, domain, path, tag, digest, familiar, familiar_tagged, full):
    ref = parse(text)
    assert (ref.domain, ref.path, ref.tag, ref.digest) == (domain, path, tag, digest)
    assert ref.familiar == familiar
    assert ref.familiar_tagged == familiar_tagged
    assert ref.full == full
    assert ref.repo_path == path


def test_frozen_value():
    assert parse("busybox") == Reference("docker.io", "library/busybox")
    assert parse("busybox").with_default_tag() == parse("docker.io/library/busybox:latest")


@pytest.mark.parametrize(
    "text, message",
    [
        ("Foo", "invalid reference format: repository name (library/Foo) must be lowercase"),
        ("museopkim/Kubia", "invalid reference format: repository name (museopkim/Kubia) must be lowercase"),
        ("busybox:", "invalid reference format"),
        ("-busybox", "invalid reference format"),
        ("busy box", "invalid reference format"),
        ("busybox@sha256:abc", "invalid reference format"),
        ("busybox@sha256:" + "a" * 40, "invalid checksum digest length"),
        ("", "invalid reference format"),  # "docker.io/library/" does not match
        (HEX, f"invalid repository name ({HEX}), cannot specify 64-byte hexadecimal strings"),
        ("busybox:" + "x" * 200, "invalid reference format"),
    ],
)
def test_errors(text, message):
    with pytest.raises(InvalidReference) as exc:
        parse(text)
    assert str(exc.value) == message
    assert exc.value.status_hint == 400


def test_parse_any_ids():
    assert parse_any(HEX) == IdReference(f"sha256:{HEX}")
    assert parse_any(f"sha256:{HEX}") == IdReference(f"sha256:{HEX}")
    assert isinstance(parse_any("abc123"), Reference)  # a name, maybe also an id prefix


def test_repo_tag_pairs():
    assert parse_repo_tag("docker.io/library/busybox", "latest").full == "docker.io/library/busybox:latest"
    assert parse_repo_tag("alpine", "3.19").familiar_tagged == "alpine:3.19"
    assert parse_repo_tag("museopkim/kubia", "").familiar_tagged == "museopkim/kubia:latest"
    ref = parse_repo_tag("busybox", f"sha256:{HEX}")
    assert ref.digest == f"sha256:{HEX}" and ref.tag is None
    with pytest.raises(InvalidReference, match="invalid tag format"):
        parse_repo_tag("busybox", "bad tag")
