"""find_by_name over real HTTP: one paged read finds live, deleted and duplicate objects by name."""

from __future__ import annotations

import skill.account.existing as existing
from skill.account.existing import find_by_name
from skill.graph import GraphClient
from support import SANDBOX_ACCOUNT, SANDBOX_ADSET, SANDBOX_TOKEN, Graph, png_bytes


def test_live_gone_and_duplicates_are_told_apart(sandbox) -> None:
    graph = Graph(sandbox)
    one = graph.make_ad("kit - a", seed=1)
    two = graph.make_ad("kit - a", seed=2)  # a duplicate made by hand
    gone = graph.make_ad("kit - b", seed=3)
    assert graph.post(gone, status="DELETED").ok
    graph.make_ad("someone else's", seed=4)
    client = GraphClient(sandbox.url, SANDBOX_TOKEN, retry_base_s=0.01)
    found = find_by_name(client, f"{SANDBOX_ADSET}/ads", {"kit - a", "kit - b", "kit - c"})
    assert set(found.live) == {"kit - a"}
    assert {found.id_of("kit - a"), *found.duplicates["kit - a"]} == {one, two}
    assert set(found.gone) == {"kit - b"} and found.gone["kit - b"]["id"] == gone
    assert found.id_of("kit - c") is None and "someone else's" not in found.live


def test_a_large_edge_is_read_across_pages(sandbox, monkeypatch) -> None:
    monkeypatch.setattr(existing, "PAGE_SIZE", 2)
    graph = Graph(sandbox)
    creative = graph.create_creative(graph.upload_image(png_bytes(seed=7)))
    ids = {f"kit - {i}": graph.create_ad(creative, f"kit - {i}") for i in range(5)}
    client = GraphClient(sandbox.url, SANDBOX_TOKEN, retry_base_s=0.01)
    found = find_by_name(client, f"{SANDBOX_ACCOUNT}/ads", set(ids), include_gone=False)
    assert {n: r["id"] for n, r in found.live.items()} == ids
