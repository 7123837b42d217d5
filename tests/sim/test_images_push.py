"""The simulated hub's accounts and push: the progress stream, mounts and
existing layers, access rules, errors; V2 metadata."""

import hashlib
import hmac
import json

import pytest

from dockersim.sim.clock import ManualClock
from dockersim.sim.images import catalog
from dockersim.sim.images import reference as refmod
from dockersim.sim.images.errors import (AccessDenied, IncorrectCredentials, PushError,
                                         RegistryUnavailable)
from dockersim.sim.images.hub import Hub, namespace_of
from dockersim.sim.images.image_store import ImageStore, canonical_json
from dockersim.sim.images.layer_store import LayerStore
from dockersim.sim.images.progress import Progress
from dockersim.sim.images.pull import pull
from dockersim.sim.images.push import (MEDIA_CONFIG, BlobDescriptor, MEDIA_LAYER, MEDIA_MANIFEST, Credentials,
                                       layer_attempts, push, schema2_manifest)
from dockersim.sim.images.tarball import TreeBuilder
from dockersim.sim.images.v2metadata import (V2Metadata, V2MetadataService, check_hmac,
                                             compute_hmac, hmac_key)
from dockersim.sim.ids import sha256_digest
from dockersim.sim.store import MemoryStore


class Daemon:
    """One daemon's stores (images, layers, V2 metadata) next to a hub."""

    def __init__(self, hub: Hub):
        self.store = MemoryStore()
        self.clock = ManualClock()
        self.layers = LayerStore(self.store)
        self.images = ImageStore(self.store, self.layers, self.clock)
        self.metadata = V2MetadataService(self.store)
        self.hub = hub

    def pull(self, name):
        """A pull, which records V2 metadata."""
        return list(pull(name, self.hub, self.layers, self.images, self.clock, self.metadata))

    def push(self, name, user="", password=""):
        return list(push(name, self.hub, self.layers, self.images, self.metadata,
                         Credentials(user, password)))

    def push_error(self, name, user="", password=""):
        """(events before the error, the error)."""
        events = []
        with pytest.raises(Exception) as exc:
            for event in push(name, self.hub, self.layers, self.images, self.metadata,
                              Credentials(user, password)):
                events.append(event)
        return events, exc.value

    def build(self, name, files, base=None):
        """An image with one fresh layer (on ``base``'s layers), tagged ``name``."""
        tar = TreeBuilder().file("app/data", files).tar(1_700_000_000)
        parent = None
        diff_ids = []
        config = {"Cmd": ["sh"]}
        if base is not None:
            img = self.images.lookup(base)
            parent, diff_ids, config = img.top_chain_id, img.diff_ids, img.container_config
        layer = self.layers.register(tar, parent)
        doc = {"architecture": "amd64", "os": "linux", "created": "2024-05-01T10:00:00Z",
               "config": config, "rootfs": {"type": "layers", "diff_ids": diff_ids + [layer.diff_id]}}
        img = self.images.create(canonical_json(doc))
        self.layers.release(layer.chain_id)
        self.images.tag(img.id, refmod.parse(name))
        return img


def lines(events):
    """What the CLI prints without a TTY (numeric progress is skipped)."""
    return [str(e) for e in events if not (e.detail and (e.current or e.total)) and e.aux is None]


def lid(diff_id):
    return diff_id.split(":", 1)[1][:12]


@pytest.fixture
def hub():
    return Hub(MemoryStore())


@pytest.fixture
def daemon(hub):
    return Daemon(hub)


# -- accounts ----------------------------------------------------------------

def test_first_login_creates_the_account_later_logins_check_it(hub):
    assert hub.login("museopkim", "secret") is True
    assert hub.login("museopkim", "secret") is False
    with pytest.raises(IncorrectCredentials) as exc:
        hub.login("museopkim", "wrong")
    assert str(exc.value) == "unauthorized: incorrect username or password"
    assert hub.login("MuseoPKim", "secret") is False  # Docker Hub names are case-insensitive
    for name in ("a/b", "../x", "-x", "a b"):  # no namespace could be named so
        with pytest.raises(IncorrectCredentials):
            hub.login(name, "secret")


def test_passwords_are_kept_salted_and_hashed():
    store = MemoryStore()
    hub = Hub(store)
    hub.login("alice", "same-password")
    hub.login("bob", "same-password")
    docs = {k: store.get_json(k) for k in store.keys("hub/accounts")}
    assert sorted(docs) == ["hub/accounts/alice.json", "hub/accounts/bob.json"]
    raw = b"".join(store.get_bytes(k) for k in docs)
    assert b"same-password" not in raw
    alice, bob = docs["hub/accounts/alice.json"], docs["hub/accounts/bob.json"]
    assert alice["salt"] != bob["salt"] and alice["hash"] != bob["hash"]
    expected = hashlib.pbkdf2_hmac("sha256", b"same-password", bytes.fromhex(alice["salt"]),
                                   alice["iterations"]).hex()
    assert alice["hash"] == expected


def test_accounts_persist_in_the_hub_store():
    store = MemoryStore()
    Hub(store).login("carol", "pw1")
    again = Hub.load(store)
    assert again.has_account("carol")
    assert again.login("carol", "pw1") is False
    with pytest.raises(IncorrectCredentials):
        again.login("carol", "pw2")


def test_authenticate_never_creates_and_is_anonymous_without_both(hub):
    assert hub.authenticate("", "") is None
    assert hub.authenticate("dave", "") is None
    with pytest.raises(IncorrectCredentials):
        hub.authenticate("dave", "pw")  # no such account: a push does not create one
    assert not hub.has_account("dave")
    hub.login("dave", "pw")
    assert hub.authenticate("dave", "pw") == "dave"


def test_access_rules(hub):
    hub.lookup(refmod.parse("busybox"))  # materialise library/busybox
    hub.create_repository("erin/app", "erin")
    assert namespace_of("erin/app") == "erin"
    assert namespace_of("library/busybox") is None and namespace_of("a/b/c") is None
    assert hub.access(None, "library/busybox") == {"pull"}
    assert hub.access("erin", "library/busybox") == {"pull"}
    assert hub.access("erin", "erin/app") == {"pull", "push"}
    assert hub.access("erin", "erin/new") == {"pull", "push"}  # created at the first push
    assert hub.access("frank", "erin/app") == {"pull"}
    assert hub.access(None, "erin/app") == {"pull"}
    assert hub.access(None, "nobody/nothing") == frozenset()


# -- the push stream ---------------------------------------------------------------

def test_push_of_fresh_layers(daemon):
    daemon.hub.login("museopkim", "pw")
    img = daemon.build("museopkim/kubia", "v1")
    (diff_id,) = img.diff_ids
    events = daemon.push("museopkim/kubia:latest", "museopkim", "pw")
    manifest = daemon.hub.lookup(refmod.parse("museopkim/kubia"))
    assert lines(events) == [
        "The push refers to repository [docker.io/museopkim/kubia]",
        f"{lid(diff_id)}: Preparing",
        f"{lid(diff_id)}: Pushed",
        f"latest: digest: {manifest.digest} size: {manifest.size}",
    ]
    pushing = [e for e in events if e.status == "Pushing"]
    # moby's progress reader counts the tar's bytes against the layer's size (its DiffSize)
    size, sent = daemon.layers.get(img.top_chain_id).size, len(daemon.layers.tar(diff_id))
    assert pushing and (pushing[-1].current, pushing[-1].total) == (sent, size)
    assert pushing[-1].to_json() == {
        "status": "Pushing", "progressDetail": {"current": sent, "total": size},
        "progress": pushing[-1].bar, "id": lid(diff_id)}
    assert events[0].to_json() == {"status": "The push refers to repository [docker.io/museopkim/kubia]"}
    assert events[1].to_json() == {"status": "Preparing", "progressDetail": {}, "id": lid(diff_id)}
    assert events[-1].to_json() == {"progressDetail": {}, "aux": {
        "Tag": "latest", "Digest": manifest.digest, "Size": manifest.size}}
    assert daemon.images.repo_digests(img.id) == [f"museopkim/kubia@{manifest.digest}"]


def test_the_manifest_is_docker_schema2_as_distribution_writes_it(daemon):
    daemon.hub.login("museopkim", "pw")
    img = daemon.build("museopkim/kubia", "v2")
    daemon.push("museopkim/kubia:latest", "museopkim", "pw")
    manifest = daemon.hub.lookup(refmod.parse("museopkim/kubia"))
    doc = json.loads(manifest.raw)
    assert doc["mediaType"] == MEDIA_MANIFEST and doc["schemaVersion"] == 2
    assert doc["config"] == {"mediaType": MEDIA_CONFIG, "size": len(img.config_bytes), "digest": img.id}
    tar = daemon.layers.tar(img.diff_ids[0])
    assert doc["layers"] == [{"mediaType": MEDIA_LAYER, "size": len(tar), "digest": img.diff_ids[0]}]
    assert manifest.raw == schema2_manifest(img.config_bytes, [BlobDescriptor(MEDIA_LAYER, img.diff_ids[0], len(tar))])
    assert manifest.raw.startswith(b'{\n   "schemaVersion": 2,\n   "mediaType": ')


def test_second_push_says_layer_already_exists(daemon):
    daemon.hub.login("museopkim", "pw")
    img = daemon.build("museopkim/kubia", "v3")
    first = daemon.push("museopkim/kubia", "museopkim", "pw")
    second = daemon.push("museopkim/kubia:latest", "museopkim", "pw")
    assert lines(second)[2] == f"{lid(img.diff_ids[0])}: Layer already exists"
    assert not [e for e in second if e.status == "Pushing"]
    assert lines(first)[-1] == lines(second)[-1]  # the same digest line


def test_layers_pulled_from_the_hub_are_mounted(daemon):
    daemon.pull("node:22")
    node = daemon.images.lookup("node:22")
    daemon.hub.login("museopkim", "pw")
    img = daemon.build("museopkim/app", "hello", base="node:22")
    events = daemon.push("museopkim/app:latest", "museopkim", "pw")
    out = lines(events)
    top_first = list(reversed(img.diff_ids))
    assert out[1:1 + len(top_first)] == [f"{lid(d)}: Preparing" for d in top_first]
    waiting = [line for line in out if line.endswith(": Waiting")]
    assert waiting == [f"{lid(d)}: Waiting" for d in top_first[5:]]  # 5 uploads at a time
    for d in node.diff_ids:
        assert f"{lid(d)}: Mounted from library/node" in out
    assert f"{lid(img.diff_ids[-1])}: Pushed" in out
    assert out[-1].startswith("latest: digest: sha256:")
    # the hub's repository now holds every blob, so the image pulls back whole
    other = Daemon(daemon.hub)
    other.pull("museopkim/app")
    assert other.images.lookup("museopkim/app").id == img.id


def test_pull_back_gives_the_same_image_id_and_digest(daemon):
    daemon.hub.login("museopkim", "pw")
    img = daemon.build("museopkim/kubia", "v4")
    digest = lines(daemon.push("museopkim/kubia", "museopkim", "pw"))[-1].split()[2]
    fresh = Daemon(daemon.hub)
    events = fresh.pull("museopkim/kubia")  # public: no credentials needed
    assert f"Digest: {digest}" in lines(events)
    pulled = fresh.images.lookup("museopkim/kubia")
    assert pulled.id == img.id
    assert fresh.images.repo_digests(pulled.id) == [f"museopkim/kubia@{digest}"]


def test_push_without_credentials_is_denied_after_preparing(daemon):
    img = daemon.build("museopkim/kubia", "v5")
    events, err = daemon.push_error("museopkim/kubia:latest")
    assert isinstance(err, AccessDenied)
    assert str(err) == "denied: requested access to the resource is denied"
    assert lines(events) == ["The push refers to repository [docker.io/museopkim/kubia]",
                             f"{lid(img.diff_ids[0])}: Preparing"]
    assert daemon.hub.repository("museopkim/kubia") is None


@pytest.mark.parametrize("name", ["kubia", "someoneelse/kubia"])
def test_push_outside_the_own_namespace_is_denied(daemon, name):
    daemon.hub.login("museopkim", "pw")
    daemon.build(name, "v6")
    _events, err = daemon.push_error(name, "museopkim", "pw")
    assert isinstance(err, AccessDenied)


def test_push_with_a_wrong_password(daemon):
    daemon.hub.login("museopkim", "pw")
    daemon.build("museopkim/kubia", "v7")
    events, err = daemon.push_error("museopkim/kubia", "museopkim", "nope")
    assert isinstance(err, IncorrectCredentials)
    assert str(err) == "unauthorized: incorrect username or password"
    assert lines(events)[-1].endswith(": Preparing")


def test_another_users_repository_shows_existing_layers_then_denies(daemon):
    daemon.hub.login("alice", "pw")
    daemon.hub.login("bob", "pw")
    img = daemon.build("alice/app", "shared")
    daemon.push("alice/app", "alice", "pw")
    daemon.images.tag(img.id, refmod.parse("alice/app:v2"))
    events, err = daemon.push_error("alice/app:v2", "bob", "pw")
    assert isinstance(err, AccessDenied)
    assert f"{lid(img.diff_ids[0])}: Layer already exists" in lines(events)  # public: bob may read


def test_push_all_tags_in_order(daemon):
    daemon.hub.login("museopkim", "pw")
    img = daemon.build("museopkim/multi", "v8")
    daemon.images.tag(img.id, refmod.parse("museopkim/multi:v1"))
    events = daemon.push("museopkim/multi", "museopkim", "pw")
    digest_lines = [line for line in lines(events) if ": digest: " in line]
    assert [line.split(":")[0] for line in digest_lines] == ["latest", "v1"]
    assert lines(events).count(f"{lid(img.diff_ids[0])}: Layer already exists") == 1  # the 2nd tag
    assert sorted(daemon.hub.tags("museopkim/multi")) == ["latest", "v1"]
    assert [e.aux["Tag"] for e in events if e.aux] == ["latest", "v1"]


def test_local_errors_come_after_the_first_line(daemon):
    daemon.build("museopkim/kubia", "v9")
    cases = {
        "museopkim/nothing:latest": "An image does not exist locally with the tag: museopkim/nothing",
        "museopkim/kubia:v2": "tag does not exist: museopkim/kubia:v2",
        "museopkim/kubia@sha256:" + "a" * 64: "cannot push a digest reference",
    }
    for name, message in cases.items():
        events, err = daemon.push_error(name)
        assert isinstance(err, PushError) and str(err) == message
        assert lines(events) == [f"The push refers to repository [docker.io/{name.split(':')[0].split('@')[0]}]"]


def test_a_repository_with_only_digests_has_no_tags_to_push(daemon):
    daemon.pull("busybox")
    img = daemon.images.lookup("busybox")
    daemon.images.add_digest(img.id, refmod.parse("museopkim/only"), "sha256:" + "b" * 64)
    _events, err = daemon.push_error("museopkim/only")
    assert str(err) == "no tags to push for museopkim/only"


def test_other_registries_are_unreachable(daemon):
    daemon.build("localhost:5000/x/y", "v10")
    _events, err = daemon.push_error("localhost:5000/x/y:latest")
    assert isinstance(err, RegistryUnavailable)


def test_a_failed_mount_while_logged_in_forgets_the_candidate(daemon):
    """moby removes a mount candidate when the mount failed with
    credentials at hand; the next push then uploads."""
    daemon.pull("hello-world")
    (diff_id,) = daemon.images.lookup("hello-world").diff_ids
    daemon.hub.login("museopkim", "pw")
    daemon.images.tag(daemon.images.lookup("hello-world").id, refmod.parse("kubia"))
    _events, err = daemon.push_error("kubia", "museopkim", "pw")
    assert isinstance(err, AccessDenied)
    assert daemon.metadata.get(diff_id) == []
    daemon.images.tag(daemon.images.lookup("hello-world").id, refmod.parse("museopkim/hello"))
    assert f"{lid(diff_id)}: Pushed" in lines(daemon.push("museopkim/hello", "museopkim", "pw"))


def test_an_anonymous_failed_mount_keeps_the_candidate(daemon):
    daemon.pull("hello-world")
    (diff_id,) = daemon.images.lookup("hello-world").diff_ids
    daemon.images.tag(daemon.images.lookup("hello-world").id, refmod.parse("kubia"))
    daemon.push_error("kubia")
    assert [m.source_repository for m in daemon.metadata.get(diff_id)] == ["docker.io/library/hello-world"]


# -- pieces --------------------------------------------------------------------------

def test_layer_attempts_by_size():
    assert layer_attempts(100 * 1024) == (1, 1, False)
    assert layer_attempts(100 * 1024 + 1) == (3, 1, False)
    assert layer_attempts(10 * 1024 * 1024 + 1) == (4, 3, True)


def test_pull_records_each_layer_as_it_registers():
    """moby's Registered hook: a layer's V2 metadata is written when it is
    registered (or found already there), so a pull that stops midway
    keeps what it recorded."""
    daemon = Daemon(Hub(MemoryStore()))
    daemon.pull("debian:bookworm")
    base = catalog.image_for("library/debian", "bookworm").diff_ids[0]
    assert daemon.metadata.get(base) == [V2Metadata(base, "docker.io/library/debian")]
    node = catalog.image_for("library/node", "22").diff_ids
    events = pull("node:22", daemon.hub, daemon.layers, daemon.images, daemon.clock, daemon.metadata)
    for event in events:
        if event.status == "Pull complete":
            break
    events.close()
    assert daemon.metadata.get(base)[-1] == V2Metadata(base, "docker.io/library/node")  # Already exists
    assert daemon.metadata.get(node[1]) == [V2Metadata(node[1], "docker.io/library/node")]
    assert daemon.metadata.get(node[2]) == []


def test_hmac_helpers_match_the_standard_library():
    key = hmac_key("museopkim", "pw")
    assert key == ("sha256:" + hashlib.sha256(b'{"username":"museopkim","password":"pw"}').hexdigest()).encode()
    assert hmac_key() == ("sha256:" + hashlib.sha256(b"{}").hexdigest()).encode()
    digest = "sha256:" + "c" * 64
    expected = hmac.new(key, (digest + "docker.io/x/y").encode(), hashlib.sha256).hexdigest()
    assert compute_hmac(key, digest, "docker.io/x/y") == expected
    assert check_hmac(V2Metadata(digest, "docker.io/x/y", expected), key)
    assert not check_hmac(V2Metadata(digest, "docker.io/x/y", expected), hmac_key("other", "pw"))
    assert check_hmac(V2Metadata(digest, "docker.io/x/y"), b"")
    assert not check_hmac(V2Metadata(digest, "docker.io/x/y"), key)


def test_check_hmac_decodes_the_stored_hex_as_go_does():
    key = hmac_key("museopkim", "pw")
    digest = "sha256:" + "c" * 64
    mac = compute_hmac(key, digest, "docker.io/x/y")
    assert check_hmac(V2Metadata(digest, "docker.io/x/y", mac.upper()), key)
    assert not check_hmac(V2Metadata(digest, "docker.io/x/y", "zz" + mac[2:]), key)
    assert not check_hmac(V2Metadata(digest, "docker.io/x/y", "é"), key)


def test_hmac_key_encodes_the_credentials_as_go_marshals_them():
    # Go's encoder: HTML-safe escapes, and invalid UTF-8 (a lone surrogate
    # here) written as U+FFFD, never an encoding error
    doc = '{"username":"a\\u003cb\\u0026","password":"\\ufffd"}'
    assert hmac_key("a<b&", "\ud800") == ("sha256:" + hashlib.sha256(doc.encode()).hexdigest()).encode()


def test_metadata_service_keeps_the_newest_last_and_removes():
    service = V2MetadataService(MemoryStore())
    diff_id, digest = sha256_digest(b"layer"), sha256_digest(b"layer")
    a, b = V2Metadata(digest, "docker.io/library/a"), V2Metadata(digest, "docker.io/x/b", "ff")
    service.add(diff_id, a)
    service.add(diff_id, b)
    service.add(diff_id, a)  # moves to the end
    assert service.get(diff_id) == [b, a]
    service.remove(b)
    assert service.get(diff_id) == [a]
    service.remove(a)
    assert service.get(diff_id) == []


def test_aux_progress_json():
    event = Progress.auxiliary({"Tag": "latest", "Digest": "sha256:x", "Size": 3})
    assert event.to_json() == {"progressDetail": {}, "aux": {"Tag": "latest", "Digest": "sha256:x", "Size": 3}}


def test_hub_repositories_keep_their_blobs_across_loads():
    store = MemoryStore()
    hub = Hub(store)
    daemon = Daemon(hub)
    hub.login("museopkim", "pw")
    img = daemon.build("museopkim/kubia", "persist")
    daemon.push("museopkim/kubia", "museopkim", "pw")
    again = Hub.load(store)
    assert again.repository("museopkim/kubia").blobs == {img.id, img.diff_ids[0]}
    assert again.lookup(refmod.parse("museopkim/kubia")).digest == hub.lookup(refmod.parse("museopkim/kubia")).digest
    assert catalog.image_for("library/busybox", "latest").diff_ids[0] in again.repository("library/busybox").blobs
