"""Retries with and without idempotency keys, and ledger reconciliation (sysdesign.sim.payments).

Expected numbers come from the rules written next to each case: a lost reply makes the client
retry, so without keys every delivered retry charges again; with keys each payment is charged
once. Concurrent retries take turns by fair coin flips; the chance that a check-then-act handler
charges twice is counted by hand below. Reconciliation cases are small books worked out by hand.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import payments
from sysdesign.sim.payments import (
    IN_PROGRESS,
    MISMATCHES,
    Store,
    check_then_act_charge,
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


# ---- concurrent retries: a retry that arrives while the first attempt is still running ----


def waiting_charge(store, key, amount):
    """Claims the key atomically; a duplicate waits for the stored result instead of answering 409."""
    if store.put_if_absent(key, "pending"):
        charge_id = store.debit(amount)
        store.put(key, charge_id)
        return charge_id
    while (done := store.get(key)) == "pending":
        pass
    return done


def pending_first_charge(store, key, amount):
    """Writes a pending marker, but after a separate lookup: still check-then-act."""
    done = store.get(key)
    if done is not None:
        return IN_PROGRESS if done == "pending" else done
    store.put(key, "pending")
    charge_id = store.debit(amount)
    store.put(key, charge_id)
    return charge_id


ALL_CONCURRENT = dict(lost_before=0, lost_after=0, max_retries=1, concurrent=1)


def test_check_then_act_charges_twice_as_often_as_the_coin_flips_say():
    # Each attempt needs 4 turns (start, get, debit, put); its get happens on turn 2, its put on
    # turn 4. One charge only if one attempt gets 4 turns before the other gets 2: 4 or 5 of the
    # first 5 fair flips, (5 + 1) / 32 for each side, so P(double) = 1 - 2 * 6 / 32 = 0.625.
    r = simulate_retries(check_then_act_charge, payments=2_000, seed=7, **ALL_CONCURRENT)
    assert r.concurrent == 2_000
    assert r.double_charged / 2_000 == pytest.approx(0.625, abs=0.035)  # about 3 standard errors


@pytest.mark.parametrize("handler", [naive_charge, check_then_act_charge, pending_first_charge])
def test_handlers_that_do_not_claim_the_key_atomically_double_charge(handler):
    r = simulate_retries(handler, payments=500, concurrent=0.3, seed=3)
    assert r.concurrent > 100 and r.double_charged > 0


@pytest.mark.parametrize("handler", [idempotent_charge, waiting_charge])
def test_an_atomic_claim_charges_once_under_concurrent_retries(handler):
    r = simulate_retries(handler, payments=500, seed=3, **ALL_CONCURRENT)
    # every payment ran two attempts side by side (and no retry is left): one charge each, and
    # each client got one reply, the charge id or a 409
    assert (r.attempts, r.charged_once, r.double_charged, r.uncharged_reached) == (1_000, 500, 0, 0)
    assert r.answered + r.in_progress_replies == 500 and r.inconsistent_replies == 0


def test_a_409_answer_makes_the_client_retry_and_get_the_stored_result():
    r = simulate_retries(idempotent_charge, payments=500, seed=3, **{**ALL_CONCURRENT, "max_retries": 2})
    # some duplicates found the claim pending (409); the third attempt replayed the charge id
    assert r.in_progress_replies > 0 and r.attempts == 1_000 + r.in_progress_replies
    assert r.answered == 500 and r.inconsistent_replies == 0 and r.double_charged == 0


@given(st.integers(0, 10_000), st.floats(0, 0.4), st.floats(0, 0.4), st.floats(0, 1))
@settings(max_examples=15, deadline=None)
def test_idempotent_handler_never_double_charges_with_concurrent_retries(seed, before, after, share):
    r = simulate_retries(
        idempotent_charge, payments=100, lost_before=before, lost_after=after, concurrent=share, seed=seed
    )
    assert r.double_charged == 0 and r.uncharged_reached == 0 and r.wrong_amount == 0
    assert r.inconsistent_replies == 0


def test_check_then_act_is_fine_when_retries_come_one_after_another():
    r = simulate_retries(check_then_act_charge, payments=1_000, lost_after=0.3, seed=2)
    assert r.double_charged == 0 and r.charged_once == r.reached


def test_a_handler_that_always_answers_in_progress_never_charges():
    r = simulate_retries(lambda store, key, amount: IN_PROGRESS, payments=50, concurrent=0.5, seed=1)
    assert r.uncharged_reached == r.reached == 50 and r.answered == 0


def test_a_lock_inside_one_process_is_reported_not_hung(monkeypatch):
    import threading

    monkeypatch.setattr(payments, "TURN_TIMEOUT_S", 0.2)
    lock = threading.Lock()

    def locked(store, key, amount):
        with lock:
            return check_then_act_charge(store, key, amount)

    with pytest.raises(RuntimeError, match="without calling the store"):
        simulate_retries(locked, payments=5, **ALL_CONCURRENT)


def test_concurrent_runs_are_deterministic():
    a = simulate_retries(check_then_act_charge, payments=300, concurrent=0.5, seed=4)
    assert a == simulate_retries(check_then_act_charge, payments=300, concurrent=0.5, seed=4)


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_concurrent_share_is_checked(bad):
    with pytest.raises(ValueError, match="concurrent"):
        simulate_retries(idempotent_charge, payments=10, concurrent=bad)


def test_put_if_absent_stores_only_the_first_value():
    s = Store()
    assert (s.put_if_absent("k", 1), s.put_if_absent("k", 2), s.get("k")) == (True, False, 1)


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
