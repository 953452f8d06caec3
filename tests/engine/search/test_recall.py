"""Recall channels: quotas, de-duplication, provenance, and each channel against a direct scan."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.search.recall import behaviour_channel, make_shop, merge, preference_channel, recall, region_channel


@pytest.fixture(scope="module")
def shop(analyzer):
    return make_shop(seed=3, analyzer=analyzer)


def test_shop_is_reproducible(analyzer) -> None:
    a, b = make_shop(seed=5, n_items=50, n_events=200, analyzer=analyzer), make_shop(seed=5, n_items=50, n_events=200,
                                                                                     analyzer=analyzer)
    assert a.items == b.items and a.events == b.events and a.users == b.users


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from([f"u{i:02d}" for i in range(30)]), st.sampled_from(["", "无线 耳机", "咖啡豆", "小说 OR 绘本"]),
       st.dictionaries(st.sampled_from(["term", "behaviour", "preference", "region"]), st.integers(0, 6)))
def test_merge_respects_quotas_dedupes_and_keeps_provenance(shop, user, query, quotas) -> None:
    merged, channels = recall(shop, user, query, quotas)
    ids = [r.item.id for r in merged]
    assert len(ids) == len(set(ids)), "an item was recalled twice"
    admitted = Counter(r.admitted_by for r in merged)
    for name, count in admitted.items():
        assert count <= quotas.get(name, 0)
    for r in merged:
        proposed_by = {name for name, cands in channels.items() if any(c.item == r.item.id for c in cands)}
        assert {c.channel for c in r.provenance} == proposed_by
        assert r.admitted_by in proposed_by and all(c.reason for c in r.provenance)


def test_quota_is_filled_when_a_channel_has_enough_distinct_items(shop) -> None:
    merged, _ = recall(shop, "u01", "", {"preference": 5, "region": 0, "behaviour": 0, "term": 0})
    assert len(merged) == 5 and all(r.admitted_by == "preference" for r in merged)


def test_region_channel_is_a_bitmap_filter_on_the_users_city(shop) -> None:
    user = shop.users["u02"]
    cands = region_channel(shop, user, n=1000)
    assert {c.item for c in cands} == {i.id for i in shop.items.values() if i.region == user.region}


def test_preference_channel_counts_shared_tags(shop) -> None:
    user = shop.users["u04"]
    for c in preference_channel(shop, user, n=1000):
        assert c.score == len(set(user.tags) & set(shop.items[c.item].tags)) > 0


def test_behaviour_channel_never_recommends_what_was_bought(shop) -> None:
    for uid in ("u00", "u05", "u09"):
        bought = {e.item for e in shop.history(uid) if e.kind == "purchase"}
        assert not bought & {c.item for c in behaviour_channel(shop, shop.users[uid], n=1000)}


def test_merge_order_is_round_robin() -> None:
    from engine.search.recall import Candidate

    shop = make_shop(seed=1, n_items=10, n_events=50)
    items = list(shop.items)
    channels = {"a": [Candidate(i, "a", 1.0, "x") for i in items[:3]],
                "b": [Candidate(i, "b", 1.0, "y") for i in (items[0], items[3], items[4])]}
    merged = merge(shop, channels, {"a": 2, "b": 2})
    assert [(r.item.id, r.admitted_by) for r in merged] == [(items[0], "a"), (items[3], "b"), (items[1], "a"),
                                                            (items[4], "b")]
    assert {c.channel for c in merged[0].provenance} == {"a", "b"}
