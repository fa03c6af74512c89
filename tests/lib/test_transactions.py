"""Dual writes, the outbox, sagas and two-phase commit (sysdesign.sim.transactions).

Expected values come from the crash model's probabilities, not from the code under test:

* a dual write loses (or orphans) an event when its one crash draw hits: Binomial(n, p), mean n p;
* an outbox relay republishes a record after each crash before "mark sent": the number of extra
  publishes per record is geometric (failures before the first success), mean p / (1 - p),
  variance p / (1 - p)^2;
* a saga sends two remote steps per order (charge, then ship or refund), each re-sent the same way;
  a non-idempotent charge is duplicated when its first crash draw hits: Binomial(n, p);
* an in-doubt lock held for D seconds on a row that receives λ/rows arrivals per second makes
  about λ/rows × (D - blocked_after_s) arrivals wait longer than blocked_after_s (Poisson arrivals).

Counts are checked within four standard deviations.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import transactions as tx


def within_sigmas(observed: float, mean: float, sd: float, k: float = 4.0) -> bool:
    return abs(observed - mean) <= k * sd


# ------------------------------------------------------------------------------------------------
# Dual write and outbox
# ------------------------------------------------------------------------------------------------

N, P = 20_000, 0.05


def test_commit_then_publish_loses_a_binomial_share_of_events():
    run = tx.publish_orders(tx.COMMIT_THEN_PUBLISH, orders=N, crash_prob=P, seed=7)
    assert run.committed == N and run.phantom == 0 and run.duplicates == 0
    assert within_sigmas(run.lost, N * P, math.sqrt(N * P * (1 - P)))
    assert run.inconsistent == run.lost  # each lost event is an order downstream never saw


def test_publish_then_commit_announces_rolled_back_orders():
    run = tx.publish_orders(tx.PUBLISH_THEN_COMMIT, orders=N, crash_prob=P, seed=7)
    assert run.messages == N and run.lost == 0
    assert run.committed + run.phantom == N
    assert within_sigmas(run.phantom, N * P, math.sqrt(N * P * (1 - P)))


def test_outbox_loses_nothing_and_duplicates_a_geometric_number_of_times():
    run = tx.publish_orders(tx.OUTBOX, orders=N, crash_prob=P, seed=7)
    assert (run.lost, run.phantom, run.inconsistent) == (0, 0, 0)
    mean, var = P / (1 - P), P / (1 - P) ** 2
    assert within_sigmas(run.duplicates, N * mean, math.sqrt(N * var))


def test_a_consumer_that_does_not_deduplicate_acts_twice_on_republished_events():
    naive = tx.publish_orders(tx.OUTBOX, orders=N, crash_prob=P, idempotent_consumer=False, seed=7)
    # a record is republished at least once with probability p
    assert within_sigmas(naive.applied_twice, N * P, math.sqrt(N * P * (1 - P)))
    assert naive.inconsistent == naive.applied_twice


def test_consume_skips_ids_it_has_seen_only_when_idempotent():
    assert tx.consume([5, 5, 6, 5]) == {5: 1, 6: 1}
    assert tx.consume([5, 5, 6, 5], idempotent=False) == {5: 3, 6: 1}


@pytest.mark.parametrize("pattern", tx.EVENT_PATTERNS)
def test_without_crashes_every_pattern_delivers_each_event_once(pattern):
    run = tx.publish_orders(pattern, orders=500, crash_prob=0, seed=1)
    assert (run.committed, run.messages, run.lost, run.phantom, run.duplicates, run.inconsistent) == (
        500,
        500,
        0,
        0,
        0,
        0,
    )


@settings(max_examples=40, deadline=None)
@given(
    pattern=st.sampled_from(tx.EVENT_PATTERNS),
    n=st.integers(1, 300),
    p=st.floats(0, 0.6),
    idempotent=st.booleans(),
    seed=st.integers(0, 10_000),
)
def test_delivery_counts_add_up(pattern, n, p, idempotent, seed):
    run = tx.publish_orders(pattern, orders=n, crash_prob=p, idempotent_consumer=idempotent, seed=seed)
    distinct = run.committed - run.lost + run.phantom
    assert run.messages == distinct + run.duplicates
    if pattern == tx.OUTBOX:
        assert run.lost == run.phantom == 0 and run.committed == n
    else:
        assert run.duplicates == 0 and run.lost + run.phantom <= n
    if idempotent:
        assert run.inconsistent == run.lost + run.phantom and run.applied_twice == 0


# ------------------------------------------------------------------------------------------------
# Sagas
# ------------------------------------------------------------------------------------------------


def test_saga_compensates_in_reverse_order():
    # Garcia-Molina & Salem: T1, T2, then T3 fails, then C2, C1.
    (t1, c1), (t2, c2) = [(s[1], s[2]) for s in tx.SAGA_STEPS[:2]]
    trace = tx.saga_trace(ships=False)
    assert trace["action"].tolist() == [t1, t2, "schedule shipping: fails", c2, c1]
    assert tuple(trace.iloc[-1][["order", "card", "parcel"]]) == ("cancelled", "refunded", "none")
    # before the end, another service could read a charged card on a pending order
    assert ("pending", "charged") in set(zip(trace["order"], trace["card"], strict=True))


def test_a_saga_that_ships_ends_approved_charged_and_shipped():
    trace = tx.saga_trace(ships=True)
    assert tuple(trace.iloc[-1][["order", "card", "parcel"]]) == ("approved", "charged", "scheduled")


def test_saga_counts_follow_the_probabilities():
    n, fail = 20_000, 0.1
    run = tx.run_sagas(orders=n, fail_prob=fail, crash_prob=P, seed=3)
    assert run.completed + run.compensated == n
    assert within_sigmas(run.compensated, n * fail, math.sqrt(n * fail * (1 - fail)))
    # two remote steps per order, each re-sent a geometric number of times
    assert within_sigmas(run.redeliveries, 2 * n * P / (1 - P), math.sqrt(2 * n * P) / (1 - P))
    # three states before the final one: pending, charged, then scheduled or refunded
    assert run.intermediate_states == 3 * n
    assert (run.double_charged, run.double_refunded, run.double_shipped, run.inconsistent) == (0, 0, 0, 0)


def test_non_idempotent_participants_double_charge():
    n = 20_000
    run = tx.run_sagas(orders=n, fail_prob=0.1, crash_prob=P, idempotent=False, seed=3)
    assert within_sigmas(run.double_charged, n * P, math.sqrt(n * P * (1 - P)))
    assert run.inconsistent >= max(run.double_charged, run.double_shipped)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 200), fail=st.floats(0, 1), p=st.floats(0, 0.6), seed=st.integers(0, 10_000))
def test_idempotent_sagas_always_end_consistent(n, fail, p, seed):
    run = tx.run_sagas(orders=n, fail_prob=fail, crash_prob=p, seed=seed)
    assert run.completed + run.compensated == n
    assert run.inconsistent == 0 and run.double_charged == 0


# ------------------------------------------------------------------------------------------------
# Two-phase commit
# ------------------------------------------------------------------------------------------------


def reference_waits(arrivals, rows, held):
    """First come, first served per row, one request at a time (the plain loop)."""
    free: dict[int, float] = {}
    waits = []
    for a, r, h in zip(arrivals, rows, held, strict=True):
        start = max(a, free.get(int(r), 0.0))
        waits.append(start - a)
        free[int(r)] = start + h
    return np.array(waits)


def test_fifo_waits_by_hand():
    # one row: requests at 0, 1, 1.5 each holding 2 s start at 0, 2, 4
    waits = tx.fifo_waits(np.array([0.0, 1.0, 1.5]), np.array([0, 0, 0]), np.array([2.0, 2.0, 2.0]))
    assert waits.tolist() == [0.0, 1.0, 2.5]


@settings(max_examples=40, deadline=None)
@given(
    gaps=st.lists(st.floats(0, 5), min_size=1, max_size=60),
    data=st.data(),
)
def test_fifo_waits_match_the_plain_loop(gaps, data):
    n = len(gaps)
    rows = np.array(data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)))
    held = np.array(data.draw(st.lists(st.floats(0, 10), min_size=n, max_size=n)))
    arrivals = np.cumsum(gaps)
    assert np.allclose(tx.fifo_waits(arrivals, rows, held), reference_waits(arrivals, rows, held), atol=1e-9)


def test_no_coordinator_crash_no_blocking():
    run = tx.two_phase_commit(crash_prob=0, seed=4)
    assert (run.in_doubt, run.blocked, run.lock_seconds) == (0, 0, 0.0)
    assert run.max_lock_held_s == pytest.approx(0.020)


def test_in_doubt_locks_are_held_for_the_whole_downtime():
    run = tx.two_phase_commit(crash_prob=0.01, downtime_s=45, hold_ms=20, seed=4)
    assert run.in_doubt > 0
    assert run.max_lock_held_s == pytest.approx(45.020)
    assert run.lock_seconds == pytest.approx(run.in_doubt * 45.020)


def test_blocked_transactions_per_in_doubt_lock_match_poisson_arrivals():
    rate, rows, down, slow = 50.0, 100, 20.0, 0.1
    runs = [
        tx.two_phase_commit(
            transactions=20_000,
            rate_per_s=rate,
            hot_rows=rows,
            crash_prob=0.002,
            downtime_s=down,
            blocked_after_s=slow,
            seed=s,
        )
        for s in range(4)
    ]
    per_lock = sum(r.blocked for r in runs) / sum(r.in_doubt for r in runs)
    assert per_lock == pytest.approx(rate / rows * (down - slow), rel=0.15)


@settings(max_examples=20, deadline=None)
@given(p=st.floats(0, 0.1), seed=st.integers(0, 1_000), d1=st.floats(0, 60), d2=st.floats(0, 60))
def test_longer_downtime_never_blocks_fewer(p, seed, d1, d2):
    low, high = sorted((d1, d2))
    a = tx.two_phase_commit(transactions=500, crash_prob=p, downtime_s=low, seed=seed)
    b = tx.two_phase_commit(transactions=500, crash_prob=p, downtime_s=high, seed=seed)
    assert a.in_doubt == b.in_doubt
    assert a.blocked <= b.blocked and a.max_wait_s <= b.max_wait_s + 1e-9
    assert b.blocked <= 500  # only the batch's own transactions are counted


def test_blocking_curve_has_one_row_per_downtime():
    curve = tx.blocking_curve([0, 15, 30], crash_prob=0.01)
    assert curve["downtime_s"].tolist() == [0.0, 15.0, 30.0]
    assert curve["blocked"].is_monotonic_increasing and curve["blocked"].iloc[0] == 0


# ------------------------------------------------------------------------------------------------
# Side by side, and bad input
# ------------------------------------------------------------------------------------------------


def test_compare_shows_each_pattern_failing_its_own_way():
    t = tx.compare(crash_prob=0.05, idempotent=True).set_index("pattern")
    assert list(t.index) == list(tx.PATTERNS) and list(t.reset_index().columns) == list(tx.COLUMNS)
    assert t.loc[tx.COMMIT_THEN_PUBLISH, "events lost"] > 0
    assert t.loc[tx.PUBLISH_THEN_COMMIT, "events for rolled-back orders"] > 0
    assert t.loc[tx.OUTBOX, "duplicates delivered"] > 0 and t.loc[tx.OUTBOX, "inconsistent orders"] == 0
    assert t.loc[tx.SAGA, "inconsistent orders"] == 0
    assert t.loc[tx.TWO_PC, "inconsistent orders"] == 0 and t.loc[tx.TWO_PC, "blocked transactions"] > 0


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: tx.publish_orders("xa"), ValueError, "pattern"),
        (lambda: tx.publish_orders(orders=0), ValueError, "orders"),
        (lambda: tx.publish_orders(orders=2.5), ValueError, "orders"),
        (lambda: tx.publish_orders(crash_prob=1), ValueError, "crash_prob"),
        (lambda: tx.publish_orders(crash_prob="0.1"), TypeError, "crash_prob"),
        (lambda: tx.publish_orders(idempotent_consumer="yes"), TypeError, "idempotent_consumer"),
        (lambda: tx.run_sagas(fail_prob=1.5), ValueError, "fail_prob"),
        (lambda: tx.run_sagas(idempotent=1), TypeError, "idempotent"),
        (lambda: tx.saga_trace(ships="no"), TypeError, "ships"),
        (lambda: tx.two_phase_commit(rate_per_s=0), ValueError, "rate_per_s"),
        (lambda: tx.two_phase_commit(hot_rows=0), ValueError, "hot_rows"),
        (lambda: tx.two_phase_commit(downtime_s=-1), ValueError, "downtime_s"),
        (
            lambda: tx.two_phase_commit(transactions=1, rate_per_s=1e6, downtime_s=3600),
            ValueError,
            "downtime_s",
        ),
        (lambda: tx.blocking_curve(30), TypeError, "downtimes"),
        (lambda: tx.table(), TypeError, "runs"),
    ],
)
def test_bad_input_names_the_parameter(call, error, name):
    with pytest.raises(error, match=name):
        call()
