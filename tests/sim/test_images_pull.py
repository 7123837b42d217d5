"""Pull: the progress stream, layer sharing, errors; progress bar rendering."""

import pytest

from dockersim.sim.clock import ManualClock
from dockersim.sim.images import catalog
from dockersim.sim.images.errors import ManifestUnknown, RepositoryNotFound
from dockersim.sim.images.hub import Hub
from dockersim.sim.images.image_store import ImageStore
from dockersim.sim.images.layer_store import LayerStore, diff_size
from dockersim.sim.images.progress import Progress, human_size, render_bar
from dockersim.sim.images.pull import pull
from dockersim.sim.images.v2metadata import V2MetadataService
from dockersim.sim.store import MemoryStore


class World:
    def __init__(self):
        self.store = MemoryStore()
        self.clock = ManualClock()
        self.layers = LayerStore(self.store)
        self.images = ImageStore(self.store, self.layers, self.clock)
        self.hub = Hub(MemoryStore())
        self.metadata = V2MetadataService(self.store)

    def pull(self, name):
        return list(pull(name, self.hub, self.layers, self.images, self.clock, self.metadata))


@pytest.fixture
def world():
    return World()


def _lines(events):
    return [str(e) for e in events if not (e.detail and (e.current or e.total))]  # the CLI's non-TTY view


def test_fresh_pull_stream(world):
    events = world.pull("busybox")
    built = catalog.image_for("library/busybox", "latest")
    lid = built.diff_ids[0][7:19]
    assert _lines(events) == [
        "latest: Pulling from library/busybox",
        f"{lid}: Pulling fs layer",
        f"{lid}: Verifying Checksum",
        f"{lid}: Download complete",
        f"{lid}: Pull complete",
        f"Digest: {built.digest}",
        "Status: Downloaded newer image for busybox:latest",
    ]
    assert events[0].to_json() == {"status": "Pulling from library/busybox", "id": "latest"}
    assert events[1].to_json() == {"status": "Pulling fs layer", "progressDetail": {}, "id": lid}
    downloading = [e for e in events if e.status == "Downloading"]
    assert len(downloading) >= 2 and downloading[-1].current == downloading[-1].total == len(built.layers[0])
    assert [e.status for e in events].count("Extracting") >= 1
    img = world.images.lookup("busybox")
    assert img.id == built.config_digest
    assert world.images.tags(img.id) == ["busybox:latest"]
    assert world.images.repo_digests(img.id) == [f"busybox@{built.digest}"]
    assert world.images.size(img.id) == diff_size(built.layers[0])  # its files, not the tar
    assert img.last_tag_time is None  # a pull does not set LastTagTime


def test_second_pull_is_up_to_date(world):
    world.pull("busybox")
    events = world.pull("busybox:latest")
    assert [str(e) for e in events] == [
        "latest: Pulling from library/busybox",
        f"Digest: {catalog.image_for('library/busybox', 'latest').digest}",
        "Status: Image is up to date for busybox:latest",
    ]


def test_other_tag_of_same_image_needs_no_layers(world):
    world.pull("busybox")
    events = world.pull("busybox:1.37")
    assert [e.status for e in events][-1] == "Status: Downloaded newer image for busybox:1.37"
    assert not any(e.status == "Pulling fs layer" for e in events)
    img = world.images.lookup("busybox:1.37")
    assert world.images.tags(img.id) == ["busybox:1.37", "busybox:latest"]


def test_node_after_debian_reuses_base_layer(world):
    world.pull("debian:bookworm")
    events = world.pull("node:22")
    node = catalog.image_for("library/node", "22")
    base = node.diff_ids[0][7:19]
    assert f"{base}: Already exists" in [str(e) for e in events]
    assert not any(e.id == base and e.status == "Pulling fs layer" for e in events)
    pulling = [e.id for e in events if e.status == "Pulling fs layer"]
    assert pulling == [d[7:19] for d in node.diff_ids[1:]]
    waiting = [e.id for e in events if e.status == "Waiting"]
    assert waiting == pulling[3:]  # three concurrent downloads
    completes = [e.id for e in events if e.status == "Pull complete"]
    assert completes == pulling  # extraction in layer order
    assert world.layers.get(node.diff_ids[0]).refcount == 2  # debian image + node's second layer
    assert len(world.layers) == 8


def test_errors_raise_before_any_event(world):
    gen = pull("nosuchimage", world.hub, world.layers, world.images, world.clock, world.metadata)
    with pytest.raises(RepositoryNotFound, match="pull access denied for nosuchimage"):
        next(gen)
    with pytest.raises(ManifestUnknown) as exc:
        world.pull("busybox:nosuch")
    assert str(exc.value) == "manifest for busybox:nosuch not found: manifest unknown: manifest unknown"
    assert len(world.images) == 0 and len(world.layers) == 0


def test_pull_by_digest(world):
    digest = catalog.image_for("library/alpine", "3.19").digest
    events = world.pull(f"alpine@{digest}")
    assert events[0].id == digest
    assert events[-1].status == f"Status: Downloaded newer image for alpine@{digest}"
    img = world.images.lookup(f"alpine@{digest}")
    assert world.images.tags(img.id) == [] and world.images.repo_digests(img.id) == [f"alpine@{digest}"]


def test_progress_rendering():
    assert human_size(1024) == "1.024kB" and human_size(2155) == "2.155kB"
    assert human_size(512) == "512B" and human_size(4_280_000) == "4.28MB" and human_size(1_000_000) == "1MB"
    assert render_bar(1024, 2155) == "[" + "=" * 23 + ">" + " " * 27 + "]  1.024kB/2.155kB"
    assert render_bar(2155, 2155) == "[" + "=" * 50 + ">]  2.155kB/2.155kB"
    assert render_bar(1024, 2155, width=80) == " 1.024kB/2.155kB"
    assert render_bar(0, 0) == "" and render_bar(3000, 0) == "     3kB"
    p = Progress("abc", "Downloading", 1024, 2155)
    assert p.to_json() == {"status": "Downloading", "progressDetail": {"current": 1024, "total": 2155},
                           "progress": render_bar(1024, 2155), "id": "abc"}
    assert Progress.message("Digest: x").to_json() == {"status": "Digest: x"}
