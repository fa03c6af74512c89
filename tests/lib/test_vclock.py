"""Vector clocks: compare, increment, merge, and the seeded pairs used to grade a learner's compare.

Expected orders are worked out by hand from the definition: a happened before b when no counter
of a is larger and at least one is smaller (a missing node counts as 0).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.vclock import ORDERS, compare, increment, merge, random_pairs


@pytest.mark.parametrize(
    ("a", "b", "order"),
    [
        ({}, {}, "equal"),
        ({"x": 1}, {"x": 1}, "equal"),
        ({"x": 0}, {}, "equal"),  # a zero counter is the same as a missing one
        ({"x": 1}, {"x": 2}, "before"),
        ({}, {"y": 1}, "before"),
        ({"x": 3, "y": 1}, {"x": 3}, "after"),
        ({"x": 2}, {"x": 1, "y": 1}, "concurrent"),  # x larger on the left, y on the right
        ({"x": 1, "y": 5}, {"x": 2, "y": 5}, "before"),
        ({"a": 1}, {"b": 1}, "concurrent"),  # two writes on two sides of a partition
    ],
)
def test_compare_by_hand(a, b, order):
    assert compare(a, b) == order


def test_increment_and_merge_by_hand():
    assert increment({}, "n1") == {"n1": 1}
    assert increment({"n1": 1}, "n1") == {"n1": 2}
    assert merge({"x": 2, "y": 1}, {"x": 1, "z": 3}) == {"x": 2, "y": 1, "z": 3}


clocks = st.dictionaries(st.sampled_from("abc"), st.integers(0, 4), max_size=3)


@settings(max_examples=80, deadline=None)
@given(clocks, clocks)
def test_compare_is_antisymmetric_and_merge_dominates(a, b):
    flip = {"before": "after", "after": "before", "concurrent": "concurrent", "equal": "equal"}
    assert compare(b, a) == flip[compare(a, b)]
    m = merge(a, b)
    assert compare(a, m) in ("before", "equal") and compare(b, m) in ("before", "equal")
    assert compare(increment(a, "a"), a) == "after"


def test_random_pairs_are_seeded_and_cover_every_order():
    pairs = random_pairs(40, seed=3)
    assert pairs == random_pairs(40, seed=3)
    orders = [o for _, _, o in pairs]
    assert {o: orders.count(o) for o in ORDERS} == {o: 10 for o in ORDERS}
    # some clocks leave a node out, so a compare must treat missing as zero
    assert any(set(a) != set(b) for a, b, _ in pairs)


@pytest.mark.parametrize(
    ("call", "word"),
    [
        (lambda: compare([1], {}), "a"),
        (lambda: compare({}, {"x": -1}), "b"),
        (lambda: compare({"x": 1.5}, {}), "a"),
        (lambda: increment({}, ""), "node"),
        (lambda: random_pairs(2), "n_pairs"),
        (lambda: random_pairs(8, nodes=("a",)), "nodes"),
    ],
)
def test_bad_input_names_the_parameter(call, word):
    with pytest.raises((ValueError, TypeError), match=word):
        call()
