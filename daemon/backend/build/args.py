"""Build arguments: moby's builder/dockerfile/buildargs.go.

Three sets: the args the Dockerfile allows in the current stage (``ARG``
in it, with their defaults), the meta args (``ARG`` before the first
``FROM``, for ``FROM`` lines and as defaults of later ``ARG NAME``), and
the ones the Dockerfile referenced at all (for the "not consumed"
warning).  ``--build-arg`` values override defaults; a ``--build-arg``
given without a value and absent from the client's environment arrives as
null and counts only for the warning.

The proxy variables (``HTTP_PROXY``, ``https_proxy``, …) are allowed
without an ``ARG``: a RUN sees them, but they stay out of the image's
history unless the Dockerfile declares them.
"""

BUILTIN_ALLOWED = frozenset({
    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
    "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
})


class BuildArgs:
    def __init__(self, from_options: "dict | None" = None):
        #: name -> default (None: declared without one)
        self.allowed: "dict[str, str | None]" = {}
        self.meta: "dict[str, str | None]" = {}
        self.referenced: "set[str]" = set()
        self.from_options: "dict[str, str | None]" = dict(from_options or {})

    def clone(self) -> "BuildArgs":
        other = BuildArgs(self.from_options)
        other.allowed = dict(self.allowed)
        other.meta = dict(self.meta)
        other.referenced = set(self.referenced)
        return other

    def merge_referenced(self, other: "BuildArgs") -> None:
        self.referenced |= other.referenced

    def unused(self) -> "list[str]":
        """``--build-arg`` names no ARG consumed (proxy names excepted), sorted."""
        return sorted(k for k in self.from_options
                      if k not in self.referenced and k not in BUILTIN_ALLOWED)

    def reset_allowed(self) -> None:
        self.allowed = {}

    def add_meta_arg(self, key: str, value: "str | None") -> None:
        self.meta[key] = value

    def add_arg(self, key: str, value: "str | None") -> None:
        self.allowed[key] = value
        self.referenced.add(key)

    def is_referenced_or_not_builtin(self, key: str) -> bool:
        return key in self.allowed or key not in BUILTIN_ALLOWED

    def _get(self, key: str, mapping: dict) -> "tuple[str, bool]":
        default = mapping.get(key)
        exists = key in mapping
        override = self.from_options.get(key)
        if key in self.from_options and override is not None:
            return override, True
        if default is None:
            meta = self.meta.get(key)
            if meta is not None:
                return meta, True
            return "", False
        return default, exists

    def _all(self, mapping: dict) -> "dict[str, str]":
        out = {}
        for key in sorted(set(mapping) | BUILTIN_ALLOWED):
            value, ok = self._get(key, mapping)
            if ok:
                out[key] = value
        return out

    def all_allowed(self) -> "dict[str, str]":
        return self._all(self.allowed)

    def all_meta(self) -> "dict[str, str]":
        return self._all(self.meta)

    def filter_allowed(self, env) -> "list[str]":
        """The allowed args (``K=v``) the environment does not set."""
        set_keys = {e.partition("=")[0] for e in env or ()}
        return [f"{k}={v}" for k, v in self.all_allowed().items() if k not in set_keys]
