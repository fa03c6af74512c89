"""Transactions across services: dual writes, the transactional outbox, sagas and two-phase commit.

Placing an order changes two places: the order service's own database and something outside it (a
message other services read, or another service's database). No single local transaction covers
both, so a crash between the two writes leaves them disagreeing (Kleppmann, *Designing
Data-Intensive Applications*, ch. 11, "Keeping Systems in Sync"). Four ways to live with that:

* **Dual write** (:func:`publish_orders`): commit the row, then publish the event (a crash in
  between loses the event), or publish, then commit (a crash in between leaves an event for an
  order that was rolled back).
* **Transactional outbox** (:func:`publish_orders` with :data:`OUTBOX`): the row and an outbox
  record commit in one local transaction; a relay (a poller, or change-data capture such as
  Debezium) publishes each record and then marks it sent. A relay that crashes in between publishes
  the record again after its restart: at-least-once, so consumers deduplicate by event id
  (Richardson, microservices.io, "Pattern: Transactional outbox").
* **Saga** (:func:`run_sagas`): a sequence of local transactions, order -> payment -> shipping; when
  a later step fails, compensating transactions undo the earlier ones in reverse order
  (Garcia-Molina & Salem, "Sagas", SIGMOD 1987). Other readers see the states in between. The
  orchestrator re-sends a step it has no reply for, so every step and compensation must be
  idempotent; the payment step is :func:`sysdesign.sim.payments.idempotent_charge`.
* **Two-phase commit** (:func:`two_phase_commit`): atomic, but a participant that voted yes holds
  its locks until the coordinator tells it the outcome; if the coordinator crashes after the
  votes, the participant is *in doubt* and blocks everyone who needs those rows until the
  coordinator recovers (Gray & Lamport, "Consensus on Transaction Commit", ACM TODS 2006;
  Kleppmann ch. 9, "Coordinator failure").

**Crash model.** Every process crashes at its worst moment with probability ``crash_prob`` each
time it passes that moment: between the two writes of a dual write, between a relay's publish and
its "mark sent", between a saga step and the orchestrator recording its reply, after the votes of
a two-phase commit. Everything is deterministic for a given ``seed`` (``np.random.default_rng``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from .. import _check
from .._lazy import pd
from . import payments
from .payments import _whole

COMMIT_THEN_PUBLISH = "dual write: commit, then publish"
PUBLISH_THEN_COMMIT = "dual write: publish, then commit"
OUTBOX = "transactional outbox"
SAGA = "saga"
TWO_PC = "two-phase commit"
EVENT_PATTERNS: tuple[str, ...] = (COMMIT_THEN_PUBLISH, PUBLISH_THEN_COMMIT, OUTBOX)
PATTERNS: tuple[str, ...] = (*EVENT_PATTERNS, SAGA, TWO_PC)
MAX_ORDERS = 100_000
MAX_QUEUE = 5_000_000
"""Most lock requests :func:`two_phase_commit` queues (the batch times its repeats)."""
MAX_CRASH = 0.9
"""Highest crash probability accepted: at 1 a relay or orchestrator would retry forever."""


def _crash_prob(value: object) -> float:
    return _check.number("crash_prob", value, low=0, high=MAX_CRASH)


# --------------------------------------------------------------------------------------------
# Dual write and the transactional outbox
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """What reached the consumers in :func:`publish_orders`; counts of orders unless stated.

    ``committed``: order rows in the database; ``messages``: messages the broker got (duplicates
    included); ``lost``: committed orders whose event never left; ``phantom``: events for orders
    that were never committed (rolled back); ``duplicates``: messages beyond the first per event;
    ``applied_twice``: orders whose event the consumer acted on more than once;
    ``inconsistent``: orders where the consumer's view disagrees with the database (a committed
    order acted on other than exactly once, or an uncommitted one acted on at all).
    """

    pattern: str
    orders: int
    committed: int
    messages: int
    lost: int
    phantom: int
    duplicates: int
    applied_twice: int
    inconsistent: int


def consume(messages: list[int], idempotent: bool = True) -> Counter[int]:
    """How many times a consumer acts on each event id in ``messages`` (delivery order).

    An idempotent consumer first records the event id with an atomic unique insert (a
    :class:`~sysdesign.sim.payments.Store`'s ``put_if_absent``; in a real service, in the same
    transaction as the effect) and skips ids it has seen.

    >>> consume([1, 2, 2, 3]), consume([1, 2, 2, 3], idempotent=False)
    (Counter({1: 1, 2: 1, 3: 1}), Counter({2: 2, 1: 1, 3: 1}))
    """
    inbox = payments.Store()
    applied: Counter[int] = Counter()
    for event in messages:
        if idempotent and not inbox.put_if_absent(event, "processed"):
            continue
        applied[event] += 1
    return applied


def publish_orders(
    pattern: str = OUTBOX,
    *,
    orders: int = 2_000,
    crash_prob: float = 0.05,
    idempotent_consumer: bool = True,
    seed: int = 0,
) -> Delivery:
    """Place ``orders`` orders, each writing its row and publishing an ``OrderPlaced`` event, with
    one of :data:`EVENT_PATTERNS`; processes crash at their worst moment with ``crash_prob``.

    * commit, then publish: a crash after the commit loses the event;
    * publish, then commit: a crash before the commit rolls the row back after its event left;
    * outbox: row and outbox record commit together; the relay publishes each record, then marks
      it sent, and a crash in between makes it publish the record again after its restart (so
      a record is published 1 + k times, k geometric: mean ``crash_prob / (1 - crash_prob)``).

    >>> dual = publish_orders(COMMIT_THEN_PUBLISH, orders=10_000, crash_prob=0.01, seed=1)
    >>> 60 < dual.lost < 140, dual.duplicates
    (True, 0)
    >>> box = publish_orders(OUTBOX, orders=10_000, crash_prob=0.01, seed=1)
    >>> box.lost, box.phantom, 60 < box.duplicates < 140, box.inconsistent
    (0, 0, True, 0)
    """
    name = _check.choice("pattern", pattern, EVENT_PATTERNS)
    n = _whole("orders", orders, 1, MAX_ORDERS)
    p = _crash_prob(crash_prob)
    if not isinstance(idempotent_consumer, bool):
        raise TypeError(f"idempotent_consumer must be True or False, got {idempotent_consumer!r}")
    rng = np.random.default_rng(seed)
    crashes = iter(rng.random(4 * n + 64))

    def crashed() -> bool:
        nonlocal crashes
        u = next(crashes, None)
        if u is None:  # the relay retried more often than drawn for: draw more
            crashes = iter(rng.random(n + 64))
            u = next(crashes)
        return bool(u < p)

    committed: set[int] = set()
    outbox: list[int] = []  # event ids written in the same local transaction as their row
    messages: list[int] = []  # what the broker received, in order
    for order in range(n):
        if name == COMMIT_THEN_PUBLISH:
            committed.add(order)
            if crashed():
                continue  # died after the commit: nobody publishes the event
            messages.append(order)
        elif name == PUBLISH_THEN_COMMIT:
            messages.append(order)
            if crashed():
                continue  # died before the commit: the row rolls back, the event is out
            committed.add(order)
        else:
            committed.add(order)  # one local transaction: the row and its outbox record
            outbox.append(order)
    for record in outbox:  # the relay: publish, then mark sent
        messages.append(record)
        while crashed():  # died before "mark sent": after the restart it publishes again
            messages.append(record)
    sent = Counter(messages)
    applied = consume(messages, idempotent_consumer)
    return Delivery(
        pattern=name,
        orders=n,
        committed=len(committed),
        messages=len(messages),
        lost=sum(1 for o in committed if not sent[o]),
        phantom=sum(1 for o in sent if o not in committed),
        duplicates=len(messages) - len(sent),
        applied_twice=sum(1 for c in applied.values() if c > 1),
        inconsistent=sum(1 for o in range(n) if applied[o] != (1 if o in committed else 0)),
    )


# --------------------------------------------------------------------------------------------
# Sagas
# --------------------------------------------------------------------------------------------

SAGA_STEPS: tuple[tuple[str, str, str], ...] = (
    ("order", "create order (pending)", "cancel order"),
    ("payment", "charge card", "refund card"),
    ("shipping", "schedule shipping", "cancel shipment"),
)
"""The saga's steps in order: (service, step, its compensation)."""


class _Card(payments.Store):
    """The payment service: :class:`~sysdesign.sim.payments.Store` that counts charges and refunds
    per order (the order in flight is ``self.order``)."""

    def __init__(self) -> None:
        super().__init__()
        self.order = -1
        self.charges: Counter[int] = Counter()
        self.refunds: Counter[int] = Counter()

    def debit(self, amount: int) -> str:
        self.charges[self.order] += 1
        return super().debit(amount)

    def credit(self) -> None:
        self.refunds[self.order] += 1


@dataclass(frozen=True)
class SagaRun:
    """Outcome of :func:`run_sagas`, counts of orders unless stated.

    ``completed``: shipped and approved; ``compensated``: shipping failed, so the card was refunded
    and the order cancelled (the customer saw a charge, then a refund); ``intermediate_states``:
    states other readers could see before each saga ended (summed over sagas); ``redeliveries``:
    steps or compensations sent again after an orchestrator crash; ``double_charged``,
    ``double_refunded``, ``double_shipped``; ``inconsistent``: orders whose money, parcel and order
    status disagree once the saga ended.
    """

    sagas: int
    completed: int
    compensated: int
    intermediate_states: int
    redeliveries: int
    double_charged: int
    double_refunded: int
    double_shipped: int
    inconsistent: int


class _Services:
    """The three services of one saga run, and the log of states an outside reader could see."""

    def __init__(self, idempotent: bool) -> None:
        self.idempotent = idempotent
        self.status: dict[int, str] = {}
        self.card = _Card()
        self.parcels: Counter[int] = Counter()
        self.shipping = payments.Store()  # the shipping service's idempotency records

    def charge(self, order: int, amount: int) -> object:
        self.card.order = order
        handler = payments.idempotent_charge if self.idempotent else payments.naive_charge
        return handler(self.card, f"charge-{order}", amount)

    def refund(self, order: int) -> None:
        self.card.order = order
        if self.idempotent and not self.card.put_if_absent(f"refund-{order}", "refunded"):
            return
        self.card.credit()

    def ship(self, order: int) -> None:
        if self.idempotent and not self.shipping.put_if_absent(f"ship-{order}", "scheduled"):
            return
        self.parcels[order] += 1

    def seen(self, order: int) -> tuple[str, str, str]:
        """(order status, card, parcel) as another service would read them now."""
        net = self.card.charges[order] - self.card.refunds[order]
        card = "refunded" if self.card.refunds[order] else ("charged" if net > 0 else "not charged")
        return self.status.get(order, "none"), card, "scheduled" if self.parcels[order] else "none"


Observer = Callable[[str, str], None]


def _saga(
    services: _Services,
    order: int,
    amount: int,
    ships: bool,
    resend: Callable[[], bool],
    observe: Observer | None = None,
) -> tuple[int, int]:
    """Run one order's saga; ``observe(service, action)`` is called after each step.

    Returns (intermediate states, redeliveries): the states other readers could see before the
    final one (a failed step commits nothing, so it adds none) and the steps sent again.
    """
    states = redeliveries = 0

    def done(service: str, action: str, changed: bool = True) -> None:
        nonlocal states
        states += changed
        if observe is not None:
            observe(service, action)

    def step(service: str, action: str, call: Callable[[], object]) -> None:
        nonlocal redeliveries
        call()
        while resend():  # the orchestrator crashed before recording the reply: it sends again
            call()
            redeliveries += 1
        done(service, action)

    services.status[order] = "pending"
    done(*SAGA_STEPS[0][:2])
    step("payment", SAGA_STEPS[1][1], lambda: services.charge(order, amount))
    if ships:
        step("shipping", SAGA_STEPS[2][1], lambda: services.ship(order))
        services.status[order] = "approved"
        done("order", "approve order")
    else:
        done("shipping", "schedule shipping: fails", changed=False)
        step("payment", SAGA_STEPS[1][2], lambda: services.refund(order))
        services.status[order] = "cancelled"
        done("order", SAGA_STEPS[0][2])
    return states - 1, redeliveries


def run_sagas(
    *,
    orders: int = 2_000,
    fail_prob: float = 0.1,
    crash_prob: float = 0.05,
    idempotent: bool = True,
    seed: int = 0,
) -> SagaRun:
    """Run an order -> payment -> shipping saga for ``orders`` orders; shipping fails with
    ``fail_prob`` (no courier for the address), and then the card is refunded and the order
    cancelled, in that reverse order. After each remote step or compensation the orchestrator
    crashes with ``crash_prob`` before recording the reply and sends the step again after its
    restart. ``idempotent``: the participants deduplicate by key (the charge is
    :func:`~sysdesign.sim.payments.idempotent_charge`); otherwise every delivery acts again.

    >>> safe = run_sagas(orders=1_000, crash_prob=0.1, seed=2)
    >>> safe.completed + safe.compensated, safe.redeliveries > 100, safe.inconsistent
    (1000, True, 0)
    >>> naive = run_sagas(orders=1_000, crash_prob=0.1, idempotent=False, seed=2)
    >>> naive.double_charged > 50, naive.inconsistent > 100
    (True, True)
    """
    n = _whole("orders", orders, 1, MAX_ORDERS)
    fail = _check.number("fail_prob", fail_prob, low=0, high=1)
    p = _crash_prob(crash_prob)
    if not isinstance(idempotent, bool):
        raise TypeError(f"idempotent must be True or False, got {idempotent!r}")
    rng = np.random.default_rng(seed)
    amounts = rng.integers(100, 50_000, size=n)  # cents
    ships = rng.random(n) >= fail

    def resend() -> bool:
        return bool(rng.random() < p)

    services = _Services(idempotent)
    intermediate = redeliveries = 0
    for order in range(n):
        states, again = _saga(services, order, int(amounts[order]), bool(ships[order]), resend)
        intermediate += states
        redeliveries += again
    card, parcels = services.card, services.parcels
    inconsistent = 0
    for order in range(n):
        want = ("approved", 1, 0, 1) if ships[order] else ("cancelled", 1, 1, 0)
        got = (services.status[order], card.charges[order], card.refunds[order], parcels[order])
        inconsistent += got != want
    return SagaRun(
        sagas=n,
        completed=int(ships.sum()),
        compensated=int(n - ships.sum()),
        intermediate_states=intermediate,
        redeliveries=redeliveries,
        double_charged=sum(1 for c in card.charges.values() if c > 1),
        double_refunded=sum(1 for c in card.refunds.values() if c > 1),
        double_shipped=sum(1 for c in parcels.values() if c > 1),
        inconsistent=inconsistent,
    )


def saga_trace(ships: bool = False) -> pd.DataFrame:
    """One order's saga, step by step, with what another service would read after each step:
    the order's status, the card and the parcel (no crashes; ``ships=False``: shipping fails and
    the compensations run in reverse). Every row but the last shows an intermediate state.

    >>> saga_trace()["action"].tolist()
    ['create order (pending)', 'charge card', 'schedule shipping: fails', 'refund card', 'cancel order']
    >>> saga_trace(ships=True)["card"].tolist()
    ['not charged', 'charged', 'charged', 'charged']
    """
    if not isinstance(ships, bool):
        raise TypeError(f"ships must be True or False, got {ships!r}")
    services = _Services(idempotent=True)
    rows: list[tuple[str, ...]] = []
    _saga(services, 0, 1_000, ships, lambda: False, lambda s, a: rows.append((s, a, *services.seen(0))))
    return pd.DataFrame(rows, columns=["service", "action", "order", "card", "parcel"])


# --------------------------------------------------------------------------------------------
# Two-phase commit
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TwoPhaseRun:
    """Outcome of :func:`two_phase_commit`. Times in seconds.

    ``in_doubt``: transactions whose coordinator crashed after the votes; ``lock_seconds``: row
    locks held in doubt, summed; ``max_lock_held_s``: longest any row lock was held;
    ``blocked``: transactions that waited more than ``blocked_after_s`` for a row lock;
    ``mean_wait_blocked_s`` and ``max_wait_s``: their waits.
    """

    transactions: int
    in_doubt: int
    lock_seconds: float
    max_lock_held_s: float
    blocked: int
    mean_wait_blocked_s: float
    max_wait_s: float


def fifo_waits(arrivals: np.ndarray, row: np.ndarray, held: np.ndarray) -> np.ndarray:
    """Seconds each request waits for its row's lock, granted first come, first served:
    request ``j`` arrives at ``arrivals[j]`` (sorted, s), wants row ``row[j]`` and holds it
    ``held[j]`` s once granted.

    Within one row, request ``j`` starts at ``max(arrival, previous start + previous hold)``
    (Lindley's recursion), which unrolls to ``C_j + max_{k <= j}(a_k - C_k)`` with ``C_j`` the
    holds of the row's earlier requests: a running maximum, vectorised here.

    >>> fifo_waits(np.array([0.0, 0.5, 1.0, 9.0]), np.array([0, 0, 1, 0]), np.array([2.0, 1.0, 1.0, 1.0]))
    array([0. , 1.5, 0. , 0. ])
    """
    order = np.argsort(row, kind="stable")
    a, h, g = arrivals[order], held[order], row[order]
    before = np.cumsum(h) - h  # holds of all earlier requests in this order
    first = np.r_[0, np.flatnonzero(np.diff(g)) + 1]  # where each row's requests begin
    earlier = before - np.repeat(before[first], np.diff(np.r_[first, len(g)]))
    big = float(a.max() + h.sum() + 1.0)  # keeps one row's running maximum out of the next row's
    lift = np.searchsorted(first, np.arange(len(g)), side="right") * big
    start = earlier + np.maximum.accumulate(a - earlier + lift) - lift
    waits = np.empty(len(a))
    waits[order] = start - a
    return waits


def two_phase_commit(
    *,
    transactions: int = 2_000,
    rate_per_s: float = 50.0,
    hot_rows: int = 100,
    hold_ms: float = 20.0,
    crash_prob: float = 0.05,
    downtime_s: float = 30.0,
    blocked_after_s: float = 0.1,
    seed: int = 0,
) -> TwoPhaseRun:
    """Run ``transactions`` two-phase commits that arrive at ``rate_per_s`` (Poisson), each taking
    the lock on one of ``hot_rows`` rows (the product's stock row, chosen uniformly) and holding it
    for ``hold_ms`` (prepare, vote, commit). With ``crash_prob`` the coordinator crashes right
    after the yes votes: the participant is in doubt and keeps the lock until the coordinator is
    back ``downtime_s`` later. Locks are granted first come, first served. The batch is taken to
    repeat, as in a steady state, so the locks its last crashes leave block the next period's
    first arrivals (and no crash is cut short by the end of the run).

    >>> ok = two_phase_commit(crash_prob=0, seed=3)
    >>> ok.in_doubt, ok.blocked, ok.max_lock_held_s
    (0, 0, 0.02)
    >>> bad = two_phase_commit(crash_prob=0.01, downtime_s=30, seed=3)
    >>> bad.max_lock_held_s, bad.blocked > 100
    (30.02, True)
    """
    n = _whole("transactions", transactions, 1, MAX_ORDERS)
    rate = _check.number("rate_per_s", rate_per_s, low=0, low_open=True, high=1e6)
    rows = _whole("hot_rows", hot_rows, 1, 1_000_000)
    hold = _check.number("hold_ms", hold_ms, low=0, high=60_000) / 1000
    p = _crash_prob(crash_prob)
    down = _check.number("downtime_s", downtime_s, low=0, high=86_400)
    slow = _check.number("blocked_after_s", blocked_after_s, low=0)
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / rate, size=n))
    row = rng.integers(0, rows, size=n)
    crashed = rng.random(n) < p
    held = np.where(crashed, hold + down, hold)
    # Count the batch's blocking without an edge effect: the batch repeats every `period` seconds
    # (a steady state), so locks left at the end of the previous period block the start of this
    # one, and the last crashes block as much as the first. Only the last copy is counted.
    period = float(arrivals[-1]) + 1 / rate
    copies = 1 + int(np.ceil((down + hold) / period))
    if copies * n > MAX_QUEUE:
        raise ValueError(
            f"downtime_s = {down:g} s is too long for {n:,} transactions at {rate:g}/s: the batch lasts "
            f"{period:.3g} s; use more transactions or a downtime under {MAX_QUEUE // n * period:.3g} s"
        )
    shift = np.repeat(np.arange(copies) * period, n)
    waits = fifo_waits(np.tile(arrivals, copies) + shift, np.tile(row, copies), np.tile(held, copies))[-n:]
    blocked = waits > slow
    return TwoPhaseRun(
        transactions=n,
        in_doubt=int(crashed.sum()),
        lock_seconds=float(round(crashed.sum() * (hold + down), 9)),
        max_lock_held_s=float(round(held.max(), 9)),
        blocked=int(blocked.sum()),
        mean_wait_blocked_s=float(waits[blocked].mean()) if blocked.any() else 0.0,
        max_wait_s=float(waits.max()),
    )


def blocking_curve(downtimes: list[float] | tuple[float, ...], **kwargs: object) -> pd.DataFrame:
    """:func:`two_phase_commit` at each coordinator downtime in ``downtimes`` (s), other arguments
    as given: one row per downtime with the run's fields.

    >>> blocking_curve([0, 10, 20], crash_prob=0.01)["blocked"].is_monotonic_increasing
    True
    """
    if isinstance(downtimes, (str, bytes)) or not hasattr(downtimes, "__iter__"):
        raise TypeError(f"downtimes must be a list of seconds, got {downtimes!r}")
    rows = []
    for d in downtimes:
        run = two_phase_commit(downtime_s=d, **kwargs)  # type: ignore[arg-type]
        rows.append({"downtime_s": float(d), **asdict(run)})
    return pd.DataFrame(rows)


def table(*runs: Delivery | SagaRun | TwoPhaseRun) -> pd.DataFrame:
    """Runs of :func:`publish_orders`, :func:`run_sagas` or :func:`two_phase_commit` (one kind at a
    time) as a table, one row per run.

    >>> table(publish_orders(orders=10, crash_prob=0))[["lost", "duplicates"]].values.tolist()
    [[0, 0]]
    """
    if (
        not runs
        or len({type(r) for r in runs}) != 1
        or not isinstance(runs[0], (Delivery, SagaRun, TwoPhaseRun))
    ):
        raise TypeError(f"runs must be results of one kind (Delivery, SagaRun or TwoPhaseRun), got {runs!r}")
    return pd.DataFrame([asdict(r) for r in runs])


# --------------------------------------------------------------------------------------------
# All patterns side by side
# --------------------------------------------------------------------------------------------

COLUMNS = (
    "pattern",
    "events lost",
    "events for rolled-back orders",
    "duplicates delivered",
    "inconsistent orders",
    "blocked transactions",
    "lock-seconds in doubt",
)


def compare(
    *,
    crash_prob: float = 0.05,
    downtime_s: float = 30.0,
    idempotent: bool = True,
    fail_prob: float = 0.1,
    orders: int = 2_000,
    seed: int = 0,
) -> pd.DataFrame:
    """Every pattern of :data:`PATTERNS` on ``orders`` orders with the same ``crash_prob``: one row
    each with the :data:`COLUMNS`. ``idempotent`` applies to the outbox's consumer and the saga's
    participants; ``downtime_s`` to the two-phase commit's coordinator; ``fail_prob`` to the
    saga's shipping step. "Duplicates delivered" counts messages (outbox) or steps (saga) sent
    again.

    >>> t = compare(crash_prob=0.05, idempotent=False).set_index("pattern")
    >>> int(t.loc[OUTBOX, "events lost"]), int(t.loc[OUTBOX, "inconsistent orders"]) > 0
    (0, True)
    """
    rows = []
    for pattern in EVENT_PATTERNS:
        d = publish_orders(
            pattern, orders=orders, crash_prob=crash_prob, idempotent_consumer=idempotent, seed=seed
        )
        rows.append((pattern, d.lost, d.phantom, d.duplicates, d.inconsistent, 0, 0.0))
    s = run_sagas(orders=orders, fail_prob=fail_prob, crash_prob=crash_prob, idempotent=idempotent, seed=seed)
    rows.append((SAGA, 0, 0, s.redeliveries, s.inconsistent, 0, 0.0))
    t = two_phase_commit(transactions=orders, crash_prob=crash_prob, downtime_s=downtime_s, seed=seed)
    rows.append((TWO_PC, 0, 0, 0, 0, t.blocked, round(t.lock_seconds, 1)))
    return pd.DataFrame(rows, columns=list(COLUMNS))
