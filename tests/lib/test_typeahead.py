"""Typeahead: the reference ranking, the trie with precomputed top-k, visit counts and memory.

Expected values are worked out by hand next to each case (tiny tables whose tries can be drawn
on paper), or follow from the rule the problem set states: the most frequent queries first,
ties alphabetical; a precomputed lookup walks ``len(prefix) + 1`` nodes.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import typeahead
from sysdesign.typeahead import TypeaheadIndex, build, mismatches, query_log, top_k, topk_memory

SMALL = {"cat": 5, "car": 9, "cart": 9, "care": 2, "dog": 20, "do": 1}


@pytest.mark.parametrize(
    ("prefix", "k", "expected"),
    [
        ("ca", 2, ["car", "cart"]),  # 9, 9 tie -> alphabetical; cat (5) is third
        ("ca", 10, ["car", "cart", "cat", "care"]),  # every query under "ca", by count
        ("", 2, ["dog", "car"]),  # 20 is the largest; then the first of the two 9s
        ("do", 5, ["dog", "do"]),  # the prefix itself is a query, with count 1
        ("cart", 5, ["cart"]),
        ("x", 5, []),  # nothing starts with x
    ],
)
def test_top_k_by_hand(prefix, k, expected):
    assert top_k(SMALL, prefix, k) == expected


@pytest.mark.parametrize("prefix", ["", "c", "ca", "car", "d", "do", "dog", "z"])
@pytest.mark.parametrize("strategy", typeahead.STRATEGIES)
def test_both_strategies_agree_with_the_reference(prefix, strategy):
    index = TypeaheadIndex(SMALL, k=3)
    assert index.suggest(prefix, strategy) == top_k(SMALL, prefix, 3)


def test_node_count_and_subtree_sizes_by_hand():
    # root; c, ca, cat, car, cart, care; d, do, dog -> 10 nodes
    index = TypeaheadIndex(SMALL, k=2)
    assert index.n_nodes == 10
    assert index.subtree_size("ca") == 5  # ca, cat, car, cart, care
    assert index.subtree_size("car") == 3  # car, cart, care
    assert index.subtree_size("q") == 0


@pytest.mark.parametrize(
    ("prefix", "precompute", "scan"),
    [
        ("", 1, 10),  # the root; a scan visits the whole trie
        ("c", 2, 7),  # root + c; scan adds ca, cat, car, cart, care
        ("car", 4, 6),  # root, c, ca, car; scan adds cart, care
        ("zz", 1, 1),  # the walk stops at the root: no child z
    ],
)
def test_visited_nodes_by_hand(prefix, precompute, scan):
    index = build(SMALL, k=2)
    assert typeahead.visited_nodes(index, prefix, "precompute") == precompute
    assert typeahead.visited_nodes(index, prefix, "scan") == scan


def test_stored_entries_and_memory():
    # k=1: every node stores one entry (each has a query below it) -> 10 entries x 8 B
    index = build(SMALL, k=1)
    assert index.stored_entries == 10
    assert index.memory_bytes(8) == 80.0
    assert topk_memory(1e6, 10, 8) == 80e6  # 1 M nodes x 10 x 8 B


def test_query_log_is_seeded_zipf_like_and_distinct():
    log = query_log(1_000, seed=3)
    assert log == query_log(1_000, seed=3)
    assert log != query_log(1_000, seed=4)
    counts = sorted(log.values(), reverse=True)
    assert len(log) == 1_000
    assert counts[:3] == [100_000, 50_000, 33_333]  # 1e5 / 1, / 2, / 3 rounded
    assert all(q and q == q.strip() for q in log)


def test_precompute_never_visits_more_than_scan_on_a_real_log():
    log = query_log(2_000, seed=5)
    index = build(log, k=5)
    for prefix in ["", "b", "ba", "ko", "sa", "zoza"]:
        assert index.visited(prefix, "precompute") <= index.visited(prefix, "scan")
        assert index.suggest(prefix) == top_k(log, prefix, 5)
    assert index.visited("", "scan") == index.n_nodes


@pytest.mark.parametrize(
    ("answer", "expected", "differ"),
    [
        (["a", "b"], ["a", "b"], 0),
        (["b", "a"], ["a", "b"], 2),
        (["a"], ["a", "b"], 1),
        (["a", "b", "c"], ["a", "b"], 1),
        ([1, "b"], ["a", "b"], 1),  # a non-string entry never matches
    ],
)
def test_mismatches(answer, expected, differ):
    assert mismatches(answer, expected) == differ


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(st.text("abc", min_size=1, max_size=5), st.integers(0, 5), min_size=1, max_size=25),
    st.text("abc", max_size=3),
    st.integers(1, 6),
)
def test_trie_matches_brute_force(counts, prefix, k):
    index = build(counts, k)
    expected = top_k(counts, prefix, k)
    assert index.suggest(prefix, "precompute") == expected
    assert index.suggest(prefix, "scan") == expected
    assert index.visited(prefix, "precompute") <= len(prefix) + 1


@pytest.mark.parametrize(
    ("call", "word"),
    [
        (lambda: top_k(SMALL, "a", 0), "k"),
        (lambda: top_k({"a": -1}, "a"), "counts"),
        (lambda: top_k({"": 1}, "a"), "query"),
        (lambda: top_k(SMALL, 3), "prefix"),
        (lambda: build(SMALL).suggest("a", "guess"), "strategy"),
        (lambda: topk_memory(-1, 5), "n_nodes"),
        (lambda: query_log(0), "n_queries"),
        (lambda: mismatches("abc", ["a"]), "answer"),
        (lambda: typeahead.visited_nodes("index", "a", "scan"), "index"),
    ],
)
def test_bad_input_names_the_parameter(call, word):
    with pytest.raises((ValueError, TypeError), match=word):
        call()
