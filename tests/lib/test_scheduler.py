"""Leases, duplicates and recovery in a task queue (sysdesign.sim.scheduler).

Expected numbers: log-normal quantiles median * exp(sigma * z) with z from the normal table
(z_0.999 = 3.090, z_0.99 = 2.326); duplicates without crashes happen exactly when a task
outlasts its lease, so their share is P(duration > lease) = 1 - Phi(ln(lease / median) / sigma);
Little's law for workers. The arithmetic is written next to each case.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import scheduler
from sysdesign.sim.scheduler import duration_quantile, simulate, workers_needed


@pytest.mark.parametrize(
    ("q", "median", "sigma", "expected"),
    [
        (0.5, 20, 0.5, 20),  # the median is the median
        (0.999, 20, 0.5, 20 * math.exp(0.5 * 3.0902)),  # about 93.8 s
        (0.99, 5, 0.3, 5 * math.exp(0.3 * 2.3263)),  # about 10.0 s
        (0.9, 60, 0, 60),  # no spread: every task takes the median
    ],
)
def test_duration_quantile(q, median, sigma, expected):
    assert duration_quantile(q, median, sigma) == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize("lease", [25, 40, 60])
def test_without_crashes_duplicates_are_the_tasks_longer_than_the_lease(lease):
    r = simulate(lease, tasks=50_000, crash_prob=0, seed=4)
    tail = 1 - NormalDist().cdf(math.log(lease / 20) / 0.5)  # P(duration > lease)
    assert r.duplicate_rate == pytest.approx(tail, rel=0.1)
    assert r.crashes == 0 and r.lost == 0 and r.recovery_max_s == 0


def test_a_task_of_fixed_length_runs_once_per_lease_it_spans():
    # every task lasts 50 s; leases of 20 s start runs at 0, 20 and 40 s: 3 runs, 3 side effects
    r = simulate(20, tasks=100, median_s=50, sigma=0, crash_prob=0, seed=1)
    assert r.runs == 300 and r.duplicate_tasks == 100


def test_idempotent_tasks_never_duplicate_their_effect_but_still_waste_runs():
    naive = simulate(30, seed=2)
    safe = simulate(30, idempotent=True, seed=2)
    assert safe.duplicate_tasks == 0 < naive.duplicate_tasks
    assert safe.runs == naive.runs  # the same work is done; only the effect is deduplicated


def test_recovery_never_exceeds_the_lease():
    for lease in (30, 90, 200):
        r = simulate(lease, crash_prob=0.1, seed=3)
        assert 0 < r.recovery_max_s <= lease and r.lost == 0


def test_at_most_once_loses_exactly_the_crashed_tasks_and_never_duplicates():
    r = simulate(60, delivery="at-most-once", crash_prob=0.1, seed=5)
    assert r.lost == r.crashes and r.duplicate_tasks == 0 and r.runs == r.tasks
    assert r.lost == pytest.approx(0.1 * r.tasks, rel=0.1)


def test_a_longer_lease_trades_duplicates_for_slower_recovery():
    results = [simulate(lease, seed=6) for lease in (30, 60, 120)]
    assert [r.duplicate_rate for r in results] == sorted((r.duplicate_rate for r in results), reverse=True)
    assert [r.recovery_max_s for r in results] == sorted(r.recovery_max_s for r in results)


@given(st.floats(5, 500), st.integers(0, 1000))
@settings(max_examples=20, deadline=None)
def test_invariants(lease, seed):
    r = simulate(lease, tasks=2_000, seed=seed)
    assert r.runs >= r.tasks - r.lost and 0 <= r.duplicate_rate <= 1
    assert r.recovery_max_s <= lease + 1e-9


def test_simulation_is_deterministic_and_fast_enough():
    import time

    start = time.perf_counter()
    first = simulate(40, seed=8)
    assert time.perf_counter() - start < 0.5
    assert first == simulate(40, seed=8)


@pytest.mark.parametrize(
    ("rate", "mean", "slots", "util", "expected"),
    [
        (1_000, 20, 32, 0.8, 782),  # 20,000 / 25.6 = 781.25 -> 782
        (100, 1, 10, 1.0, 10),  # 100 running / 10
        (9_259, 22.66, 32, 0.75, math.ceil(9_259 * 22.66 / 24)),
    ],
)
def test_workers_needed(rate, mean, slots, util, expected):
    assert workers_needed(rate, mean, slots, util) == expected


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: simulate(0), "lease_s"),
        (lambda: simulate(10, tasks=0), "tasks"),
        (lambda: simulate(10, crash_prob=2), "crash_prob"),
        (lambda: simulate(10, delivery="exactly-once"), "delivery"),
        (lambda: simulate(10, sigma=-1), "sigma"),
        (lambda: duration_quantile(1, 20, 0.5), "q"),
        (lambda: workers_needed(10, 1, 0, 0.5), "slots_per_worker"),
        (lambda: scheduler.durations(10, 0, 0.5), "median_s"),
        (lambda: simulate(10, pause_prob=1.5), "pause_prob"),
        (lambda: simulate(10, pause_s=-1), "pause_s"),
        (lambda: simulate(10, fencing="yes"), "fencing"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


# ---- fencing tokens (Kleppmann, "How to do distributed locking", 2016) ----


def test_fencing_refuses_nothing_when_the_stale_write_lands_first():
    # every run of a task takes as long as the first, so a slow task's runs write in token order:
    # the old run writes before the newer one, the store has seen no newer token, both effects land
    assert simulate(30, fencing=True, seed=3) == simulate(30, seed=3)


def test_fencing_refuses_a_paused_workers_write_after_a_newer_run_wrote():
    # a 300 s pause on a 120 s lease: the next run starts at 120 s and writes long before the
    # paused run wakes, so fencing refuses most paused writes, but not those that still land first
    paused = dict(pause_prob=0.05, pause_s=300, crash_prob=0, seed=4)
    plain, fenced = simulate(120, **paused), simulate(120, fencing=True, **paused)
    assert 0 < fenced.duplicate_tasks < plain.duplicate_tasks / 10
    assert simulate(120, idempotent=True, **paused).duplicate_tasks == 0


def test_pauses_make_runs_outlive_their_lease():
    # tasks of median 20 s on a 120 s lease rarely outlast it; a 300 s pause always does
    calm = simulate(120, crash_prob=0, seed=5)
    paused = simulate(120, crash_prob=0, pause_prob=0.1, pause_s=300, seed=5)
    assert calm.duplicate_rate < 0.001 and paused.duplicate_rate == pytest.approx(0.1, abs=0.02)
