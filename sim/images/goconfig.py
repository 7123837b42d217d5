"""moby's image config types as Go's ``encoding/json`` sees them, for
`sim.golang.json` (decoding with Go's type errors, marshalling in Go's
field order): ``container.Config``, ``image.V1Image``, ``image.Image``,
its ``RootFS`` and ``History``.

``docker save``/``load``/``import`` (`sim.images.archive`) and the
daemon's commits and build steps (``NewChildImage``, the build cache's
``restoreCachedImage``) share them, so an image config is written one way.
`marshal_image` is ``image.Image.MarshalJSON``: the struct marshalled,
then re-marshalled through a map, so the top-level keys come out sorted.
"""

from __future__ import annotations

from ..golang.json import (BOOL, DURATION, INT, INT64, STRING, STRING_MAP, STRINGS, Empty, Field,
                           Map, Ptr, Scalar, Slice, StrSlice, Struct, TimeType, encode_string,
                           struct_pairs)

__all__ = ["HEALTH_CONFIG", "CONTAINER_CONFIG", "V1IMAGE", "ROOTFS", "HISTORY", "HISTORIES", "IMAGE",
           "marshal_image"]

HEALTH_CONFIG = Struct("HealthcheckConfig", "v1.HealthcheckConfig", (
    Field("Test", STRINGS, True), Field("Interval", DURATION, True),
    Field("Timeout", DURATION, True), Field("StartPeriod", DURATION, True),
    Field("StartInterval", DURATION, True), Field("Retries", INT, True),
))

#: ``container.Config`` (api/types/container/config.go), in field order.
CONTAINER_CONFIG = Struct("Config", "container.Config", (
    Field("Hostname", STRING), Field("Domainname", STRING), Field("User", STRING),
    Field("AttachStdin", BOOL), Field("AttachStdout", BOOL), Field("AttachStderr", BOOL),
    Field("ExposedPorts", Map(Empty(), "nat.PortSet"), True),
    Field("Tty", BOOL), Field("OpenStdin", BOOL), Field("StdinOnce", BOOL),
    Field("Env", STRINGS), Field("Cmd", StrSlice()),
    Field("Healthcheck", Ptr(HEALTH_CONFIG), True), Field("ArgsEscaped", BOOL, True),
    Field("Image", STRING), Field("Volumes", Map(Empty(), "map[string]struct {}")),
    Field("WorkingDir", STRING), Field("Entrypoint", StrSlice()),
    Field("NetworkDisabled", BOOL, True), Field("MacAddress", STRING, True),
    Field("OnBuild", STRINGS), Field("Labels", STRING_MAP),
    Field("StopSignal", STRING, True), Field("StopTimeout", Ptr(INT), True),
    Field("Shell", StrSlice(), True),
))


def v1_fields(via: "tuple[str, ...]", with_parent: bool) -> "tuple[Field, ...]":
    """``image.V1Image``; inside ``image.Image`` its ``parent`` is shadowed
    by Image's own."""
    fields = [Field("id", STRING, True, via)]
    if with_parent:
        fields.append(Field("parent", STRING, True, via))
    fields += [
        Field("comment", STRING, True, via), Field("created", Ptr(TimeType()), False, via),
        Field("container", STRING, True, via), Field("container_config", CONTAINER_CONFIG, False, via),
        Field("docker_version", STRING, True, via), Field("author", STRING, True, via),
        Field("config", Ptr(CONTAINER_CONFIG), True, via), Field("architecture", STRING, True, via),
        Field("variant", STRING, True, via), Field("os", STRING, True, via),
        Field("Size", INT64, True, via),
    ]
    return tuple(fields)


V1IMAGE = Struct("V1Image", "image.V1Image", v1_fields((), True))

ROOTFS = Struct("RootFS", "image.RootFS", (
    Field("type", STRING), Field("diff_ids", Slice(Scalar("string", "layer.DiffID"), "[]layer.DiffID"), True),
))

HISTORY = Struct("History", "v1.History", (
    Field("created", Ptr(TimeType()), True), Field("created_by", STRING, True),
    Field("author", STRING, True), Field("comment", STRING, True),
    Field("empty_layer", BOOL, True),
))
HISTORIES = Slice(HISTORY, "[]v1.History")

#: ``image.Image`` (V1Image embedded first).
IMAGE = Struct("Image", "image.Image", v1_fields(("V1Image",), False) + (
    Field("parent", Scalar("string", "image.ID"), True),
    Field("rootfs", Ptr(ROOTFS), True), Field("history", HISTORIES, True),
    Field("os.version", STRING, True), Field("os.features", STRINGS, True),
))


def marshal_image(image: dict) -> bytes:
    """``json.Marshal`` of an ``image.Image`` value (as `Decoder` makes
    it): its fields, omitempty ones left out when empty, keys sorted."""
    pairs = struct_pairs(image, IMAGE)
    return ("{" + ",".join(encode_string(k) + ":" + v for k, v in sorted(pairs)) + "}").encode()
