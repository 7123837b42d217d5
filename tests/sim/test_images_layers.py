"""Layer store: chain ids, registration, reference counts, persistence."""

import tarfile
import io

import pytest

from dockersim.sim.ids import chain_id, sha256_digest
from dockersim.sim.images.errors import LayerNotFound
from dockersim.sim.images.layer_store import LayerStore
from dockersim.sim.images.tarball import TreeBuilder
from dockersim.daemon.backend.datastore import DirStore
from dockersim.sim.store import MemoryStore

A, B, C = ("sha256:" + ch * 64 for ch in "abc")


def test_chain_id_vectors():
    assert chain_id(None, A) == A
    ab = chain_id(A, B)
    assert ab == "sha256:ccd722928bd92476ba1745586fed6e45a102504185ad88cd89e01ff116fd146c"
    assert chain_id(ab, C) == "sha256:c1377126441fb2f5ec2c21ae2a60255331d639e830f0ee1b40a36e52d4c40588"
    assert LayerStore.chain_ids([A, B, C]) == [A, ab, chain_id(ab, C)]


def make_tar(entries) -> bytes:
    """A tar of (name, bytes or None for a directory), in this order."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name, content in entries:
            info = tarfile.TarInfo(name)
            if content is None:
                info.type = tarfile.DIRTYPE
                tf.addfile(info)
            else:
                info.size = len(content)
                tf.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def _tar(name: str, data: str = "x") -> bytes:
    return TreeBuilder().file(name, data).tar(0)


def test_register_and_dedupe():
    ls = LayerStore(MemoryStore())
    t1, t2 = _tar("a"), _tar("b")
    l1 = ls.register(t1)
    assert l1.diff_id == sha256_digest(t1) == l1.chain_id
    assert l1.size == 1 and l1.parent is None and l1.refcount == 1  # the file's byte
    l2 = ls.register(t2, l1.chain_id)
    assert l2.chain_id == chain_id(l1.chain_id, l2.diff_id)
    assert l1.refcount == 2  # one handed out, one held by the child
    again = ls.register(t2, l1.chain_id)
    assert again is l2 and l2.refcount == 2
    assert ls.tar(l2.diff_id) == t2
    assert [l.chain_id for l in ls.chain(l2.chain_id)] == [l1.chain_id, l2.chain_id]
    assert ls.chain_size(l2.chain_id) == 1 + 1


def test_register_with_a_known_diff_id_does_not_hash_the_tar(monkeypatch):
    import dockersim.sim.images.layer_store as layer_store

    ls = LayerStore(MemoryStore())
    t1 = _tar("a")
    diff_id = sha256_digest(t1)

    def no_hashing(data):
        raise AssertionError("hashed the tar again")

    monkeypatch.setattr(layer_store, "sha256_digest", no_hashing)
    l1 = ls.register(t1, diff_id=diff_id)
    assert (l1.diff_id, l1.chain_id) == (diff_id, diff_id) and ls.tar(diff_id) == t1


def test_layer_size_is_overlay2s_diff_size():
    """moby's layer size is the graph driver's DiffSize: Go's
    directory.Size of the applied diff (every non-directory's Lstat size,
    a hard-linked inode once: file contents and symlink targets; a
    whiteout is a 0/0 device; directories and metadata count 0), not the
    tar's length."""
    tar = (TreeBuilder().dir("app").file("app/a", "abc").file("app/b", "hello")
           .hardlink("app/c", "app/b").symlink("app/l", "a/target").tar(0))
    ls = LayerStore(MemoryStore())
    assert ls.register(tar).size == 3 + 5 + len("a/target")
    assert ls.register(TreeBuilder().dir("app").tar(0)).size == 0  # WORKDIR /app: 0B
    whiteout = make_tar([("app/", None), ("app/.wh.gone", b""), ("app/.wh..wh..opq", b""),
                         ("x", b"12"), ("x", b"1234")])  # a later entry replaces an earlier one
    assert ls.register(whiteout).size == 4


def test_layer_records_without_a_diff_size_get_it_from_their_tar(tmp_path):
    store = DirStore(str(tmp_path))
    layer = LayerStore(store).register(_tar("a", "xyz"))
    doc = store.get_json(f"layers/{layer.chain_id[7:]}.json")
    assert doc["diff_size"] == 3
    del doc["diff_size"]
    doc["size"] = 1024  # what an earlier dockersim stored: the tar's length
    store.put_json(f"layers/{layer.chain_id[7:]}.json", doc)
    assert LayerStore.load(DirStore(str(tmp_path))).get(layer.chain_id).size == 3


def test_release_walks_to_parents():
    store = MemoryStore()
    ls = LayerStore(store)
    l1 = ls.register(_tar("a"))
    l2 = ls.register(_tar("b"), l1.chain_id)
    ls.release(l1.chain_id)  # the caller's own reference on the base
    assert l1.refcount == 1
    assert ls.release(l2.chain_id) == [l2, l1]
    assert len(ls) == 0
    assert not store.has_blob(l1.diff_id) and store.keys("layers") == []
    with pytest.raises(LayerNotFound):
        ls.get(l1.chain_id)


def test_same_tar_on_two_parents_shares_the_blob():
    store = MemoryStore()
    ls = LayerStore(store)
    base1, base2 = ls.register(_tar("a")), ls.register(_tar("b"))
    top = _tar("c")
    x = ls.register(top, base1.chain_id)
    y = ls.register(top, base2.chain_id)
    assert x.chain_id != y.chain_id and x.diff_id == y.diff_id
    ls.release(x.chain_id)
    assert store.has_blob(y.diff_id)  # still used by y
    ls.release(y.chain_id)
    assert not store.has_blob(y.diff_id)


def test_reload_dirstore(tmp_path):
    store = DirStore(str(tmp_path))
    ls = LayerStore(store)
    l1 = ls.register(_tar("a"))
    l2 = ls.register(_tar("b"), l1.chain_id)
    again = LayerStore.load(DirStore(str(tmp_path)))
    assert [(l.chain_id, l.diff_id, l.parent, l.size, l.refcount) for l in again.layers()] == [
        (l.chain_id, l.diff_id, l.parent, l.size, l.refcount) for l in ls.layers()
    ]
    assert again.tar(l2.diff_id) == ls.tar(l2.diff_id)


def test_tree_builder_is_deterministic_ustar():
    def build():
        t = TreeBuilder()
        t.file("bin/busybox", b"\x7fELF", 0o755)
        t.hardlink("bin/sh", "bin/busybox")
        t.hardlink("bin/[", "bin/busybox")
        t.symlink("usr/bin/env", "/bin/busybox")
        t.dir("tmp", 0o1777)
        return t.tar(1_700_000_000)

    data = build()
    assert data == build()
    members = tarfile.open(fileobj=io.BytesIO(data)).getmembers()
    names = [m.name for m in members]
    assert names == ["bin", "bin/[", "bin/busybox", "bin/sh", "tmp", "usr", "usr/bin", "usr/bin/env"]
    by = {m.name: m for m in members}
    assert by["bin/["].isfile() and by["bin/busybox"].islnk() and by["bin/busybox"].linkname == "bin/["
    assert by["tmp"].mode == 0o1777 and by["usr/bin/env"].linkname == "/bin/busybox"
    assert all(m.uname == "" and m.uid == 0 and m.mtime == 1_700_000_000 for m in members)
