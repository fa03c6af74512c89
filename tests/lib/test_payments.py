"""Retries with and without idempotency keys, and ledger reconciliation (sysdesign.sim.payments).

Expected numbers come from the rules written next to each case: a lost reply makes the client
retry, so without keys every delivered retry charges again; with keys each payment is charged
once. Reconciliation cases are small books worked out by hand.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import payments
from sysdesign.sim.payments import (
    MISMATCHES,
    Store,
    idempotent_charge,
    naive_charge,
    reconcile,
    sample_books,
    simulate_retries,
)


def test_a_perfect_network_charges_every_payment_once_either_way():
    for handler in (naive_charge, idempotent_charge):
        r = simulate_retries(handler, payments=300, lost_before=0, lost_after=0, seed=1)
        # nothing is lost: one attempt, one charge, one reply per payment
        assert (r.attempts, r.charged_once, r.double_charged, r.answered) == (300, 300, 0, 300)


def test_every_reply_lost_without_keys_charges_once_per_attempt():
    r = simulate_retries(naive_charge, payments=100, lost_before=0, lost_after=1, max_retries=3, seed=1)
    # 1 try + 3 retries all reach the server and all replies vanish: 4 charges each, no answer
    assert r.attempts == 400 and r.extra_charges == 300 and r.double_charged == 100 and r.answered == 0


def test_every_reply_lost_with_keys_still_charges_once():
    r = simulate_retries(idempotent_charge, payments=100, lost_before=0, lost_after=1, max_retries=3, seed=1)
    assert r.attempts == 400 and r.charged_once == 100 and r.double_charged == 0


def test_requests_lost_on_the_way_in_never_charge():
    r = simulate_retries(naive_charge, payments=50, lost_before=1, lost_after=0, seed=2)
    assert (r.attempts, r.reached, r.charged_once, r.uncharged_reached) == (0, 0, 0, 0)


def test_double_charges_without_keys_match_the_rough_estimate():
    r = simulate_retries(naive_charge, payments=20_000, lost_before=0, lost_after=0.1, max_retries=1, seed=3)
    # one retry: a payment is charged twice exactly when its first reply is lost (10%)
    assert r.double_charged == pytest.approx(payments.expected_double_charges(20_000, 0.1), rel=0.08)


def test_fresh_keys_per_attempt_defeat_an_idempotent_server():
    keyed = simulate_retries(idempotent_charge, payments=2_000, lost_after=0.2, seed=4)
    unkeyed = simulate_retries(idempotent_charge, payments=2_000, lost_after=0.2, keyed=False, seed=4)
    assert keyed.double_charged == 0 < unkeyed.double_charged


def test_a_handler_that_fakes_replies_is_caught():
    r = simulate_retries(lambda store, key, amount: "ch_fake", payments=100, seed=5)
    assert r.uncharged_reached == r.reached > 0 and r.inconsistent_replies == r.answered


def test_a_handler_that_charges_the_wrong_amount_is_caught():
    r = simulate_retries(lambda store, key, amount: store.debit(amount + 1), payments=100, seed=5)
    assert r.wrong_amount >= r.reached > 0  # every charge it made is off by a cent


@given(st.integers(0, 10_000), st.floats(0, 0.5), st.floats(0, 0.5))
@settings(max_examples=25, deadline=None)
def test_idempotent_handler_never_double_charges(seed, before, after):
    r = simulate_retries(idempotent_charge, payments=200, lost_before=before, lost_after=after, seed=seed)
    assert r.double_charged == 0 and r.uncharged_reached == 0 and r.charged_once == r.reached


def test_simulation_is_deterministic():
    assert simulate_retries(naive_charge, seed=9) == simulate_retries(naive_charge, seed=9)


def test_store_replays_records():
    s = Store()
    assert idempotent_charge(s, "a", 100) == idempotent_charge(s, "a", 100) != idempotent_charge(s, "b", 100)


@pytest.mark.parametrize(
    ("ledger", "report", "expected"),
    [
        ([("p1", 100)], [("p1", 100)], {}),  # the books agree
        ([("p1", 100)], [], {"p1": "missing in report"}),
        ([], [("p9", 100)], {"p9": "missing in ledger"}),
        ([("p1", 100)], [("p1", 120)], {"p1": "amount mismatch"}),
        ([("p1", 100)], [("p1", 100), ("p1", 100)], {"p1": "duplicate"}),  # charged twice
        ([], [("p2", 5), ("p2", 5)], {"p2": "duplicate"}),  # duplicate wins over missing
        ([("p3", 1), ("p3", 1)], [("p3", 1)], {"p3": "duplicate"}),
    ],
)
def test_reconcile_cases(ledger, report, expected):
    assert reconcile(ledger, report) == expected


def test_sample_books_inject_each_kind_of_mistake_at_about_its_rate():
    ledger, report = sample_books(20_000, seed=1)
    found = reconcile(ledger, report)
    counts = {label: list(found.values()).count(label) for label in MISMATCHES}
    # 1%, 0.5%, 0.5%, 0.5% of 20,000 payments
    assert counts["missing in report"] == pytest.approx(200, rel=0.25)
    for label in ("missing in ledger", "amount mismatch", "duplicate"):
        assert counts[label] == pytest.approx(100, rel=0.35)


def test_clean_books_reconcile_to_nothing():
    ledger, report = sample_books(
        500, missing_in_report=0, missing_in_ledger=0, amount_mismatch=0, duplicate=0, seed=2
    )
    assert reconcile(ledger, report) == {} and sorted(ledger) == sorted(report)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: simulate_retries(payments=0), "payments"),
        (lambda: simulate_retries(lost_after=1.5), "lost_after"),
        (lambda: simulate_retries(lost_before=0.6, lost_after=0.6), "lost_before"),
        (lambda: simulate_retries(max_retries=-1), "max_retries"),
        (lambda: simulate_retries("charge"), "handler"),
        (lambda: reconcile("p1", []), "ledger"),
        (lambda: reconcile([], [("p1",)]), "report"),
        (lambda: sample_books(10, duplicate=2), "duplicate"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()
