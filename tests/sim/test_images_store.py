"""Image store: lookups, tags, docker rmi rules, layer refcounts, reload."""

import json

import pytest

from dockersim.sim.clock import ManualClock
from dockersim.sim.images import catalog
from dockersim.sim.images.errors import ImageConflict, ImageNotFound, InvalidReference
from dockersim.sim.images.hub import Hub
from dockersim.sim.images.image_store import ContainerUse, ImageStore, canonical_json
from dockersim.sim.images.layer_store import LayerStore
from dockersim.sim.images.pull import pull
from dockersim.sim.images.reference import parse
from dockersim.sim.images.tarball import TreeBuilder
from dockersim.sim.images.v2metadata import V2MetadataService
from dockersim.daemon.backend.datastore import DirStore
from dockersim.sim.store import MemoryStore

HUB = Hub(MemoryStore())  # shared: the hub is read-only here


def _world(store=None):
    store = store or MemoryStore()
    clock = ManualClock()
    layers = LayerStore(store)
    return store, clock, layers, ImageStore(store, layers, clock)


def _pull(images, name):
    for _ in pull(name, HUB, images.layers, images, images.clock, V2MetadataService(images.store)):
        pass
    return images.lookup(name)


def test_lookup_forms():
    _s, _c, _l, images = _world()
    img = _pull(images, "busybox")
    hexid = img.id[7:]
    for text in ("busybox", "busybox:latest", "docker.io/library/busybox:latest", img.id, hexid,
                 hexid[:12], "sha256:" + hexid[:12], hexid[:3]):
        assert images.lookup(text) is img, text
    for text in ("busybox:1.36", "nosuch", "0000000"):
        with pytest.raises(ImageNotFound):
            images.lookup(text)
    with pytest.raises(ImageNotFound) as exc:
        images.lookup("nosuch")
    assert str(exc.value) == "No such image: nosuch:latest"
    with pytest.raises(InvalidReference):
        images.lookup("Foo")


def test_ambiguous_prefix_is_not_found():
    _s, _c, _l, images = _world()
    a = images.create(canonical_json({"rootfs": {"type": "layers", "diff_ids": []}, "n": 1}))
    b = images.create(canonical_json({"rootfs": {"type": "layers", "diff_ids": []}, "n": 2}))
    common = ""
    while a.id[7 + len(common)] == b.id[7 + len(common)]:
        common += a.id[7 + len(common)]
    if common:
        assert images.search(common) is None
    assert images.search(a.id[7:7 + len(common) + 1]) is a


def test_tag_moves_and_untag():
    _s, clock, _l, images = _world()
    bb = _pull(images, "busybox")
    hw = _pull(images, "hello-world")
    clock.advance(5)
    images.tag(bb.id, parse("museopkim/kubia"))
    assert images.tags(bb.id) == ["busybox:latest", "museopkim/kubia:latest"]
    assert bb.last_tag_time == clock.now()
    images.tag(hw.id, parse("museopkim/kubia:latest"))  # moves
    assert images.tags(bb.id) == ["busybox:latest"]
    assert images.lookup("museopkim/kubia") is hw
    assert images.untag(parse("museopkim/kubia")) == hw.id
    with pytest.raises(InvalidReference):
        images.tag(bb.id, parse("busybox@sha256:" + "a" * 64))


def test_rmi_by_name_untags_then_deletes_and_releases_layers():
    store, _c, layers, images = _world()
    img = _pull(images, "busybox")
    built = catalog.image_for("library/busybox", "latest")
    images.tag(img.id, parse("busybox:mine"))
    assert images.delete("busybox:mine") == [{"Untagged": "busybox:mine"}]
    records = images.delete("busybox")
    assert records == [
        {"Untagged": "busybox:latest"},
        {"Untagged": f"busybox@{built.digest}"},
        {"Deleted": img.id},
        {"Deleted": built.diff_ids[0]},
    ]
    assert len(images) == 0 and len(layers) == 0
    assert not store.has_blob(img.id) and not store.has_blob(built.diff_ids[0])
    assert json.loads(store.get_bytes("repositories.json")) == {"Repositories": {}}


def test_rmi_shared_layers_refcounts():
    _s, _c, layers, images = _world()
    debian = _pull(images, "debian:bookworm")
    node = _pull(images, "node:22")
    base = catalog.image_for("library/debian", "bookworm").diff_ids[0]
    assert layers.get(base).refcount == 2
    records = images.delete("node:22")
    deleted = [r["Deleted"] for r in records if "Deleted" in r]
    assert deleted[0] == node.id and len(deleted) == 1 + 7  # the image and its 7 own layers
    assert base not in deleted and layers.get(base).refcount == 1
    images.delete("debian:bookworm")
    assert len(layers) == 0
    assert debian.id not in images


def test_rmi_by_id_with_several_tags_needs_force():
    _s, _c, _l, images = _world()
    img = _pull(images, "busybox")
    images.tag(img.id, parse("other"))
    with pytest.raises(ImageConflict) as exc:
        images.delete(img.short_id)
    assert str(exc.value) == (f"conflict: unable to delete {img.short_id} (must be forced) - "
                              "image is referenced in multiple repositories")
    records = images.delete(img.short_id, force=True)
    assert {"Untagged": "other:latest"} in records and {"Deleted": img.id} in records


def test_rmi_with_containers():
    _s, _c, _l, images = _world()
    img = _pull(images, "busybox")
    cid = "c" * 64
    stopped = lambda image_id: [ContainerUse(cid, running=False)] if image_id == img.id else []
    running = lambda image_id: [ContainerUse(cid, running=True)] if image_id == img.id else []
    with pytest.raises(ImageConflict) as exc:
        images.delete("busybox", containers_using=stopped)
    assert str(exc.value) == (f'conflict: unable to remove repository reference "busybox" (must force) - '
                              f"container {cid[:12]} is using its referenced image {img.short_id}")
    with pytest.raises(ImageConflict) as exc:
        images.delete(img.id, containers_using=running, force=True)
    assert str(exc.value) == (f"conflict: unable to delete {img.short_id} (cannot be forced) - "
                              f"image is being used by running container {cid[:12]}")
    with pytest.raises(ImageConflict, match="image is being used by stopped container"):
        images.delete(img.id, containers_using=stopped)
    # forced by name: untagged, but the image stays for the container (quiet)
    records = images.delete("busybox", force=True, containers_using=running)
    assert records[0] == {"Untagged": "busybox:latest"} and img.id in images


def test_parent_child_and_listing():
    _s, _c, layers, images = _world()
    base = _pull(images, "busybox")
    tar = TreeBuilder().file("app/x", "1").tar(0)
    top = layers.register(tar, base.top_chain_id)
    cfg = json.loads(base.config_bytes)
    cfg["rootfs"]["diff_ids"] = base.diff_ids + [top.diff_id]
    child = images.create(canonical_json(cfg), parent=base.id)
    layers.release(top.chain_id)
    images.tag(child.id, parse("app"))
    built = catalog.image_for("library/busybox", "latest")
    # by name: the tag and then the digest go, the image stays (it has a child)
    assert images.delete("busybox") == [{"Untagged": "busybox:latest"}, {"Untagged": f"busybox@{built.digest}"}]
    assert base not in images.list() and base in images.list(all=True)  # hidden intermediate
    with pytest.raises(ImageConflict, match=r"\(cannot be forced\) - image has dependent child images"):
        images.delete(base.id, force=True)
    records = images.delete("app")
    deleted = [r["Deleted"] for r in records if "Deleted" in r]
    assert deleted[0] == child.id and base.id in deleted  # the untagged parent is pruned
    assert len(images) == 0 and len(layers) == 0


def test_reload_round_trip(tmp_path):
    store, clock, layers, images = _world(DirStore(str(tmp_path)))
    bb = _pull(images, "busybox")
    _pull(images, "node:20")
    images.tag(bb.id, parse("museopkim/kubia:v1"))
    store2 = DirStore(str(tmp_path))
    layers2 = LayerStore.load(store2)
    images2 = ImageStore.load(store2, layers2, clock)
    assert sorted(i.id for i in images2.images()) == sorted(i.id for i in images.images())
    assert images2.tags(bb.id) == images.tags(bb.id) == ["busybox:latest", "museopkim/kubia:v1"]
    assert images2.repo_digests(bb.id) == images.repo_digests(bb.id)
    assert images2.lookup("museopkim/kubia:v1").last_tag_time == bb.last_tag_time
    assert [(l.chain_id, l.refcount) for l in layers2.layers()] == [(l.chain_id, l.refcount) for l in layers.layers()]
    assert images2.size(bb.id) == images.size(bb.id)
    images2.delete("node:20")
    images2.delete("museopkim/kubia:v1")
    images2.delete("busybox")
    assert len(LayerStore.load(DirStore(str(tmp_path)))) == 0
    assert ImageStore.load(DirStore(str(tmp_path)), layers2, clock).images() == []
