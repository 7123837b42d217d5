"""``docker search`` and distribution inspect against the simulated Docker
Hub, with the real docker CLI and docker-py.

The session daemon is shared: other tests push repositories, so a search
here asserts what the catalog guarantees (the official image first, with
the Hub's description and stars) and uses its own account names for what
it pushes."""

from __future__ import annotations

import io
import re
import tarfile

import pytest

from dockersim.sim.images import catalog

from .helpers import docker_py, ok

pytestmark = pytest.mark.e2e


def rows(text: str) -> "list[list[str]]":
    return [re.split(r"\s{2,}", line.rstrip()) for line in text.splitlines() if line.strip()]


def test_docker_search_busybox(docker):
    result = ok(docker("search", "busybox"))
    table = rows(result.stdout)
    assert table[0] == ["NAME", "DESCRIPTION", "STARS", "OFFICIAL"]
    facts = catalog.FACTS["library/busybox"]
    assert table[1] == ["busybox", facts.description, str(facts.star_count), "[OK]"]
    assert all("busybox" in row[0] for row in table[1:])


def test_docker_search_truncates_descriptions_unless_no_trunc(docker):
    facts = catalog.FACTS["library/alpine"]
    assert len(facts.description) > 45
    table = rows(ok(docker("search", "--limit", "1", "alpine")).stdout)
    assert table[1] == ["alpine", facts.description[:44] + "…", str(facts.star_count), "[OK]"]
    table = rows(ok(docker("search", "--no-trunc", "--limit", "1", "alpine")).stdout)
    assert table[1] == ["alpine", facts.description, str(facts.star_count), "[OK]"]


def test_docker_search_linux_orders_by_stars(docker):
    out = ok(docker("search", "--filter", "is-official=true", "--format", "{{.Name}}", "linux")).stdout
    assert out.split() == ["ubuntu", "alpine", "debian"]


def test_docker_search_official_node_with_a_limit(docker):
    table = rows(ok(docker("search", "--filter", "is-official=true", "--limit", "3", "node")).stdout)
    facts = catalog.FACTS["library/node"]
    assert table[1:] == [["node", facts.description[:44] + "…", str(facts.star_count), "[OK]"]]


def test_docker_search_format(docker):
    out = ok(docker("search", "--format", "{{.Name}}: {{.StarCount}}", "nginx")).stdout
    assert out.splitlines()[0] == f"nginx: {catalog.FACTS['library/nginx'].star_count}"
    out = ok(docker("search", "--format", "{{json .}}", "--limit", "1", "hello-world")).stdout
    assert '"IsOfficial":"true"' in out and '"Name":"hello-world"' in out


def test_docker_search_stars_filter(docker):
    stars = catalog.FACTS["library/ubuntu"].star_count
    out = ok(docker("search", "--filter", f"stars={stars}", "--format", "{{.Name}}", "linux")).stdout
    assert out.split() == ["ubuntu"]


@pytest.mark.parametrize("args,message", [
    (["--limit", "101", "busybox"], "limit 101 is outside the range of [1, 100]"),
    (["--filter", "stars=many", "busybox"], "invalid filter 'stars=many': strconv.Atoi: parsing \"many\": "
                                            "invalid syntax"),
    (["--filter", "colour=red", "busybox"], "invalid filter 'colour'"),
    (["quay.io/foo"], 'invalid registry endpoint https://quay.io/v1/: Get "https://quay.io/v1/_ping": '
                      "dial tcp: lookup quay.io: no such host. If this private registry supports only "
                      "HTTP or HTTPS with an unknown CA certificate, please add `--insecure-registry "
                      "quay.io` to the daemon's arguments. In the case of HTTPS, if you have access to "
                      "the registry's CA certificate, no need for the flag; simply place the CA "
                      "certificate at /etc/docker/certs.d/quay.io/ca.crt"),
])
def test_docker_search_errors(docker, args, message):
    result = docker("search", *args)
    assert result.returncode == 1
    assert result.stderr == f"Error response from daemon: {message}\n"


def test_a_pushed_repository_is_found(docker, tmp_path):
    """Pushed from an imported layer of its own, so no library layer's V2
    metadata (where the hub has it) changes for other tests' pushes."""
    ok(docker("login", "-u", "e2esearch", "--password-stdin", input="pw\n"))
    fs = tmp_path / "fs.tar"
    with tarfile.open(fs, "w") as tar:
        data = b"only in test_hub_search\n"
        info = tarfile.TarInfo("findme.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    ok(docker("import", str(fs), "e2esearch/findme-tool"))
    ok(docker("push", "e2esearch/findme-tool", timeout=120))
    table = rows(ok(docker("search", "findme")).stdout)
    assert table[1:] == [["e2esearch/findme-tool", "0"]]  # no description, 0 stars, not official


def test_docker_py_search_and_registry_data(docker_host, tmp_path, monkeypatch):
    dpy = docker_py()
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "py-config"))
    client = dpy.DockerClient(base_url=docker_host)
    try:
        results = client.images.search("nginx")
        facts = catalog.FACTS["library/nginx"]
        assert results[0] == {"star_count": facts.star_count, "is_official": True, "name": "nginx",
                              "is_automated": False, "description": facts.description}
        assert len(client.images.search("nginx", limit=1)) == 1

        image = client.images.pull("busybox", tag="latest")
        data = client.images.get_registry_data("busybox")
        (repo_digest,) = [d for d in image.attrs["RepoDigests"] if d.startswith("busybox@")]
        assert data.id == repo_digest.split("@")[1]
        assert data.attrs["Descriptor"]["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
        assert data.attrs["Platforms"] is None  # moby's switch has no case for an OCI image manifest
        with pytest.raises(dpy.errors.APIError) as err:
            client.images.get_registry_data("e2esearch/nosuch-anywhere")
        assert err.value.response.status_code == 403
    finally:
        client.close()
