"""Quorum replication under partitions: the overlap rule, fresh-read odds, and CP vs AP outcomes.

Expected numbers are the arithmetic written next to them (counting replica subsets with
binomial coefficients), or the rule the lesson states: R + W > N means every read set meets
every write set.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import quorum
from sysdesign.sim.quorum import (
    can_serve,
    min_overlap,
    p_fresh,
    partition_table,
    quorum_overlap,
    read_outcomes,
)


@st.composite
def quorums(draw, overlapping: bool):
    """(n, r, w) with r + w > n when ``overlapping``, else r + w <= n."""
    if overlapping:
        n = draw(st.integers(1, 9))
        r = draw(st.integers(1, n))
        return n, r, draw(st.integers(n - r + 1, n))
    n = draw(st.integers(2, 9))
    r = draw(st.integers(1, n - 1))
    return n, r, draw(st.integers(1, n - r))


@pytest.mark.parametrize(
    ("n", "r", "w", "overlaps", "least"),
    [
        (3, 2, 2, True, 1),  # 2 + 2 = 4 > 3: at least 4 - 3 = 1 shared replica
        (3, 1, 1, False, 0),  # 1 + 1 = 2 <= 3
        (3, 1, 3, True, 1),  # write all, read one: 1 + 3 = 4 > 3
        (5, 3, 3, True, 1),  # majority quorums: 6 > 5
        (5, 2, 3, False, 0),  # 2 + 3 = 5 is not > 5
        (5, 4, 4, True, 3),  # 8 - 5 = 3 shared at least
        (1, 1, 1, True, 1),  # a single replica overlaps itself
    ],
)
def test_overlap_rule(n, r, w, overlaps, least):
    assert quorum_overlap(n, r, w) is overlaps
    assert min_overlap(n, r, w) == least


@pytest.mark.parametrize(
    ("n", "r", "w", "expected"),
    [
        (3, 1, 1, 1 / 3),  # the read asks 1 of 3 replicas; 1 of them has the write
        (3, 1, 2, 2 / 3),  # 2 of 3 have it
        (5, 2, 2, 1 - 3 / 10),  # miss = both read replicas among the 3 without it: C(3,2)/C(5,2) = 3/10
        (4, 2, 2, 1 - 1 / 6),  # miss = C(2,2)/C(4,2) = 1/6
        (9, 4, 5, 1 - 1 / 126),  # miss = C(4,4)/C(9,4) = 1/126
        (3, 2, 2, 1.0),
    ],
)
def test_p_fresh_by_counting_subsets(n, r, w, expected):
    assert p_fresh(n, r, w) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("n", "r", "w"), [(3, 1, 1), (5, 2, 2), (4, 1, 2), (7, 2, 3)])
def test_simulation_matches_counting(n, r, w):
    trials = 40_000
    simulated = read_outcomes(n, r, w, trials=trials, seed=11).fresh
    exact = p_fresh(n, r, w)
    sigma = math.sqrt(exact * (1 - exact) / trials)
    assert abs(simulated - exact) < 4 * sigma + 1e-12


@settings(max_examples=150, deadline=None)
@given(q=quorums(overlapping=True), k=st.integers(0, 9), seed=st.integers(0, 2**16))
def test_overlapping_quorums_never_return_stale_data_in_cp(q, k, seed):
    n, r, w = q
    k = min(k, n)
    assert quorum_overlap(n, r, w) and min_overlap(n, r, w) >= 1 and p_fresh(n, r, w) == 1.0
    for side in ("connected", "isolated"):
        outcome = read_outcomes(n, r, w, isolated=k, side=side, mode="cp", trials=500, seed=seed)
        assert outcome.stale == 0.0
        assert outcome.fresh + outcome.error == pytest.approx(1.0)


@settings(max_examples=100, deadline=None)
@given(q=quorums(overlapping=False), seed=st.integers(0, 2**16))
def test_non_overlapping_quorums_can_return_stale_data(q, seed):
    n, r, w = q
    # The smallest miss chance for n <= 9 is 1 / C(9, 4) = 1/126, so 10,000 reads see some.
    assert not quorum_overlap(n, r, w)
    assert p_fresh(n, r, w) < 1.0
    assert read_outcomes(n, r, w, trials=10_000, seed=seed).stale > 0.0


def test_partition_cp_gives_errors_where_ap_gives_stale_reads():
    # N = 3, R = W = 2, one replica cut off: it cannot gather 2 replicas on its side.
    cp = read_outcomes(3, 2, 2, isolated=1, side="isolated", mode="cp")
    ap = read_outcomes(3, 2, 2, isolated=1, side="isolated", mode="ap")
    assert (cp.fresh, cp.stale, cp.error) == (0.0, 0.0, 1.0)
    assert (ap.fresh, ap.stale, ap.error) == (0.0, 1.0, 0.0)
    # The majority side (2 replicas) still has both quorums: reads there are fresh in both modes.
    for mode in ("cp", "ap"):
        assert read_outcomes(3, 2, 2, isolated=1, side="connected", mode=mode).fresh == 1.0


def test_cp_write_fails_when_the_writer_side_is_too_small():
    # 5 replicas, W = 3, 3 isolated: the writer reaches 2 < 3 replicas.
    outcome = read_outcomes(5, 3, 3, isolated=3, side="connected", mode="cp")
    assert outcome.write_ok is False and outcome.error == 1.0  # 2 < R = 3 as well
    assert read_outcomes(5, 3, 3, isolated=3, side="connected", mode="ap").write_ok is True


def test_can_serve_counts_each_side():
    # 5 replicas, 2 cut off: sides of 3 and 2; R = W = 3 needs 3 replicas.
    table = can_serve(5, 3, 3, 2)
    assert table.values.tolist() == [["connected", 3, True, True], ["isolated", 2, False, False]]
    assert can_serve(5, 3, 3, 0)["side"].tolist() == ["connected"]


def test_partition_table_rows_and_write_outcomes():
    table = partition_table(3, 2, 2, isolated=1, trials=2_000)
    assert table[["side", "replicas"]].values.tolist() == [["connected", 2]] * 2 + [["isolated", 1]] * 2
    assert table["writes"].tolist() == ["ok", "ok", "error", "ok, diverges"]
    assert table[["fresh", "stale", "error"]].sum(axis=1).tolist() == pytest.approx([1.0] * 4)


def test_summary_states_the_rule():
    assert quorum.summary(3, 2, 2).startswith("R + W = 4 > N = 3")
    assert quorum.summary(3, 1, 1).startswith("R + W = 2 <= N = 3")
    assert "33%" in quorum.summary(3, 1, 1)  # 1/3 of reads fresh


def test_overlap_is_stated_with_its_conditions():
    # Kleppmann, DDIA ch. 5 "Limitations of Quorum Consistency": sloppy quorums, concurrent writes and
    # partly failed writes break r + w > n; Dynamo-style quorums are not linearizable.
    said = quorum.summary(3, 2, 2)
    assert "strict quorums" in said and "concurrent" in said and "not linearizable" in said
    doc = " ".join(quorum.__doc__.split())
    for caveat in ("sloppy quorum", "concurrent writes", "reached fewer than ``w``", "not linearizable"):
        assert caveat in doc, caveat


def test_deterministic_for_a_seed():
    a = read_outcomes(5, 2, 2, trials=5_000, seed=3)
    b = read_outcomes(5, 2, 2, trials=5_000, seed=3)
    assert a == b


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n": 0, "r": 1, "w": 1}, "n"),
        ({"n": 3, "r": 4, "w": 1}, "r"),
        ({"n": 3, "r": 1, "w": 0}, "w"),
        ({"n": 3, "r": 1.5, "w": 1}, "r"),
        ({"n": 3, "r": 1, "w": 1, "isolated": 4}, "isolated"),
        ({"n": 3, "r": 1, "w": 1, "side": "left"}, "side"),
        ({"n": 3, "r": 1, "w": 1, "mode": "ca"}, "mode"),
        ({"n": 3, "r": 1, "w": 1, "trials": 0}, "trials"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        read_outcomes(**kwargs)


def test_bad_type_names_the_parameter():
    with pytest.raises(TypeError, match="^n must"):
        quorum_overlap("3", 1, 1)
