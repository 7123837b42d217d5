"""The built-in images carry the files their distributions ship (passwd,
group, shadow, os-release, …, per release), the bash and nginx-on-alpine
images are built on the alpine layer they share, and the hub serves them."""

import io
import json
import os
import subprocess
import sys
import tarfile

import pytest

from dockersim.sim.clock import ManualClock
from dockersim.sim.ids import IdSource
from dockersim.sim.images import catalog
from dockersim.sim.images.hub import Hub
from dockersim.sim.images.image_store import ImageStore
from dockersim.sim.images.layer_store import LayerStore
from dockersim.sim.images.pull import pull
from dockersim.sim.images.reference import parse
from dockersim.sim.images.v2metadata import V2MetadataService
from dockersim.sim.programs import table
from dockersim.sim.runtime.machine import Machine
from dockersim.sim.runtime.spec import ContainerSpec, ProcessSpec, RootSpec
from dockersim.sim.store import MemoryStore

from .helpers import run_to_exit


def _merged(image) -> "dict[str, tuple[tarfile.TarInfo, bytes | None]]":
    """The image's files as a container sees them: later layers win (none
    of these images deletes a file, so there are no whiteouts to apply)."""
    files = {}
    for layer in image.layers:
        with tarfile.open(fileobj=io.BytesIO(layer)) as tf:
            for m in tf.getmembers():
                files[m.name] = (m, tf.extractfile(m).read() if m.isfile() else None)
    return files


def _text(repo: str, tag: str, path: str) -> str:
    return _merged(catalog.image_for(repo, tag))[path][1].decode()


def _entries(text: str) -> "dict[str, list[str]]":
    return {line.split(":", 1)[0]: line.split(":") for line in text.splitlines()}


def _config(repo: str, tag: str) -> dict:
    return json.loads(catalog.image_for(repo, tag).config_bytes)


# -- passwd / group / shadow ------------------------------------------------------------


@pytest.mark.parametrize("minor", ["3.10", "3.11", "3.14", "3.16", "3.17", "3.18", "3.19", "3.20"])
def test_no_alpine_release_has_a_user_or_group_1000(minor):
    passwd = _entries(_text("library/alpine", minor, "etc/passwd"))
    group = _entries(_text("library/alpine", minor, "etc/group"))
    assert all(fields[2] != "1000" for fields in passwd.values())
    assert all(fields[2] != "1000" for fields in group.values())
    assert passwd["nobody"][2:4] == ["65534", "65534"] and group["nogroup"][2] == "65533"


def test_alpine_3_20_has_alpine_baselayout_3_6_users():
    passwd = _entries(_text("library/alpine", "3.20", "etc/passwd"))
    assert list(passwd) == ["root", "bin", "daemon", "lp", "sync", "shutdown", "halt", "mail", "news", "uucp",
                            "cron", "ftp", "sshd", "games", "ntp", "guest", "nobody"]
    assert passwd["root"][6] == "/bin/sh"
    group = _entries(_text("library/alpine", "3.20", "etc/group"))
    assert "postgres" not in group and "man" not in group and group["www-data"][2] == "82"
    assert group["shadow"][2] == "42" and group["ping"][2] == "999"


def test_alpine_3_19_still_has_the_long_list_with_ash_for_root():
    passwd = _entries(_text("library/alpine", "3.19", "etc/passwd"))
    assert passwd["root"][6] == "/bin/ash"
    assert {"adm", "operator", "man", "postmaster", "at", "squid", "xfs", "cyrus", "vpopmail", "smmsp"} <= set(passwd)
    assert "postgres" not in passwd and passwd["mail"][5] == "/var/mail"


def test_only_alpine_3_10_has_postgres_70():
    old = _entries(_text("library/alpine", "3.10", "etc/passwd"))
    assert old["postgres"] == ["postgres", "x", "70", "70", "", "/var/lib/postgresql", "/bin/sh"]
    assert _entries(_text("library/alpine", "3.10", "etc/group"))["postgres"][2] == "70"
    assert old["mail"][5] == "/var/spool/mail"
    assert "postgres" not in _entries(_text("library/alpine", "3.11", "etc/passwd"))
    assert "postgres" not in _entries(_text("library/alpine", "3.11", "etc/group"))


def test_alpine_www_data_group_arrives_in_3_14():
    assert "www-data" not in _entries(_text("library/alpine", "3.13", "etc/group"))
    assert _entries(_text("library/alpine", "3.14", "etc/group"))["www-data"] == ["www-data", "x", "82", ""]


def test_alpine_shadow_shape():
    members = _merged(catalog.image_for("library/alpine", "3.20"))
    info, data = members["etc/shadow"]
    assert (info.mode, info.uid, info.gid) == (0o640, 0, 42)
    lines = data.decode().splitlines()
    assert lines[0] == "root:*::0:::::" and lines[1] == "bin:!::0:::::"
    assert [line.split(":")[0] for line in lines] == list(_entries(_text("library/alpine", "3.20", "etc/passwd")))
    assert _text("library/alpine", "3.15", "etc/shadow").startswith("root:!::0:::::\n")
    assert _text("library/alpine", "3.16", "etc/shadow").startswith("root:*::0:::::\n")


def test_debian_bookworm_has_base_passwd_3_6_1():
    passwd = _entries(_text("library/debian", "bookworm", "etc/passwd"))
    assert passwd["_apt"] == ["_apt", "x", "42", "65534", "", "/nonexistent", "/usr/sbin/nologin"]
    assert "gnats" not in passwd and all(f[2] != "1000" for f in passwd.values())
    assert passwd["sync"][3] == "65534" and passwd["irc"][5] == "/run/ircd"
    group = _entries(_text("library/debian", "bookworm", "etc/group"))
    assert group["shadow"][2] == "42" and group["nogroup"][2] == "65534" and "1000" not in [g[2] for g in group.values()]
    day = catalog._epoch(catalog.DEBIAN_BOOKWORM_CREATED) // 86400
    assert _text("library/debian", "bookworm", "etc/shadow").splitlines()[0] == f"root:*:{day}:0:99999:7:::"
    assert _text("library/debian", "bookworm", "etc/gshadow").splitlines()[0] == "root:*::"


def test_ubuntu_users():
    jammy = _entries(_text("library/ubuntu", "22.04", "etc/passwd"))
    assert jammy["_apt"][2:4] == ["100", "65534"] and jammy["gnats"][2] == "41" and "ubuntu" not in jammy
    noble = _entries(_text("library/ubuntu", "24.04", "etc/passwd"))
    assert noble["_apt"][2] == "42" and "gnats" not in noble
    assert noble["ubuntu"] == ["ubuntu", "x", "1000", "1000", "Ubuntu", "/home/ubuntu", "/bin/bash"]
    assert _entries(_text("library/ubuntu", "24.04", "etc/group"))["ubuntu"][2] == "1000"


def test_images_that_add_a_user_add_it_locked():
    node = _text("library/node", "22", "etc/shadow").splitlines()
    assert node[-1].startswith("node:!:") and node[-1].endswith(":0:99999:7:::")
    nginx = _text("library/nginx", "latest", "etc/shadow").splitlines()
    assert nginx[-1].startswith("nginx:!:") and nginx[-1].endswith("::::::")  # useradd --system: no aging
    assert _text("library/nginx", "latest", "etc/gshadow").splitlines()[-1] == "nginx:!::"


# -- the rest of /etc ---------------------------------------------------------------------


def test_alpine_release_files():
    assert _text("library/alpine", "3.18", "etc/alpine-release") == "3.18.9\n"
    osr = _text("library/alpine", "3.16", "etc/os-release")
    assert 'BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"' in osr
    assert 'BUG_REPORT_URL="https://bugs.alpinelinux.org/"' in _text("library/alpine", "3.15", "etc/os-release")
    assert _text("library/alpine", "3.12", "etc/apk/repositories").startswith("http://dl-cdn.alpinelinux.org/")
    assert _text("library/alpine", "3.13", "etc/apk/repositories").startswith("https://dl-cdn.alpinelinux.org/")
    assert _text("library/alpine", "3.20", "etc/shells") == "# valid login shells\n/bin/sh\n/bin/ash\n"
    assert _text("library/alpine", "3.20", "etc/apk/world").split() == [
        "alpine-baselayout", "alpine-keys", "apk-tools", "busybox", "libc-utils"]
    installed = _text("library/alpine", "3.20", "lib/apk/db/installed")
    assert "P:busybox\nV:1.36.1-r29\n" in installed and "P:musl\nV:1.2.5-r0\n" in installed
    assert "P:busybox\nV:1.30.1-r5\n" in _text("library/alpine", "3.10", "lib/apk/db/installed")
    assert "nsswitch.conf" not in "".join(_merged(catalog.image_for("library/alpine", "3.15")))
    assert "hosts: files dns" in _text("library/alpine", "3.16", "etc/nsswitch.conf")


def test_alpine_directories():
    files = _merged(catalog.image_for("library/alpine", "3.20"))
    assert files["proc"][0].mode == 0o555 and files["var/empty"][0].mode == 0o555
    assert files["var/lock"][0].isdir() and files["var/spool/mail"][0].linkname == "/var/mail"
    assert files["bin/printenv"][0].linkname == "/bin/busybox" and "usr/bin/printenv" not in files
    assert "var/mail" not in _merged(catalog.image_for("library/alpine", "3.10"))


# -- history ---------------------------------------------------------------------------------


def test_alpine_history_follows_the_builder_of_the_release():
    new = _config("library/alpine", "3.17")
    assert new["history"][0] == {"created": "2024-09-06T12:02:06Z", "comment": "buildkit.dockerfile.v0",
                                 "created_by": "ADD alpine-minirootfs-3.17.10-x86_64.tar.gz / # buildkit"}
    assert new["config"]["WorkingDir"] == "/"
    old = _config("library/alpine", "3.16")
    diff_id = old["rootfs"]["diff_ids"][0]
    assert old["history"] == [
        {"created": "2024-01-27T00:30:56Z", "created_by": f"/bin/sh -c #(nop) ADD file:{diff_id[7:]} in / "},
        {"created": "2024-01-27T00:30:56Z", "created_by": '/bin/sh -c #(nop)  CMD ["/bin/sh"]', "empty_layer": True},
    ]


# -- bash -------------------------------------------------------------------------------------


def test_bash_image():
    img = catalog.image_for("library/bash", "5.2")
    assert img is catalog.image_for("library/bash", "latest") is catalog.image_for("library/bash", "5.2.37")
    assert img is catalog.image_for("library/bash", "5") is catalog.image_for("library/bash", "5.2-alpine3.20")
    cfg = _config("library/bash", "5.2")
    assert cfg["config"] == {
        "Env": [catalog.DEFAULT_PATH, "_BASH_VERSION=5.2.37", "_BASH_BASELINE=5.2.37", "_BASH_BASELINE_PATCH=37",
                "_BASH_LATEST_PATCH=37"],
        "Entrypoint": ["docker-entrypoint.sh"], "Cmd": ["bash"], "WorkingDir": "/"}
    assert cfg["created"] == "2024-09-23T22:17:43Z"
    history = [h["created_by"] for h in cfg["history"]]
    assert history[:3] == ["ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit", 'CMD ["/bin/sh"]',
                           "ENV _BASH_VERSION=5.2.37"]
    assert history[6].startswith("RUN /bin/sh -c set -eux; \t\tapk add --no-cache --virtual .build-deps \t\tbison")
    assert history[6].endswith("\tbash -c 'help' > /dev/null # buildkit")
    assert history[7:] == ["COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
                           'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["bash"]']
    files = _merged(img)
    assert files["usr/local/bin/bash"][1] == table.marker("bash") and files["usr/local/bin/bash"][0].mode == 0o755
    assert table.lookup("bash") is not None
    entry = files["usr/local/bin/docker-entrypoint.sh"]
    assert entry[0].mode == 0o755 and entry[1].startswith(b"#!/usr/bin/env bash\nset -Eeuo pipefail\n")
    assert len(img.layers) == 3


# -- nginx on alpine ------------------------------------------------------------------------


def test_nginx_alpine_slim_image():
    img = catalog.image_for("library/nginx", "alpine-slim")
    assert img is catalog.image_for("library/nginx", "1.27.3-alpine-slim")
    assert img is catalog.image_for("library/nginx", "mainline-alpine3.20-slim")
    cfg = _config("library/nginx", "alpine-slim")
    assert cfg["config"] == {
        "Env": [catalog.DEFAULT_PATH, "NGINX_VERSION=1.27.3", "PKG_RELEASE=1", "DYNPKG_RELEASE=1"],
        "Entrypoint": ["/docker-entrypoint.sh"], "Cmd": ["nginx", "-g", "daemon off;"],
        "ExposedPorts": {"80/tcp": {}}, "Labels": {"maintainer": "NGINX Docker Maintainers <docker-maint@nginx.com>"},
        "StopSignal": "SIGQUIT", "WorkingDir": "/"}
    history = [h["created_by"] for h in cfg["history"]]
    assert history[2:6] == ["LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>",
                            "ENV NGINX_VERSION=1.27.3", "ENV PKG_RELEASE=1", "ENV DYNPKG_RELEASE=1"]
    assert history[6].startswith("RUN /bin/sh -c set -x     && addgroup -g 101 -S nginx     && adduser -S -D -H "
                                 "-u 101 -h /var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx     &&")
    assert history[6].endswith("&& mkdir /docker-entrypoint.d # buildkit")
    assert history[7:] == [
        "COPY docker-entrypoint.sh / # buildkit",
        "COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d # buildkit",
        "COPY 15-local-resolvers.envsh /docker-entrypoint.d # buildkit",
        "COPY 20-envsubst-on-templates.sh /docker-entrypoint.d # buildkit",
        "COPY 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit",
        'ENTRYPOINT ["/docker-entrypoint.sh"]', "EXPOSE map[80/tcp:{}]", "STOPSIGNAL SIGQUIT",
        'CMD ["nginx" "-g" "daemon off;"]']
    assert {h["created"] for h in cfg["history"][2:]} == {"2024-11-26T18:42:08Z"} == {cfg["created"]}
    assert len(img.layers) == 7
    files = _merged(img)
    passwd = _entries(files["etc/passwd"][1].decode())
    assert passwd["nginx"] == ["nginx", "x", "101", "101", "nginx", "/var/cache/nginx", "/sbin/nologin"]
    assert _entries(files["etc/group"][1].decode())["nginx"] == ["nginx", "x", "101", "nginx"]
    assert files["etc/shadow"][1].decode().splitlines()[-1].startswith("nginx:!:")
    assert files["usr/sbin/nginx"][1] == table.marker("nginx")
    assert files["usr/local/bin/envsubst"][1] == table.marker("envsubst")
    assert b"worker_processes" in files["etc/nginx/nginx.conf"][1]
    assert files["var/log/nginx/access.log"][0].linkname == "/dev/stdout"
    assert files["docker-entrypoint.d"][0].isdir() and files["docker-entrypoint.sh"][0].mode == 0o755
    for name in ("10-listen-on-ipv6-by-default.sh", "15-local-resolvers.envsh", "20-envsubst-on-templates.sh",
                 "30-tune-worker-processes.sh"):
        assert files[f"docker-entrypoint.d/{name}"][0].mode == 0o755


def test_nginx_alpine_is_the_slim_image_plus_modules():
    slim = catalog.image_for("library/nginx", "1.27.3-alpine-slim")
    full = catalog.image_for("library/nginx", "alpine")
    assert full is catalog.image_for("library/nginx", "1.27-alpine")
    assert full.diff_ids[:-1] == slim.diff_ids and len(full.layers) == 8
    cfg = _config("library/nginx", "alpine")
    assert cfg["config"]["Env"][-2:] == ["NJS_VERSION=0.8.7", "NJS_RELEASE=1"]
    assert cfg["history"][:-3] == _config("library/nginx", "alpine-slim")["history"]
    assert cfg["history"][-1]["created_by"].endswith("&& apk add --no-cache curl ca-certificates # buildkit")
    modules = _merged(full)
    assert "usr/lib/nginx/modules/ngx_http_js_module.so" in modules and "usr/bin/curl" in modules


def test_nginx_1_25_4_is_built_on_alpine_3_18():
    slim = _config("library/nginx", "1.25.4-alpine-slim")
    assert slim["history"][0]["created_by"] == "ADD alpine-minirootfs-3.18.9-x86_64.tar.gz / # buildkit"
    assert slim["config"]["Env"] == [catalog.DEFAULT_PATH, "NGINX_VERSION=1.25.4", "PKG_RELEASE=1"]
    assert slim["created"] == "2024-02-14T18:24:57Z"
    assert _config("library/nginx", "1.25.4-alpine")["config"]["Env"][-1] == "NJS_VERSION=0.8.3"
    group = _text("library/nginx", "1.25.4-alpine-slim", "etc/group")
    assert "nginx:x:101:nginx\n" in group and "www-data:x:82:" in group and "man:x:15:man" in group
    assert catalog.image_for("library/nginx", "1.25.4-alpine3.18-slim") is catalog.image_for(
        "library/nginx", "1.25.4-alpine-slim")


def test_images_built_on_alpine_share_its_layer():
    base = catalog.image_for("library/alpine", "3.20").diff_ids[0]
    for repo, tag in (("library/bash", "latest"), ("library/nginx", "alpine"), ("library/nginx", "alpine-slim")):
        assert catalog.image_for(repo, tag).diff_ids[0] == base
    assert catalog.image_for("library/nginx", "1.25.4-alpine-slim").diff_ids[0] == \
        catalog.image_for("library/alpine", "3.18").diff_ids[0] != base
    # the Debian and alpine nginx images share their identical COPY layers (same files, same time)
    assert catalog.image_for("library/nginx", "latest").diff_ids[2:] == \
        catalog.image_for("library/nginx", "alpine-slim").diff_ids[2:]


def test_the_debian_nginx_matches_the_alpine_one():
    cfg = _config("library/nginx", "latest")
    assert "NJS_VERSION=0.8.7" in cfg["config"]["Env"] and cfg["created"] == "2024-11-26T18:42:08Z"
    assert cfg["history"][8]["created_by"].startswith(
        "RUN /bin/sh -c set -x     && groupadd --system --gid 101 nginx     && useradd --system --gid nginx")


# -- the hub, determinism -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bash", "bash:5.2", "bash:5.2.37", "nginx:alpine", "nginx:alpine-slim",
                                  "nginx:1.25.4-alpine-slim", "nginx:1.25.4-alpine"])
def test_new_tags_are_on_the_hub(name):
    hub = Hub(MemoryStore())
    ref = parse(name).with_default_tag()
    manifest = hub.lookup(ref)
    assert manifest.digest == catalog.image_for(ref.repo_path, ref.tag).digest
    for layer in manifest.layers:
        assert hub.has_blob(layer.digest)


def test_pulling_bash_after_alpine_reuses_the_base_layer():
    store, clock = MemoryStore(), ManualClock()
    layers = LayerStore(store)
    images = ImageStore(store, layers, clock)
    hub = Hub(MemoryStore())
    metadata = V2MetadataService(store)
    list(pull("alpine:3.20", hub, layers, images, clock, metadata))
    events = list(pull("bash", hub, layers, images, clock, metadata))
    base = catalog.image_for("library/alpine", "3.20").diff_ids[0][7:19]
    assert f"{base}: Already exists" in [str(e) for e in events]
    assert images.lookup("bash").id == catalog.image_for("library/bash", "latest").config_digest


def test_new_images_do_not_depend_on_the_hash_seed():
    code = ("from dockersim.sim.images import catalog as c;"
            "print(*(c.image_for(*a).digest for a in (('library/bash','latest'),('library/nginx','alpine'),"
            "('library/nginx','1.25.4-alpine-slim'),('library/alpine','3.10'),('library/debian','bookworm'))))")
    env = dict(os.environ, PYTHONHASHSEED="4242")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [catalog.image_for(*a).digest for a in (
        ("library/bash", "latest"), ("library/nginx", "alpine"), ("library/nginx", "1.25.4-alpine-slim"),
        ("library/alpine", "3.10"), ("library/debian", "bookworm"))]


# -- running in them ------------------------------------------------------------------------------


def _run(repo: str, tag: str, argv: "list[str]") -> "tuple[int, str, str]":
    """Run the image's entrypoint with ``argv`` as a container of the
    simulated runtime over the image's layers; (exit code, stdout, stderr)."""
    img = catalog.image_for(repo, tag)
    config = json.loads(img.config_bytes)["config"]
    machine = Machine.boot(ManualClock(), IdSource(seed=7), _ImageLayers(img))
    process = ProcessSpec((config.get("Entrypoint") or []) + argv, env=config["Env"])
    handle = machine.runtime.create(ContainerSpec("c" * 64, process, RootSpec(img.diff_ids), "c1"))
    return run_to_exit(machine, handle)


class _ImageLayers:
    """The layer store the runtime reads: a built image's tars by DiffID."""

    def __init__(self, img):
        self._tars = dict(zip(img.diff_ids, img.layers))
        self.on_delete = []

    def tar(self, diff_id: str) -> bytes:
        return self._tars[diff_id]


def test_bash_entrypoint_runs_options_with_bash_and_commands_as_they_are():
    assert _run("library/bash", "latest", ["-c", "echo hi; echo ${0}"]) == (0, "hi\nbash\n", "")
    assert _run("library/bash", "latest", ["cat", "/etc/alpine-release"]) == (0, "3.20.3\n", "")


def test_ids_resolve_against_the_image_files():
    assert _run("library/nginx", "alpine-slim", ["id", "nginx"])[1] == \
        "uid=101(nginx) gid=101(nginx) groups=101(nginx)\n"
    assert _run("library/alpine", "3.20", ["id", "1000"]) == (1, "", "id: unknown user 1000\n")
    assert _run("library/alpine", "3.10", ["id", "-u", "postgres"])[1] == "70\n"
