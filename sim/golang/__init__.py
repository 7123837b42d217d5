"""Go standard-library behaviours Docker's texts depend on.

dockerd is Go code; many of its error texts and formats come straight out
of Go's standard library.  This package re-states those rules once, in
Python, for the Dockerfile front end (`daemon/builder`), the archive code
(`sim.fs.archive`, `sim.images.archive`) and the daemon, so they all
produce the bytes Docker does.  One module per Go package:

- `strconv`: ``Quote``, ``QuoteRune``, ``ParseInt``/``ParseUint``/``ParseBool``
  (and ``%q``/``%v`` of string slices);
- `time`: ``ParseDuration``/``Duration.String``, ``time.Parse`` for the
  numeric layouts, ``time.Time`` in RFC 3339;
- `path`: ``Clean``, ``Join``, ``Base``, ``Dir``, ``Split``, ``Rel`` and
  ``Match`` (``path`` and ``path/filepath`` on Unix);
- `json`: ``encoding/json``'s scanner, decoder and encoder with Go's error
  texts;
- `text`: bytes as Go strings, ``unicode`` classes, ``strings.TrimSpace``,
  buildkit's suggestions;
- `symlink`: moby/sys/symlink's ``FollowSymlinkInScope`` (path logic the
  two archive modules share).

The names below are re-exported so ``golang.quote(...)`` and friends keep
working; new code may import the modules.
"""

from __future__ import annotations

from .errors import GoError
from .json import NotJSON, NotStringArray, json_string_array, marshal
from .path import PatternError, base, clean_path, dir_of, join_path, rel_path, split_path
from .path import match as path_match
from .strconv import (format_q_list, format_v_list, parse_bool, parse_int, parse_uint, quote,
                      quote_rune)
from .text import (decode, encode, is_digit, is_letter, is_space, levenshtein, suggest,
                   trim_left_space, trim_space, with_suggestion)
from .time import format_duration, parse_duration, rfc3339_nano

__all__ = [
    "GoError", "decode", "encode", "is_space", "trim_space", "trim_left_space",
    "quote", "quote_rune", "format_q_list", "format_v_list", "parse_duration",
    "format_duration", "parse_int", "parse_uint", "parse_bool", "clean_path",
    "join_path", "base", "dir_of", "split_path", "rel_path", "rfc3339_nano", "marshal",
    "levenshtein", "suggest", "with_suggestion", "json_string_array",
    "NotJSON", "NotStringArray", "is_digit", "is_letter", "PatternError", "path_match",
]
