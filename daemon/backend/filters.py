"""The ``filters`` query parameter, as moby's ``api/types/filters`` reads it.
(The wildcards of the ``reference`` filter are Go's ``path.Match``:
`dockersim.sim.golang.path.match`.)

``filters`` is JSON: ``{"dangling":{"true":true},"label":{"a=b":true}}``,
or the legacy form ``{"dangling":["true"]}``.  Anything else is
``invalid filter`` (400).  A key the endpoint does not accept is
``invalid filter 'foo'``; a ``dangling`` that is not one boolean is
``invalid filter 'dangling=[maybe]'``.
"""

from __future__ import annotations

import json

from ..errors import InvalidParameter

__all__ = ["FilterError", "Filters", "parse_filters", "prune_labels_match"]


class FilterError(ValueError):
    """moby's ``invalidFilter`` (an InvalidParameter, 400); ``str`` is its text."""

    def __init__(self, name: str = "", values: "list[str] | None" = None):
        message = "invalid filter"
        if name:
            message += " '" + name
            if values is not None:
                message += "=[" + " ".join(values) + "]"
            message += "'"
        super().__init__(message)


class Filters:
    """A parsed ``filters`` value: key -> {value: bool}."""

    def __init__(self, fields: "dict[str, dict[str, bool]] | None" = None):
        self.fields: "dict[str, dict[str, bool]]" = dict(fields or {})

    @classmethod
    def from_json(cls, text: str) -> "Filters":
        """``filters.FromJSON``: "" is no filter.  Raises FilterError."""
        if not text:
            return cls()
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError):  # too deep for Python: no map of Go's either
            raise FilterError() from None
        if doc is None:
            return cls()
        if not isinstance(doc, dict):
            raise FilterError()
        # Go's decoder leaves a null at the zero value: a null bool is
        # false, a null string in the legacy lists is "".
        current = all(v is None or (isinstance(v, dict) and all(b is None or isinstance(b, bool)
                                                                for b in v.values()))
                      for v in doc.values())
        if current:
            return cls({k: {name: bool(b) for name, b in (v or {}).items()} for k, v in doc.items()})
        legacy = all(v is None or (isinstance(v, list) and all(s is None or isinstance(s, str) for s in v))
                     for v in doc.values())
        if legacy:
            return cls({k: dict.fromkeys(("" if s is None else s for s in v or ()), True)
                        for k, v in doc.items()})
        raise FilterError()
        current = all(v is None or (isinstance(v, dict) and all(isinstance(b, bool) for b in v.values()))
                      for v in doc.values())
        if current:
            return cls({k: dict(v or {}) for k, v in doc.items()})
        legacy = all(v is None or (isinstance(v, list) and all(isinstance(s, str) for s in v))
                     for v in doc.values())
        if legacy:
            return cls({k: dict.fromkeys(v or (), True) for k, v in doc.items()})
        raise FilterError()

    def validate(self, accepted) -> None:
        """Raises FilterError for the first key not in ``accepted``."""
        for name in sorted(self.fields):
            if name not in accepted:
                raise FilterError(name)

    def contains(self, key: str) -> bool:
        return key in self.fields

    def get(self, key: str) -> "list[str]":
        """The values of a key (sorted, for a stable order)."""
        return sorted(self.fields.get(key) or {})

    def get_bool_or_default(self, key: str, default: bool) -> bool:
        """``GetBoolOrDefault``: "1"/"true" or "0"/"false", not both.
        Raises FilterError."""
        if key not in self.fields:
            return default
        values = self.fields[key]
        if not values:
            raise FilterError(key)
        is_false = bool(values.get("0") or values.get("false"))
        is_true = bool(values.get("1") or values.get("true"))
        if is_false == is_true:
            raise FilterError(key, self.get(key))
        return is_true

    def match_kv_list(self, key: str, labels: "dict[str, str] | None") -> bool:
        """``MatchKVList``: every ``k`` / ``k=v`` of the key is among the
        labels (True when the key has no values)."""
        wanted = self.fields.get(key) or {}
        if not wanted:
            return True
        if not labels:
            return False
        for value in wanted:
            k, eq, v = value.partition("=")
            if k not in labels or (eq and labels[k] != v):
                return False
        return True


def parse_filters(text: str, accepted, reference: str = "") -> Filters:
    """The ``filters`` parameter (plus a ``reference`` pattern, when
    given), checked against the accepted keys."""
    try:
        filters = Filters.from_json(text or "")
        if reference:
            filters.fields.setdefault("reference", {})[reference] = True
        filters.validate(accepted)
    except FilterError as err:
        raise InvalidParameter(str(err)) from None
    return filters


def prune_labels_match(filters: Filters, labels) -> bool:
    """moby's ``matchLabels``: every ``label`` matches and, when given,
    not every ``label!``."""
    if not filters.match_kv_list("label", labels):
        return False
    return not (filters.contains("label!") and filters.match_kv_list("label!", labels))
