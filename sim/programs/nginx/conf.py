"""nginx's configuration language: the tokenizer and parser of
ngx_conf_file.c (directives, blocks, quoting, ``include`` with globs) and
the table of the directives this nginx knows, with the contexts they are
allowed in and their argument counts, so errors read as nginx words them
(``unknown directive "foo" in /etc/nginx/conf.d/default.conf:3``)."""

import fnmatch
import posixpath

import attrs

from ...errors import SimError


class ConfError(Exception):
    """An [emerg] while reading the configuration; ``str`` is nginx's
    message including `` in FILE:LINE``."""


@attrs.frozen
class Directive:
    name: str
    args: tuple
    file: str
    line: int
    block: "tuple | None" = None  # the directives inside { }, if a block

    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def find(self, name: str) -> "list[Directive]":
        return [d for d in (self.block or ()) if d.name == name]


# Contexts: main, events, http, server, location, types, if, upstream, limit_except.
_ANY_HTTP = ("http", "server", "location")
#: name -> (contexts, (min args, max args or None), is a block)
DIRECTIVES = {
    # core
    "user": (("main",), (1, 2), False),
    "worker_processes": (("main",), (1, 1), False),
    "error_log": (("main", "http", "server", "location"), (1, None), False),
    "pid": (("main",), (1, 1), False),
    "daemon": (("main",), (1, 1), False),
    "master_process": (("main",), (1, 1), False),
    "worker_rlimit_nofile": (("main",), (1, 1), False),
    "worker_cpu_affinity": (("main",), (1, None), False),
    "worker_priority": (("main",), (1, 1), False),
    "worker_shutdown_timeout": (("main",), (1, 1), False),
    "pcre_jit": (("main",), (1, 1), False),
    "env": (("main",), (1, 1), False),
    "load_module": (("main",), (1, 1), False),
    "lock_file": (("main",), (1, 1), False),
    "thread_pool": (("main",), (2, 3), False),
    "include": (("main", "events", "http", "server", "location", "types", "upstream", "if"), (1, 1), False),
    "events": (("main",), (0, 0), True),
    "worker_connections": (("events",), (1, 1), False),
    "use": (("events",), (1, 1), False),
    "multi_accept": (("events",), (1, 1), False),
    "accept_mutex": (("events",), (1, 1), False),
    "accept_mutex_delay": (("events",), (1, 1), False),
    # http core
    "http": (("main",), (0, 0), True),
    "server": (("http", "upstream"), (0, None), True),
    "location": (("server", "location"), (1, 2), True),
    "listen": (("server",), (1, None), False),
    "server_name": (("server",), (1, None), False),
    "root": (_ANY_HTTP + ("if",), (1, 1), False),
    "alias": (("location",), (1, 1), False),
    "index": (_ANY_HTTP, (1, None), False),
    "try_files": (("server", "location"), (2, None), False),
    "return": (("server", "location", "if"), (1, 2), False),
    "rewrite": (("server", "location", "if"), (2, 3), False),
    "if": (("server", "location"), (1, None), True),
    "set": (("server", "location", "if"), (2, 2), False),
    "error_page": (_ANY_HTTP + ("if",), (2, None), False),
    "default_type": (_ANY_HTTP, (1, 1), False),
    "types": (_ANY_HTTP, (0, 0), True),
    "types_hash_max_size": (_ANY_HTTP, (1, 1), False),
    "types_hash_bucket_size": (_ANY_HTTP, (1, 1), False),
    "server_names_hash_bucket_size": (("http",), (1, 1), False),
    "server_names_hash_max_size": (("http",), (1, 1), False),
    "sendfile": (_ANY_HTTP + ("if",), (1, 1), False),
    "sendfile_max_chunk": (_ANY_HTTP, (1, 1), False),
    "tcp_nopush": (_ANY_HTTP, (1, 1), False),
    "tcp_nodelay": (_ANY_HTTP, (1, 1), False),
    "keepalive_timeout": (_ANY_HTTP, (1, 2), False),
    "keepalive_requests": (_ANY_HTTP, (1, 1), False),
    "client_max_body_size": (_ANY_HTTP, (1, 1), False),
    "client_body_buffer_size": (_ANY_HTTP, (1, 1), False),
    "client_header_buffer_size": (("http", "server"), (1, 1), False),
    "large_client_header_buffers": (("http", "server"), (2, 2), False),
    "client_body_timeout": (_ANY_HTTP, (1, 1), False),
    "client_header_timeout": (("http", "server"), (1, 1), False),
    "send_timeout": (_ANY_HTTP, (1, 1), False),
    "server_tokens": (_ANY_HTTP, (1, 1), False),
    "etag": (_ANY_HTTP, (1, 1), False),
    "if_modified_since": (_ANY_HTTP, (1, 1), False),
    "absolute_redirect": (_ANY_HTTP, (1, 1), False),
    "port_in_redirect": (_ANY_HTTP, (1, 1), False),
    "server_name_in_redirect": (_ANY_HTTP, (1, 1), False),
    "resolver": (_ANY_HTTP, (1, None), False),
    "resolver_timeout": (_ANY_HTTP, (1, 1), False),
    "internal": (("location",), (0, 0), False),
    "limit_except": (("location",), (1, None), True),
    "allow": (_ANY_HTTP + ("limit_except",), (1, 1), False),
    "deny": (_ANY_HTTP + ("limit_except",), (1, 1), False),
    "autoindex": (_ANY_HTTP, (1, 1), False),
    "charset": (_ANY_HTTP + ("if",), (1, 1), False),
    "charset_types": (_ANY_HTTP, (1, None), False),
    "source_charset": (_ANY_HTTP + ("if",), (1, 1), False),
    "expires": (_ANY_HTTP + ("if",), (1, 2), False),
    "add_header": (_ANY_HTTP + ("if",), (2, 3), False),
    "log_format": (("http",), (2, None), False),
    "access_log": (_ANY_HTTP + ("if", "limit_except"), (1, None), False),
    "log_not_found": (_ANY_HTTP, (1, 1), False),
    "open_file_cache": (_ANY_HTTP, (1, 2), False),
    "open_log_file_cache": (_ANY_HTTP, (1, 4), False),
    "gzip": (_ANY_HTTP + ("if",), (1, 1), False),
    "gzip_types": (_ANY_HTTP, (1, None), False),
    "gzip_min_length": (_ANY_HTTP, (1, 1), False),
    "gzip_comp_level": (_ANY_HTTP, (1, 1), False),
    "gzip_vary": (_ANY_HTTP, (1, 1), False),
    "gzip_proxied": (_ANY_HTTP, (1, None), False),
    "gzip_disable": (_ANY_HTTP, (1, None), False),
    "gzip_http_version": (_ANY_HTTP, (1, 1), False),
    "gzip_buffers": (_ANY_HTTP, (2, 2), False),
    "gzip_static": (_ANY_HTTP, (1, 1), False),
    "ssi": (_ANY_HTTP + ("if",), (1, 1), False),
    "proxy_pass": (("location", "if", "limit_except"), (1, 1), False),
    "proxy_set_header": (_ANY_HTTP, (2, 2), False),
    "proxy_http_version": (_ANY_HTTP, (1, 1), False),
    "proxy_redirect": (_ANY_HTTP, (1, 2), False),
    "proxy_read_timeout": (_ANY_HTTP, (1, 1), False),
    "proxy_connect_timeout": (_ANY_HTTP, (1, 1), False),
    "proxy_send_timeout": (_ANY_HTTP, (1, 1), False),
    "proxy_buffering": (_ANY_HTTP, (1, 1), False),
    "proxy_cache": (_ANY_HTTP, (1, 1), False),
    "proxy_hide_header": (_ANY_HTTP, (1, 1), False),
    "fastcgi_pass": (("location", "if"), (1, 1), False),
    "fastcgi_param": (_ANY_HTTP, (2, 3), False),
    "fastcgi_index": (_ANY_HTTP, (1, 1), False),
    "upstream": (("http",), (1, 1), True),
    "real_ip_header": (_ANY_HTTP, (1, 1), False),
    "set_real_ip_from": (_ANY_HTTP, (1, 1), False),
    "stub_status": (("server", "location"), (0, 1), False),
    "map": (("http",), (2, 2), True),
    "ssl_certificate": (("http", "server"), (1, 1), False),
    "ssl_certificate_key": (("http", "server"), (1, 1), False),
    "ssl_protocols": (("http", "server"), (1, None), False),
    "ssl_ciphers": (("http", "server"), (1, 1), False),
    "http2": (("http", "server"), (1, 1), False),
}


def tokenize(text: str, file: str):
    """Yield (kind, value, line): kind "word" (value unquoted), ";", "{",
    "}", with ngx_conf_read_token's quoting and escapes."""
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif c in ";{}":
            yield c, c, line
            i += 1
        elif c in "\"'":
            quote, start_line, i, out = c, line, i + 1, []
            while True:
                if i >= n:
                    raise ConfError(f"unexpected end of file, expecting \";\" or \"}}\" in {file}:{line}")
                ch = text[i]
                if ch == "\\" and i + 1 < n and text[i + 1] in (quote, "\\", "n", "r", "t"):
                    nxt = text[i + 1]
                    out.append({"n": "\n", "r": "\r", "t": "\t"}.get(nxt, nxt))
                    i += 2
                    continue
                if ch == quote:
                    i += 1
                    break
                if ch == "\n":
                    line += 1
                out.append(ch)
                i += 1
            if i < n and text[i] not in " \t\r\n;{}":
                raise ConfError(f"unexpected \"{text[i]}\" in {file}:{line}")
            yield "word", "".join(out), start_line
        else:
            out = []
            while i < n and text[i] not in " \t\r\n;{}":
                ch = text[i]
                if ch == "\\" and i + 1 < n:
                    out.append(text[i + 1])
                    i += 2
                    continue
                if ch in "\"'" and not out:
                    break
                out.append(ch)
                i += 1
            word = "".join(out)
            # "${" and "{" inside a word: nginx keeps variables like ${var}.
            while i < n and text[i] == "{" and word.endswith("$"):
                j = text.index("}", i)
                word += text[i:j + 1]
                i = j + 1
                while i < n and text[i] not in " \t\r\n;{}":
                    word += text[i]
                    i += 1
            yield "word", word, line


class Parser:
    """Reads a configuration file and everything it includes, through
    ``read(path) -> str`` and ``glob(pattern) -> [paths]`` (both may
    raise SimError)."""

    def __init__(self, read, glob, prefix: str = "/etc/nginx/"):
        self.read = read
        self.glob = glob
        self.prefix = prefix

    def parse_file(self, path: str, context: str = "main") -> tuple:
        text = self.read(path)
        tokens = list(tokenize(text, path))
        pos, out = self._block(tokens, 0, path, context, top=True)
        return tuple(out)

    def parse_text(self, text: str, name: str, context: str = "main") -> tuple:
        tokens = list(tokenize(text, name))
        _, out = self._block(tokens, 0, name, context, top=True)
        return tuple(out)

    def _block(self, tokens, pos: int, file: str, context: str, top: bool):
        out = []
        while True:
            if pos >= len(tokens):
                if top:
                    return pos, out
                last = tokens[-1][2] if tokens else 1
                raise ConfError(f"unexpected end of file, expecting \"}}\" in {file}:{last}")
            kind, value, line = tokens[pos]
            if kind == "}":
                if top:
                    raise ConfError(f"unexpected \"}}\" in {file}:{line}")
                return pos + 1, out
            if kind in (";", "{"):
                raise ConfError(f"unexpected \"{kind}\" in {file}:{line}")
            name, args, start = value, [], line
            pos += 1
            while True:
                if pos >= len(tokens):
                    raise ConfError(f"unexpected end of file, expecting \";\" or \"}}\" in {file}:{tokens[-1][2]}")
                kind, value, line = tokens[pos]
                if kind == "word":
                    args.append(value)
                    pos += 1
                    continue
                break
            if context == "types" or context == "map":
                if kind != ";":
                    raise ConfError(f"unexpected \"{kind}\" in {file}:{line}")
                if name == "include" and context == "types":
                    out.extend(self._include(args, file, start, context))
                else:
                    out.append(Directive(name, tuple(args), file, start))
                pos += 1
                continue
            spec = DIRECTIVES.get(name)
            if spec is None:
                raise ConfError(f"unknown directive \"{name}\" in {file}:{start}")
            contexts, (lo, hi), is_block = spec
            if context not in contexts:
                raise ConfError(f"\"{name}\" directive is not allowed here in {file}:{start}")
            if is_block and kind != "{":
                raise ConfError(f"directive \"{name}\" has no opening \"{{\" in {file}:{line}")
            if not is_block and kind != ";":
                raise ConfError(f"directive \"{name}\" is not terminated by \";\" in {file}:{line}")
            if len(args) < lo or (hi is not None and len(args) > hi):
                raise ConfError(f"invalid number of arguments in \"{name}\" directive in {file}:{start}")
            if is_block:
                inner = name if name in ("events", "http", "server", "location", "types", "if",
                                         "upstream", "map", "limit_except") else name
                pos, body = self._block(tokens, pos + 1, file, inner, top=False)
                out.append(Directive(name, tuple(args), file, start, tuple(body)))
            elif name == "include":
                pos += 1
                out.extend(self._include(args, file, start, context))
            else:
                pos += 1
                out.append(Directive(name, tuple(args), file, start))

    def _include(self, args, file: str, line: int, context: str) -> list:
        pattern = args[0]
        if not pattern.startswith("/"):
            pattern = posixpath.join(self.prefix, pattern)
        if any(c in pattern for c in "*?["):
            paths = sorted(self.glob(pattern))
        else:
            paths = [pattern]
        out = []
        for path in paths:
            try:
                text = self.read(path)
            except SimError as err:
                raise ConfError(f"open() \"{path}\" failed ({int(err.errno_value)}: "
                                f"{err.strerror_text}) in {file}:{line}") from None
            tokens = list(tokenize(text, path))
            _, body = self._block(tokens, 0, path, context, top=True)
            out.extend(body)
        return out


def glob_paths(listdir, kind, pattern: str) -> list:
    """glob(3) for ``include``: ``pattern``'s wildcards matched with
    fnmatch, hidden files only when asked; ``kind(path)`` is "dir",
    "file" or None (missing).  Only files are returned."""
    parts = [p for p in pattern.split("/") if p]
    found = ["/"]
    for part in parts:
        nxt = []
        for base in found:
            if not any(c in part for c in "*?["):
                nxt.append(posixpath.join(base, part))
                continue
            try:
                names = listdir(base)
            except SimError:
                continue
            for name in sorted(names):
                if name.startswith(".") and not part.startswith("."):
                    continue
                if fnmatch.fnmatchcase(name, part):
                    nxt.append(posixpath.join(base, name))
        found = nxt
    return [p for p in found if kind(p) == "file"]
