"""Registry credentials: ``POST /auth`` (``docker login``) and the
``X-Registry-Auth`` header of push (moby's ``registry.AuthConfig``,
``api/server/router/system`` postAuth, ``registry/service.go`` Auth,
``registry/auth.go`` loginV2).

This is a simulation: no real registry is contacted.  Docker Hub is the
simulated hub of ``sim.images.hub``, where the first login with a
username and a non-empty password creates the account; any other
registry does not exist in the simulated world and answers as an
unreachable host does.

What dockerd does, and so what this does:

- The body is decoded with Go's ``json.Decoder`` into an AuthConfig; a
  decoding error is a 500 with Go's words (``EOF`` for an empty body,
  ``unexpected EOF``, ``invalid character 'x' looking for beginning of
  value``, ``json: cannot unmarshal array into Go value of type
  registry.AuthConfig``).  A ``null`` body makes dockerd dereference a
  nil pointer: the connection drops without an answer.
- ``serveraddress`` names the registry: none, ``docker.io``,
  ``index.docker.io`` or ``https://index.docker.io/v1/`` (what the CLI
  sends) mean Docker Hub, reached at ``https://registry-1.docker.io``;
  ``https://`` is put in front of an address without a scheme, and an
  address Go's URL parser refuses is a 400 ``unable to parse server
  address: …``.
- Credentials are sent only when both username and password are set;
  otherwise the registry hands out an anonymous token and the login
  "succeeds" (docker-py's ``login(username)`` does this).
- Success is 200 ``{"IdentityToken":"","Status":"Login Succeeded"}``; a
  wrong password is 401 ``Get "https://registry-1.docker.io/v2/":
  unauthorized: incorrect username or password``.
"""

import base64
import ipaddress

from ...sim.golang.json import JSONError, decode_struct
from ...sim.images.errors import IncorrectCredentials
from ...sim.images.push import Credentials
from ..errors import InvalidParameter, SystemError, Unauthorized

#: The JSON names of moby's ``registry.AuthConfig``.
AUTH_FIELDS = ("username", "password", "auth", "email", "serveraddress", "identitytoken",
               "registrytoken")

#: Where Docker Hub's API lives (moby's ``DefaultV2Registry``).
HUB_ENDPOINT = "https://registry-1.docker.io"
#: Hosts that are Docker Hub (``DefaultNamespace``, ``IndexHostname``, the API host).
HUB_HOSTS = {"docker.io", "index.docker.io", "registry-1.docker.io"}

_URL_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def credentials(fields: "dict[str, str]") -> Credentials:
    return Credentials(fields.get("username", ""), fields.get("password", ""), fields.get("auth", ""),
                       fields.get("identitytoken", ""), fields.get("registrytoken", ""))


def _base64url_prefix(text: str) -> bytes:
    """What Go's streaming base64 (URL alphabet, padded) decoder yields
    before it stops: every whole 4-character group up to the first bad
    one; a last group cut short (missing ``=`` padding) is not decoded."""
    text = text.replace("\r", "").replace("\n", "")
    out = bytearray()
    for i in range(0, len(text) - len(text) % 4, 4):
        group = text[i:i + 4]
        data = group.rstrip("=")
        pad = len(group) - len(data)
        if pad > 2 or len(data) < 2 and pad or not set(data) <= _URL_ALPHABET:
            break
        out += base64.urlsafe_b64decode(group)
        if pad:
            break
    return bytes(out)


def decode_registry_auth(header: str) -> "tuple[Credentials, str | None]":
    """moby's ``DecodeAuthConfig``: base64url JSON (``e30=`` is ``{}``).
    Returns the credentials and the decoding error ("" fields on error)."""
    if not header:
        return Credentials(), None
    return decode_auth_body(_base64url_prefix(header))


def decode_auth_body(raw: bytes) -> "tuple[Credentials, str | None]":
    """``DecodeAuthConfigBody``: the same JSON in a request body (what
    both decode: Go's ``json.Decoder`` into an AuthConfig)."""
    try:
        fields = decode_struct(raw, "AuthConfig", AUTH_FIELDS, package="registry")
    except JSONError as err:
        return Credentials(), f"invalid X-Registry-Auth header: {err}"
    return credentials(fields or {}), None


def _url_host(address: str) -> str:
    """The host Go's ``url.Parse`` finds in ``https://…`` (with its port).
    Raises InvalidParameter with Go's words for the host it refuses."""
    rest = address.split("://", 1)[1]
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = authority.rpartition("@")[2]
    for c in host:
        if c == " " or ord(c) < 0x20 or ord(c) == 0x7F or c in '<>"{}|\\^`':
            raise InvalidParameter(f'unable to parse server address: parse "{address}": '
                                   f'invalid character "{c}" in host name')
    return host


def _split_host_port(host: str) -> "tuple[str, str]":
    if host.startswith("["):
        name, _, rest = host.partition("]")
        return name + "]", rest[1:] if rest.startswith(":") else ""
    name, sep, port = host.rpartition(":")
    return (name, port) if sep else (host, "")


def is_insecure(host: str) -> bool:
    """Whether dockerd treats a registry host as insecure by default: a
    loopback one (``localhost``, 127.0.0.0/8, ::1), in the default
    insecure CIDR."""
    name, _port = _split_host_port(host)
    try:
        ip = ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return name == "localhost"
    return ip.is_loopback


def dial_error(host: str, scheme: str) -> str:
    """What Go's dialer says when it reaches for a registry host of the
    simulated world, where none exists: a name does not resolve; an
    address (``localhost`` is 127.0.0.1) refuses the connection."""
    name, port = _split_host_port(host)
    try:
        ipaddress.ip_address(name.strip("[]"))
        addr = name
    except ValueError:
        if name != "localhost":
            return f"dial tcp: lookup {name}: no such host"
        addr = "127.0.0.1"
    return f"dial tcp {addr}:{port or (80 if scheme == 'http' else 443)}: connect: connection refused"


def _unreachable(host: str) -> SystemError:
    """How a registry that does not exist in the simulated world fails.
    Loopback hosts are insecure registries, so dockerd tries HTTPS and
    then plain HTTP; the HTTP attempt's error is the one reported."""
    scheme = "http" if is_insecure(host) else "https"
    return SystemError(f'Get "{scheme}://{host}/v2/": {dial_error(host, scheme)}')


class Authenticator:
    """``docker login`` against the simulated hub."""

    def __init__(self, hub):
        self.hub = hub

    def login(self, raw: bytes) -> dict:
        """``POST /auth`` with this body.  Raises the kinds above;
        ConnectionAbortedError for a ``null`` body (dockerd's panic)."""
        try:
            fields = decode_struct(raw, "AuthConfig", AUTH_FIELDS, package="registry")
        except JSONError as err:
            raise SystemError(str(err)) from None
        if fields is None:
            raise ConnectionAbortedError("nil auth config: dockerd drops the connection")
        host = "index.docker.io"
        address = fields["serveraddress"]
        if address:
            if not address.startswith(("https://", "http://")):
                address = "https://" + address
            host = _url_host(address)
        if host not in HUB_HOSTS:
            if not host:
                raise SystemError('Get "https:/v2/": http: no Host in request URL')
            raise _unreachable(host)
        username, password = fields["username"], fields["password"]
        if username and password:
            try:
                self.hub.login(username, password)
            except IncorrectCredentials as err:
                raise Unauthorized(f'Get "{HUB_ENDPOINT}/v2/": {err}') from None
        return {"IdentityToken": "", "Status": "Login Succeeded"}  # Go's field order
