"""Payments under retries, and reconciliation of a ledger against a provider's report.

**Retries.** A client sends a charge; the request can be lost on the way (the server never sees
it) or the reply can be lost on the way back (the server charged the card, the client does not
know). Either way the client times out and tries again, up to ``max_retries`` more times. A
handler ``handler(store, key, amount)`` runs on the server for every attempt that arrives. It
moves money only through ``store.debit(amount)`` and keeps records with ``store.get(key)``,
``store.put(key, value)`` and the atomic ``store.put_if_absent(key, value)`` (a unique insert).
Without idempotency keys a lost reply turns into a second charge; a handler that remembers the
result of each key charges once and replays the first reply.

**Concurrent retries.** A client whose timeout is shorter than the server's work retries while
the first attempt is still running, on another server. ``simulate_retries(..., concurrent=p)``
makes that happen for a share ``p`` of payments: the two attempts run side by side and take turns
store call by store call, in a seeded random order. A handler that checks, then acts
(``get`` -> ``debit`` -> ``put``) lets both attempts see "no record" and charges twice; a handler
that first claims the key atomically (``put_if_absent(key, "pending")``) charges once, and
answers the duplicate by waiting for the stored result or with :data:`IN_PROGRESS` (HTTP 409),
after which the client retries and gets the stored result. Stripe answers a request whose key is
still in use with a 409 (error code ``idempotency_key_in_use``), and the IETF draft on the
``Idempotency-Key`` header asks for 409 Conflict in the same case.

**Reconciliation.** Our ledger and the processor's daily report should list the same payments
with the same amounts (in cents). :func:`reconcile` labels each payment that disagrees, and
:func:`sample_books` makes seeded pairs of books with known mistakes injected.

Everything is deterministic for a given ``seed`` (``np.random.default_rng(seed)``).
"""

from __future__ import annotations

import functools
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .. import _check

MISMATCHES: tuple[str, ...] = ("missing in report", "missing in ledger", "amount mismatch", "duplicate")
"""Labels :func:`reconcile` gives: a ledger payment the processor never reported, a reported payment
our ledger lacks, the same payment with different amounts, and a payment listed more than once."""

MAX_PAYMENTS = 200_000

IN_PROGRESS = "409 in progress"
"""What a handler returns to a duplicate that arrives while the first attempt with its key is still
running (HTTP 409 Conflict); the client retries later and then gets the stored result."""

MAX_STORE_CALLS = 10_000
"""Store calls one attempt may make in a concurrent run (a handler waiting for a result polls)."""

TURN_TIMEOUT_S = 2.0
"""Seconds a concurrent attempt may run without calling the store before the run is stopped."""


def _whole(name: str, value: object, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)


class Store:
    """The server side a charge handler sees: a key-value table and the card network.

    ``get(key)`` returns what ``put(key, value)`` stored (``None`` if nothing);
    ``put_if_absent(key, value)`` stores ``value`` only if nothing is stored under ``key`` yet, in
    one atomic step (a unique insert, ``INSERT ... ON CONFLICT DO NOTHING``, Redis ``SET NX``),
    and says whether it did; ``debit(amount)`` charges the card of the payment being processed and
    returns a new charge id. In a concurrent run every call is one turn of the attempt that makes it.

    >>> s = Store()
    >>> s.get("k") is None
    True
    >>> s.put("k", "ch_1"); s.get("k")
    'ch_1'
    >>> s.put_if_absent("k", "pending"), s.put_if_absent("new", "pending"), s.get("new")
    (False, True, 'pending')
    """

    def __init__(self) -> None:
        self._records: dict[object, object] = {}
        self._charges: list[tuple[int, int, str]] = []  # (payment, amount, charge id)
        self._payment = -1
        self._ids: dict[int, set[str]] = {}
        self._turns: _Turns | None = None

    def _turn(self) -> None:
        if self._turns is not None:
            self._turns.step()

    def get(self, key: object) -> object:
        """The value stored under ``key``, or ``None``."""
        self._turn()
        return self._records.get(key)

    def put(self, key: object, value: object) -> None:
        """Store ``value`` under ``key`` (replacing an older value)."""
        self._turn()
        self._records[key] = value

    def put_if_absent(self, key: object, value: object) -> bool:
        """Store ``value`` under ``key`` if nothing is stored there yet, atomically; True if it stored."""
        self._turn()
        if key in self._records and self._records[key] is not None:
            return False
        self._records[key] = value
        return True

    def debit(self, amount: int) -> str:
        """Charge ``amount`` cents to the card of the payment in flight; returns the charge id."""
        self._turn()
        charge_id = f"ch_{len(self._charges) + 1:07d}"
        self._charges.append((self._payment, int(amount), charge_id))
        self._ids.setdefault(self._payment, set()).add(charge_id)
        return charge_id


def naive_charge(store: Store, key: str, amount: int) -> str:
    """A handler that ignores the key: every attempt that arrives charges the card again.

    >>> s = Store(); naive_charge(s, "k", 500), naive_charge(s, "k", 500)
    ('ch_0000001', 'ch_0000002')
    """
    return store.debit(amount)


PENDING = "pending"
"""The record :func:`idempotent_charge` claims a key with before it moves money."""


def check_then_act_charge(store: Store, key: str, amount: int) -> str:
    """A handler that looks the key up, then charges and records: right for retries that come one
    after another, wrong when a retry arrives while the first attempt still runs (both see no
    record, both charge). Kept as the mistake to compare with.

    >>> s = Store(); check_then_act_charge(s, "k", 500), check_then_act_charge(s, "k", 500)
    ('ch_0000001', 'ch_0000001')
    """
    done = store.get(key)
    if done is not None:
        return str(done)
    charge_id = store.debit(amount)
    store.put(key, charge_id)
    return charge_id


def idempotent_charge(store: Store, key: str, amount: int) -> str:
    """A handler that claims the key atomically before it moves money, charges once per key and
    replays the first result; a duplicate that finds the claim still pending gets :data:`IN_PROGRESS`.

    (A real service stores the key with a hash of the request and refuses a reused key with other
    parameters, writes the outcome in the same transaction as the payment row, and lets a recovery
    job finish or release a claim left pending by a crash; the simulation has no crashes.)

    >>> s = Store(); idempotent_charge(s, "k", 500), idempotent_charge(s, "k", 500)
    ('ch_0000001', 'ch_0000001')
    >>> s.put("busy", PENDING); idempotent_charge(s, "busy", 500) == IN_PROGRESS
    True
    """
    if store.put_if_absent(key, PENDING):
        charge_id = store.debit(amount)
        store.put(key, charge_id)
        return charge_id
    done = store.get(key)
    return IN_PROGRESS if done == PENDING else str(done)


class _Turns:
    """Lets the attempts of one concurrent run take turns, one store call per turn.

    Each attempt runs in its own thread but only while it holds the turn; it hands the turn back
    to the scheduler (:meth:`run`) just before each store call, so the order of store calls is
    exactly the seeded schedule.
    """

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._turn: int | None = None  # the attempt allowed to run; None: the scheduler's turn
        self._ids: dict[int, int] = {}
        self._calls: dict[int, int] = {}

    def step(self) -> None:
        me = self._ids.get(threading.get_ident())
        if me is None:
            return  # called outside a concurrent run
        with self._cv:
            self._calls[me] = self._calls.get(me, 0) + 1
            if self._calls[me] > MAX_STORE_CALLS:
                raise RuntimeError(
                    f"one attempt made more than {MAX_STORE_CALLS:,} store calls "
                    "(is it waiting for a record that never changes?)"
                )
            self._turn = None
            self._cv.notify_all()
            self._cv.wait_for(lambda: self._turn == me)

    def run(self, calls: list[Callable[[], object]], order: random.Random) -> list[object]:
        """Run ``calls`` side by side, picking who makes the next store call with ``order``."""
        n = len(calls)
        results: list[object] = [None] * n
        errors: list[BaseException | None] = [None] * n
        done = [False] * n

        def body(k: int) -> None:
            with self._cv:
                self._ids[threading.get_ident()] = k
                self._cv.wait_for(lambda: self._turn == k)
            try:
                results[k] = calls[k]()
            except BaseException as error:  # handed to the caller below
                errors[k] = error
            finally:
                with self._cv:
                    done[k] = True
                    self._turn = None
                    self._cv.notify_all()

        threads = [threading.Thread(target=body, args=(k,), daemon=True) for k in range(n)]
        for t in threads:
            t.start()
        alive = list(range(n))
        while alive:
            k = alive[0] if len(alive) == 1 else alive[order.randrange(len(alive))]
            with self._cv:
                self._turn = k
                self._cv.notify_all()
                if not self._cv.wait_for(lambda: self._turn is None, timeout=TURN_TIMEOUT_S):
                    raise RuntimeError(
                        f"a concurrent attempt ran {TURN_TIMEOUT_S:g} s without calling the store or "
                        "returning (a lock inside one server does not stop a retry served by another)"
                    )
            if done[k]:
                alive.remove(k)
        for error in errors:
            if error is not None:
                raise error
        return results


@dataclass(frozen=True)
class RetryResult:
    """Outcome of :func:`simulate_retries`, counts of payments unless stated.

    ``attempts``: handler calls; ``reached``: payments whose request reached the server at least
    once; ``answered``: payments whose client got a final reply (not :data:`IN_PROGRESS`);
    ``charged_once``, ``double_charged`` (two charges or more), ``uncharged_reached`` (reached the
    server but never charged); ``wrong_amount``: charges whose amount differs from the payment's;
    ``inconsistent_replies``: final replies that are not a charge id of that payment;
    ``extra_charges``: charges beyond the first; ``concurrent``: payments whose retry ran while
    the first attempt was still in flight; ``in_progress_replies``: replies that said
    :data:`IN_PROGRESS` (the client then retried).
    """

    payments: int
    attempts: int
    reached: int
    answered: int
    charged_once: int
    double_charged: int
    uncharged_reached: int
    wrong_amount: int
    inconsistent_replies: int
    extra_charges: int
    concurrent: int = 0
    in_progress_replies: int = 0


def _is_in_progress(reply: object) -> bool:
    return isinstance(reply, str) and str(reply) == IN_PROGRESS


def simulate_retries(
    handler: Callable[[Store, str, int], object] = idempotent_charge,
    *,
    payments: int = 1_000,
    lost_before: float = 0.05,
    lost_after: float = 0.1,
    max_retries: int = 3,
    keyed: bool = True,
    concurrent: float = 0.0,
    seed: int = 0,
) -> RetryResult:
    """Send ``payments`` charges through ``handler`` over an unreliable network with client retries.

    Each attempt's request is lost with probability ``lost_before`` (the handler is not called) or
    its reply is lost with probability ``lost_after`` (the handler ran); in both cases the client
    tries again, at most ``max_retries`` more times. ``keyed``: the client reuses one idempotency
    key per payment; ``False`` makes a fresh key per attempt (a client that forgot about keys).

    ``concurrent``: share of payments (0 to 1) whose client times out while the first attempt is
    still running and retries at once (needs ``max_retries >= 1``): both attempts reach the
    server and run side by side, taking turns store call by store call in a seeded random order;
    the client waits for the second one's reply. A reply of :data:`IN_PROGRESS` makes the client
    retry later, one attempt at a time as above.

    >>> naive = simulate_retries(naive_charge, payments=1_000, lost_after=0.2, seed=1)
    >>> naive.double_charged > 150
    True
    >>> safe = simulate_retries(idempotent_charge, payments=1_000, lost_after=0.2, seed=1)
    >>> safe.double_charged, safe.uncharged_reached, safe.charged_once == safe.reached
    (0, 0, True)
    >>> fresh_keys = simulate_retries(idempotent_charge, payments=1_000, lost_after=0.2, keyed=False, seed=1)
    >>> fresh_keys.double_charged > 150
    True
    >>> race = simulate_retries(check_then_act_charge, payments=200, concurrent=0.5, seed=1)
    >>> race.concurrent > 50, race.double_charged > 20
    (True, True)
    >>> claim = simulate_retries(idempotent_charge, payments=200, concurrent=0.5, seed=1)
    >>> claim.double_charged, claim.uncharged_reached, claim.inconsistent_replies
    (0, 0, 0)
    """
    if not callable(handler):
        raise TypeError(f"handler must be a function handler(store, key, amount), got {handler!r}")
    n = _whole("payments", payments, 1, MAX_PAYMENTS)
    before = _check.number("lost_before", lost_before, low=0, high=1)
    after = _check.number("lost_after", lost_after, low=0, high=1)
    if before + after > 1:
        raise ValueError(f"lost_before + lost_after must be at most 1, got {before + after:g}")
    tries = _whole("max_retries", max_retries, 0, 20) + 1
    share = _check.number("concurrent", concurrent, low=0, high=1)
    rng = np.random.default_rng(seed)
    amounts = rng.integers(100, 50_000, size=n)  # cents
    draws = rng.random((n, tries))
    # drawn after the rest, so a run without concurrency keeps the numbers it always had
    overlapping = (rng.random(n) < share) & (tries > 1)
    orders = rng.integers(0, 2**32, size=n)
    store = Store()
    attempts = answered = inconsistent = in_progress = 0
    reached = np.zeros(n, dtype=bool)

    def final(i: int, reply: object) -> bool:
        """Count a delivered reply; True when it ends the payment for the client."""
        nonlocal answered, inconsistent, in_progress
        if _is_in_progress(reply):
            in_progress += 1
            return False
        answered += 1
        if not isinstance(reply, str) or str(reply) not in store._ids.get(i, ()):
            inconsistent += 1
        return True

    for i in range(n):
        store._payment = i
        amount = int(amounts[i])
        keys = [f"pay-{i:06d}" if keyed else f"pay-{i:06d}-try-{a}" for a in range(tries)]
        first = 0
        if overlapping[i]:
            turns = store._turns = _Turns()
            try:
                _, reply = turns.run(
                    [functools.partial(handler, store, keys[a], amount) for a in (0, 1)],
                    random.Random(int(orders[i])),
                )
            finally:
                store._turns = None
            attempts += 2
            reached[i] = True
            first = 2
            if final(i, reply):
                continue
        for a in range(first, tries):
            u = draws[i, a]
            if u < before:
                continue  # lost on the way in: the server never sees it
            reached[i] = True
            attempts += 1
            reply = handler(store, keys[a], amount)
            if u < before + after:
                continue  # the reply is lost: the client times out and retries
            if final(i, reply):
                break
    per_payment = Counter(p for p, _, _ in store._charges)
    charged = np.zeros(n, dtype=int)
    for p, count in per_payment.items():
        if 0 <= p < n:
            charged[p] = count
    wrong = sum(1 for p, amount, _ in store._charges if not (0 <= p < n) or amount != int(amounts[p]))
    return RetryResult(
        payments=n,
        attempts=attempts,
        reached=int(reached.sum()),
        answered=answered,
        charged_once=int((charged == 1).sum()),
        double_charged=int((charged > 1).sum()),
        uncharged_reached=int(((charged == 0) & reached).sum()),
        wrong_amount=wrong,
        inconsistent_replies=inconsistent,
        extra_charges=int(np.maximum(charged - 1, 0).sum()),
        concurrent=int(overlapping.sum()),
        in_progress_replies=in_progress,
    )


def expected_double_charges(payments: float, lost_after: float) -> float:
    """Payments charged more than once without idempotency, roughly: each payment whose first reply
    is lost is charged again by the retry (ignores lost requests and second retries).

    >>> expected_double_charges(1_000_000, 0.001)
    1000.0
    """
    n = _check.number("payments", payments)
    q = _check.number("lost_after", lost_after, low=0, high=1)
    return n * q


Row = tuple[str, int]


def _rows(name: str, rows: object) -> list[Row]:
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Iterable):
        raise TypeError(f"{name} must be a list of (payment_id, amount_cents) pairs, got {rows!r}")
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, (tuple, list)) or len(row) != 2:
            raise TypeError(f"{name}[{i}] must be a (payment_id, amount_cents) pair, got {row!r}")
        out.append((row[0], row[1]))
    return out


def reconcile(ledger: Iterable[Row], report: Iterable[Row]) -> dict[str, str]:
    """Every payment on which our ledger and the processor's report disagree, with one label of
    :data:`MISMATCHES`; payments that agree are left out.

    Rules, in this order: an id listed more than once in either book is ``"duplicate"``; an id
    only in the ledger is ``"missing in report"``; only in the report, ``"missing in ledger"``;
    in both with different amounts, ``"amount mismatch"``.

    >>> reconcile([("p1", 500), ("p2", 700), ("p3", 100)],
    ...           [("p1", 500), ("p2", 750), ("p4", 300), ("p3", 100), ("p3", 100)])
    {'p2': 'amount mismatch', 'p3': 'duplicate', 'p4': 'missing in ledger'}
    """
    mine, theirs = _rows("ledger", ledger), _rows("report", report)
    counts = Counter(pid for pid, _ in mine) + Counter(pid for pid, _ in theirs)
    in_ledger = Counter(pid for pid, _ in mine)
    in_report = Counter(pid for pid, _ in theirs)
    ledger_amount = dict(mine)
    report_amount = dict(theirs)
    out: dict[str, str] = {}
    for pid in sorted(counts, key=str):
        if in_ledger[pid] > 1 or in_report[pid] > 1:
            out[pid] = "duplicate"
        elif not in_report[pid]:
            out[pid] = "missing in report"
        elif not in_ledger[pid]:
            out[pid] = "missing in ledger"
        elif ledger_amount[pid] != report_amount[pid]:
            out[pid] = "amount mismatch"
    return out


def sample_books(
    payments: int = 1_000,
    *,
    missing_in_report: float = 0.01,
    missing_in_ledger: float = 0.005,
    amount_mismatch: float = 0.005,
    duplicate: float = 0.005,
    seed: int = 0,
) -> tuple[list[Row], list[Row]]:
    """A seeded ledger and processor report of ``payments`` payments with mistakes injected.

    Each payment independently: drops out of the report (``missing_in_report``), or appears only
    in the report (``missing_in_ledger``, e.g. a charge our service lost track of), or is reported
    with another amount, or is reported twice (a double charge). The report's rows are shuffled.

    >>> ledger, report = sample_books(1_000, seed=3)
    >>> len(ledger) < 1_000 < len(report) + 20
    True
    >>> sorted(set(reconcile(ledger, report).values())) == sorted(MISMATCHES)
    True
    """
    n = _whole("payments", payments, 1, MAX_PAYMENTS)
    shares = {
        "missing_in_report": _check.number("missing_in_report", missing_in_report, low=0, high=1),
        "missing_in_ledger": _check.number("missing_in_ledger", missing_in_ledger, low=0, high=1),
        "amount_mismatch": _check.number("amount_mismatch", amount_mismatch, low=0, high=1),
        "duplicate": _check.number("duplicate", duplicate, low=0, high=1),
    }
    if sum(shares.values()) > 1:
        raise ValueError(f"the mistake shares must add up to at most 1, got {sum(shares.values()):g}")
    rng = np.random.default_rng(seed)
    amounts = rng.integers(100, 50_000, size=n)
    u = rng.random(n)
    edges = np.cumsum(list(shares.values()))
    kind = np.searchsorted(edges, u, side="right")  # 0..3 a mistake, 4 none
    ledger: list[Row] = []
    report: list[Row] = []
    for i in range(n):
        pid = f"pay_{i:06d}"
        amount = int(amounts[i])
        k = int(kind[i])
        if k != 1:
            ledger.append((pid, amount))
        if k == 0:
            continue
        if k == 2:
            report.append((pid, amount + int(rng.integers(1, 500))))
        else:
            report.append((pid, amount))
        if k == 3:
            report.append((pid, amount))
    order = rng.permutation(len(report))
    return ledger, [report[j] for j in order]
