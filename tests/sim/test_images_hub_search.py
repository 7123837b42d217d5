"""The simulated Hub's search service (`Hub.search`) and the repository
facts it answers from; Go's ``strconv.Atoi`` texts the daemon's checks use."""

import pytest

from dockersim.sim.golang.errors import GoError
from dockersim.sim.golang.strconv import atoi
from dockersim.sim.images import catalog
from dockersim.sim.images.hub import Hub, SearchResult
from dockersim.sim.store import MemoryStore


def test_official_repositories_answer_with_their_catalog_facts():
    hub = Hub(MemoryStore())
    (busybox,) = hub.search("busybox")
    facts = catalog.facts("library/busybox")
    assert busybox == SearchResult("busybox", facts.description, facts.star_count, True)
    assert catalog.facts("museopkim/kubia") is None


def test_matching_ignores_case_and_looks_at_descriptions_too():
    hub = Hub(MemoryStore())
    assert [r.name for r in hub.search("LiNuX")] == ["ubuntu", "alpine", "debian"]
    assert [r.name for r in hub.search("")] == sorted(
        (p.split("/")[1] for p in catalog.TAGS), key=lambda n: -catalog.FACTS["library/" + n].star_count)
    assert hub.search("no such thing anywhere") == []


def test_pushed_repositories_rank_after_official_ones_and_persist():
    store = MemoryStore()
    hub = Hub(store)
    hub.create_repository("zed/alpine-tools", "zed")
    hub.create_repository("amy/alpine-tools", "amy")
    assert [r.name for r in hub.search("alpine")] == ["alpine", "amy/alpine-tools", "zed/alpine-tools"]
    assert hub.search("alpine", 2)[1] == SearchResult("amy/alpine-tools", "", 0, False)
    loaded = Hub.load(store)
    assert [r.name for r in loaded.search("tools")] == ["amy/alpine-tools", "zed/alpine-tools"]


def test_materialised_builtin_repositories_keep_their_facts():
    store = MemoryStore()
    hub = Hub(store)
    repo = hub.repository("library/hello-world")  # generated and stored
    assert (repo.description, repo.star_count) == (catalog.FACTS["library/hello-world"].description,
                                                   catalog.FACTS["library/hello-world"].star_count)
    assert Hub.load(store).search("hello-world") == hub.search("hello-world")


@pytest.mark.parametrize("text,value,message", [
    ("25", 25, None), ("+3", 3, None), ("-1", -1, None),
    ("", None, 'strconv.Atoi: parsing "": invalid syntax'),
    ("2.5", None, 'strconv.Atoi: parsing "2.5": invalid syntax'),
    ("9223372036854775808", None, 'strconv.Atoi: parsing "9223372036854775808": value out of range'),
])
def test_atoi(text, value, message):
    if message is None:
        assert atoi(text) == value
    else:
        with pytest.raises(GoError) as err:
            atoi(text)
        assert str(err.value) == message
