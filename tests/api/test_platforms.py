"""daemon/backend/platforms.py: containerd's platforms.Parse, moby's
DecodePlatform, and the matchers save, load and push compare images with."""

from __future__ import annotations

import pytest

from dockersim.daemon.backend.platforms import (Platform, decode_platform, only, only_strict,
                                                only_with_fallback, parse_platform)
from dockersim.daemon.errors import InvalidParameter

SPEC_RE = '"^[A-Za-z0-9_.-]+$"'
OS_RE = '"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.-]*)\\\\))?$"'


@pytest.mark.parametrize("text, want", [
    ("linux/arm64", Platform("linux", "arm64")),
    ("linux/arm64/v8", Platform("linux", "arm64", "v8")),
    ("linux/aarch64/8", Platform("linux", "arm64", "v8")),
    ("linux/x86_64", Platform("linux", "amd64")),
    ("Linux/AMD64", Platform("linux", "amd64")),
    ("linux/arm", Platform("linux", "arm")),
    ("linux/armhf", Platform("linux", "arm")),
    ("linux/arm/7", Platform("linux", "arm", "v7")),
    ("linux/i386", Platform("linux", "386")),
    ("macos/arm64", Platform("darwin", "arm64")),
    ("plan10/amd64", Platform("plan10", "amd64")),  # 2 parts: any os
    ("linux/sparkle", Platform("linux", "sparkle")),
    ("windows(10.0.17763)/amd64", Platform("windows", "amd64", "", "10.0.17763")),
    ("amd64", Platform("linux", "amd64")),  # a lone architecture: the host's os
    ("aarch64", Platform("linux", "arm64")),
    ("linux", Platform("linux", "s390x")),  # a lone os: the host's architecture
    ("linux/x y", f'"x y" is an invalid component of "linux/x y": platform specifier component '
                  f"must match {SPEC_RE}: invalid argument"),
    ("", f'"" is an invalid OS component of "": OSAndVersion specifier component must match '
         f"{OS_RE}: invalid argument"),
    ("lin.ux/amd64", f'"lin.ux" is an invalid OS component of "lin.ux/amd64": OSAndVersion '
                     f"specifier component must match {OS_RE}: invalid argument"),
    ("linux\n/amd64", f'"linux\\n" is an invalid OS component of "linux\\n/amd64": OSAndVersion '
                      f"specifier component must match {OS_RE}: invalid argument"),
    ("linux/*", '"linux/*": wildcards not yet supported: invalid argument'),
    ("plan10", '"plan10": unknown operating system or architecture: invalid argument'),
    ("a/b/c/d", '"a/b/c/d": cannot parse platform specifier: invalid argument'),
])
def test_parse_platform(text, want):
    """A platform, or containerd's error (a 400)."""
    if isinstance(want, Platform):
        assert parse_platform(text, host_arch="s390x") == want
    else:
        with pytest.raises(InvalidParameter) as exc:
            parse_platform(text, host_arch="s390x")
        assert exc.value.message == want


def test_format_all():
    assert str(Platform("linux", "arm64", "v8")) == "linux/arm64/v8"
    assert str(Platform("windows", "amd64", "", "10.0")) == "windows(10.0)/amd64"
    assert str(Platform("", "amd64")) == "unknown"


@pytest.mark.parametrize("text, message", [
    ('{"os":"linux","architecture":"arm64","variant":"v8"}', None),
    ("linux/arm64", "failed to parse platform: invalid character 'l' looking for beginning of value"),
    ('{"os":1}', "failed to parse platform: json: cannot unmarshal number into Go struct field "
                 "Platform.os of type string"),
    ('{"variant":"v8"}', "optional platform fields provided, but OS and Architecture are missing"),
    ('{"os":"linux"}', "both OS and Architecture must be provided"),
    ("null", "both OS and Architecture must be provided"),
])
def test_decode_platform(text, message):
    if message is None:
        assert decode_platform(text) == Platform("linux", "arm64", "v8")
        return
    with pytest.raises(InvalidParameter) as exc:
        decode_platform(text)
    assert exc.value.message == message


def test_matchers():
    amd64, i386 = Platform("linux", "amd64"), Platform("linux", "386")
    arm64, armv7 = Platform("linux", "arm64"), Platform("linux", "arm", "v7")
    assert only_strict(Platform("linux", "arm64", "v8"))(arm64)  # normalised alike
    assert not only_strict(amd64)(i386)
    assert only(amd64)(i386) and not only(i386)(amd64)
    assert only(arm64)(armv7) and not only(armv7)(arm64)
    assert only(Platform("linux", "arm", "v7"))(Platform("linux", "arm", "v6"))
    assert only(armv7)(Platform("linux", "arm"))  # a bare arm normalises to arm/v7
    assert not only(Platform("linux", "arm", "v6"))(Platform("linux", "arm"))
    # moby's fallback: an image config without a variant matches on os and architecture
    assert only_with_fallback(Platform("linux", "arm", "v6"))(Platform("linux", "arm"))
    assert not only_with_fallback(amd64)(arm64)
