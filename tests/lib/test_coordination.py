"""Majorities, elections, leases and fencing (sysdesign.sim.coordination).

Sources of the expected numbers:
- Raft (Ongaro & Ousterhout 2014, section 5.1): five servers tolerate two failures; in general
  2f + 1 nodes tolerate f, and a majority is n // 2 + 1, so two majorities share 2m - n nodes;
- order statistics of k uniform timeouts on [lo, lo + w]: the smallest has mean lo + w / (k + 1), and
  the gap between the two smallest exceeds d with probability (1 - d / w) ** k;
- the paused leader (Kleppmann, "How to do distributed locking", 2016): A renews every lease / 3, so
  its lease runs out at (last renewal before the pause) + lease; a pause that outlives it lets B in.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim.coordination import (
    cluster_table,
    elect,
    majority,
    partition,
    paused_leader,
    split_vote_chance,
    tolerated_failures,
)
from sysdesign.widgets.coordination import coordination_explorer


@pytest.mark.parametrize(
    ("n", "maj", "f"),
    [(1, 1, 0), (2, 2, 0), (3, 2, 1), (4, 3, 1), (5, 3, 2), (6, 4, 2), (7, 4, 3)],
)
def test_majority_and_failures(n, maj, f):
    assert majority(n) == maj and tolerated_failures(n) == f


def test_two_majorities_always_share_a_node():
    t = cluster_table(tuple(range(1, 12)))
    assert (t["overlap"] == 2 * t["majority"] - t["nodes"]).all()
    assert (t["overlap"] >= 1).all()


@pytest.mark.parametrize(
    ("n", "isolated", "expected"),
    [
        (5, 2, [("connected", 3, True), ("isolated", 2, False)]),
        (4, 2, [("connected", 2, False), ("isolated", 2, False)]),  # an even split: nobody leads
        (3, 0, [("connected", 3, True)]),
    ],
)
def test_partition(n, isolated, expected):
    assert [tuple(r) for r in partition(n, isolated).values.tolist()] == expected


@pytest.mark.parametrize(("k", "d"), [(2, 10.0), (4, 10.0), (4, 30.0), (8, 5.0)])
def test_split_vote_chance_formula_and_simulation(k, d):
    p = (1 - d / 150) ** k
    assert split_vote_chance(k, (150, 300), d) == pytest.approx(1 - p)
    e = elect(k + 1, alive=k, delay_ms=d, trials=20_000, seed=k)
    assert e.split_share == pytest.approx(1 - p, abs=0.01)


@pytest.mark.parametrize("k", [2, 4, 6])
def test_election_time_without_message_delay(k):
    e = elect(k + 1, alive=k, delay_ms=0, trials=40_000, seed=1)
    assert e.split_share == 0 and e.rounds_mean == 1
    assert e.mean_ms == pytest.approx(150 + 150 / (k + 1), rel=0.01)


def test_no_majority_no_leader():
    e = elect(5, alive=2)
    assert not e.elected and math.isinf(e.mean_ms)
    assert elect(5, alive=3).elected


@pytest.mark.parametrize(
    ("lease", "pause_at", "expires"),
    [(9, 2.0, 9.0), (9, 4.0, 12.0), (12, 8.5, 20.0), (3, 2.5, 5.0)],
)
def test_lease_runs_out_a_lease_after_the_last_renewal(lease, pause_at, expires):
    r = paused_leader(lease, 30, fencing=False, pause_at_s=pause_at)
    assert r.lease_expires_s == pytest.approx(expires)


@pytest.mark.parametrize(
    ("pause", "fencing", "stale_accepted", "stale_refused", "two_writers"),
    [
        (15, False, 1, 0, True),  # the textbook failure: A writes after B took over
        (15, True, 0, 1, False),  # the storage has seen token 2: token 1 is refused
        (5, False, 0, 0, False),  # A woke at 7 s, before its lease ran out at 10 s
        (5, True, 0, 0, False),
    ],
)
def test_paused_leader(pause, fencing, stale_accepted, stale_refused, two_writers):
    r = paused_leader(10, pause, fencing=fencing, pause_at_s=2)
    assert (r.stale_accepted, r.stale_refused, r.two_writers) == (stale_accepted, stale_refused, two_writers)
    table = r.table().set_index("node")
    if pause > 10:
        # B writes every second from its grant at 10 s to the end at 30 s: 20 writes, all accepted.
        assert table.loc["B", "accepted"] == 20 and table.loc["B", "token"] == "2"
    else:
        assert table.loc["B", "accepted"] == 0 and table.loc["B", "token"] == "-"


@settings(max_examples=50, deadline=None)
@given(
    lease=st.floats(0.5, 20),
    pause=st.floats(0, 25),
    pause_at=st.floats(0, 5),
)
def test_fencing_leaves_one_writer(lease, pause, pause_at):
    off = paused_leader(lease, pause, fencing=False, pause_at_s=pause_at)
    on = paused_leader(lease, pause, fencing=True, pause_at_s=pause_at)
    renew = lease / 3
    outlives = pause_at + pause > math.floor(pause_at / renew) * renew + lease
    assert off.expired == on.expired == outlives
    assert on.stale_accepted == 0 and not on.two_writers
    assert off.stale_accepted == on.stale_refused == int(outlives)
    assert off.two_writers == outlives


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: majority(0), "n"),
        (lambda: majority(2.5), "n"),
        (lambda: elect(5, alive=6), "alive"),
        (lambda: elect(5, timeout_ms=(300, 150)), "timeout_ms high"),
        (lambda: elect(5, timeout_ms=150), "timeout_ms"),
        (lambda: paused_leader(0, 5, fencing=True), "lease_s"),
        (lambda: paused_leader(10, -1, fencing=True), "pause_s"),
        (lambda: paused_leader(10, 5, fencing="yes"), "fencing"),
        (lambda: split_vote_chance(0, (150, 300), 5), "candidates"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


# --------------------------------------------------------------------------- explorer


def test_explorer_table_and_chart_follow_the_controls():
    ex = coordination_explorer()
    assert "Two writers: <b>yes</b>" in ex.views["table"].value
    ex.controls["fencing"].value = True
    assert "Two writers: <b>no</b>" in ex.views["table"].value
    refused = ex.views["chart"].figure.data[3]
    assert list(refused.x) == [17.0] and list(refused.y) == ["A"]  # A wakes at 2 + 15 s
    ex.controls["pause_s"].value = 5.0
    assert "stays the only leader" in ex.views["table"].value
    assert len(ex.views["chart"].figure.data[3].x) == 0 and list(ex.views["chart"].figure.data[0].y) == ["A"]
    assert ex.status.value == ""
