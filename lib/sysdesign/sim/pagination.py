"""Paging through a chat's history while new messages arrive: offset versus cursor, on a real SQLite table.

A reader pages newest-first through one chat's messages stored in an in-memory SQLite table
(stdlib ``sqlite3``). Between two page reads, ``arrivals_per_page`` new messages are inserted at
the top and ``deletions_per_page`` older ones are deleted. Three ways to ask for the next page:

* ``"offset"``: ``ORDER BY created_at DESC, message_id DESC LIMIT n OFFSET k*n``. Arrivals push
  everything down, so the next page starts with messages already shown (repeats); deletions pull
  everything up, so messages slide past the page boundary unseen (skips).
* ``"cursor"``: keyset pagination; the next page is everything strictly older than the last row
  shown, compared on the pair ``(created_at, message_id)``. Rows above the cursor may come and
  go without moving it, so it never repeats or skips.
* ``"timestamp"``: a cursor on ``created_at`` alone. Messages sharing the boundary's timestamp
  are skipped, which is why a real cursor carries a tie-breaker.

Only the messages that existed when the reader started count: a message is *skipped* when it is
still there at the end, lies between the newest message and the oldest one the reader reached,
and was never shown. The random parts (timestamps with ties, which messages are deleted) come
from ``np.random.default_rng(seed)`` and are the same for every strategy.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from .. import _check
from .._lazy import go, pd

STRATEGIES: tuple[str, ...] = ("offset", "cursor", "timestamp")
MAX_PAGE_SIZE = 500
MAX_PAGES = 200
MAX_PER_PAGE = 1_000
MAX_MESSAGES = 200_000
CHAT_ID = 42
START_TIME_MS = 1_700_000_000_000
"""Creation time of the oldest message, epoch milliseconds (November 2023)."""

_ORDER = "ORDER BY created_at DESC, message_id DESC"
QUERIES: dict[str, str] = {
    "offset": (
        f"SELECT message_id, created_at FROM messages WHERE chat_id = :chat {_ORDER} LIMIT :n OFFSET :offset"
    ),
    "cursor": (
        "SELECT message_id, created_at FROM messages WHERE chat_id = :chat "
        f"AND (created_at, message_id) < (:cursor_time, :cursor_id) {_ORDER} LIMIT :n"
    ),
    "timestamp": (
        "SELECT message_id, created_at FROM messages WHERE chat_id = :chat "
        f"AND created_at < :cursor_time {_ORDER} LIMIT :n"
    ),
}
"""The SQL each strategy runs for a page after the first (the first page has no cursor condition)."""
_FIRST_PAGE = f"SELECT message_id, created_at FROM messages WHERE chat_id = :chat {_ORDER} LIMIT :n"


@dataclass(frozen=True)
class PaginationResult:
    """What one reader saw.

    ``pages``: message ids of each page read, newest first. ``duplicates``: rows shown again
    (appearances after the first). ``skipped``: messages the reader passed over without seeing
    (see the module docstring). ``newer``: rows that arrived after the reader started, yet showed
    up in the history pages. ``arrived``/``deleted``: messages inserted and deleted meanwhile.
    ``repeats_per_page`` and ``skipped_after_page``: the same counts page by page.
    """

    strategy: str
    page_size: int
    pages: tuple[tuple[int, ...], ...]
    duplicates: int
    skipped: int
    newer: int
    arrived: int
    deleted: int
    repeats_per_page: tuple[int, ...]
    skipped_after_page: tuple[int, ...]
    sql: str

    @property
    def pages_read(self) -> int:
        """Pages that returned at least one row."""
        return sum(1 for p in self.pages if p)

    @property
    def returned(self) -> int:
        """Rows returned over all pages."""
        return sum(len(p) for p in self.pages)

    @property
    def unique(self) -> int:
        """Distinct messages seen."""
        return len({m for p in self.pages for m in p})

    def table(self) -> pd.DataFrame:
        """One row per page: page number (from 1), rows, newest and oldest id, repeats, skipped so far."""
        rows = [
            (i + 1, len(p), p[0] if p else None, p[-1] if p else None, r, s)
            for i, (p, r, s) in enumerate(
                zip(self.pages, self.repeats_per_page, self.skipped_after_page, strict=True)
            )
        ]
        return pd.DataFrame(
            rows, columns=["page", "rows", "newest id", "oldest id", "repeated", "skipped so far"]
        )


def _whole(name: str, value: object, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)


def _timestamps(rng: np.random.Generator, start: int, count: int) -> np.ndarray:
    """``count`` creation times from ``start`` on, 0-3 s apart, so about a quarter share a timestamp."""
    gaps = rng.integers(0, 4, size=count) * 1_000
    return start + np.cumsum(gaps)


def simulate(
    strategy: str = "cursor",
    *,
    page_size: int = 20,
    pages: int = 5,
    arrivals_per_page: int = 5,
    deletions_per_page: int = 0,
    initial: int | None = None,
    seed: int = 0,
) -> PaginationResult:
    """Page ``pages`` times through a chat's history with ``strategy`` while messages arrive and vanish.

    ``page_size``: rows per page. ``arrivals_per_page``/``deletions_per_page``: messages inserted
    at the top and deleted from the history after each page read. ``initial``: messages in the
    chat at the start (default: enough that the reader does not reach the oldest one). Deterministic
    for a given ``seed``; every strategy sees the same arrivals and deletions for the same seed.

    Offset repeats exactly the arrivals: 5 arrivals between each of 5 pages give 4 x 5 = 20 repeats.

    >>> simulate("offset", page_size=20, pages=5, arrivals_per_page=5).duplicates
    20
    >>> r = simulate("cursor", page_size=20, pages=5, arrivals_per_page=5)
    >>> r.duplicates, r.skipped, r.unique
    (0, 0, 100)
    """
    strategy = _check.choice("strategy", strategy, STRATEGIES)
    size = _whole("page_size", page_size, 1, MAX_PAGE_SIZE)
    n_pages = _whole("pages", pages, 1, MAX_PAGES)
    arrivals = _whole("arrivals_per_page", arrivals_per_page, 0, MAX_PER_PAGE)
    deletions = _whole("deletions_per_page", deletions_per_page, 0, MAX_PER_PAGE)
    if initial is None:
        n_initial = size * (n_pages + 1) + deletions * n_pages
    else:
        n_initial = _whole("initial", initial, 0, MAX_MESSAGES)
    if n_initial + arrivals * n_pages > MAX_MESSAGES:
        raise ValueError(f"initial + arrivals_per_page * pages must stay <= {MAX_MESSAGES:,} messages")
    seed = _whole("seed", seed, 0, 2**63 - 1)
    rng = np.random.default_rng(seed)

    db = sqlite3.connect(":memory:")
    try:
        db.execute(
            "CREATE TABLE messages (message_id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, "
            "created_at INTEGER NOT NULL, body TEXT NOT NULL)"
        )
        db.execute("CREATE INDEX messages_by_time ON messages (chat_id, created_at DESC, message_id DESC)")
        times = _timestamps(rng, START_TIME_MS, n_initial)
        db.executemany(
            "INSERT INTO messages VALUES (?, ?, ?, ?)",
            [(i + 1, CHAT_ID, t, f"message {i + 1}") for i, t in enumerate(times.tolist())],
        )
        # Starting messages have ids 1..n_initial in (created_at, id) order, so comparing ids compares keys.
        alive = np.ones(n_initial + 1, dtype=bool)
        alive[0] = False
        next_id, latest = n_initial + 1, int(times[-1]) if n_initial else START_TIME_MS
        arrived = deleted = 0

        shown: list[tuple[int, ...]] = []
        cursor: tuple[int, int] | None = None
        exhausted = False
        for page in range(n_pages):
            params = {"chat": CHAT_ID, "n": size, "offset": page * size}
            if page == 0 or strategy == "offset":
                sql = QUERIES["offset"] if strategy == "offset" else _FIRST_PAGE
            else:
                assert cursor is not None
                sql = QUERIES[strategy]
                params.update(cursor_time=cursor[0], cursor_id=cursor[1])
            rows = db.execute(sql, params).fetchall()
            shown.append(tuple(int(r[0]) for r in rows))
            if len(rows) < size:
                exhausted = True
                break
            cursor = (int(rows[-1][1]), int(rows[-1][0]))
            if page == n_pages - 1:
                break
            # The world moves on while the reader looks at this page.
            if arrivals:
                new_times = _timestamps(rng, latest, arrivals)
                db.executemany(
                    "INSERT INTO messages VALUES (?, ?, ?, ?)",
                    [(next_id + j, CHAT_ID, t, "new") for j, t in enumerate(new_times.tolist())],
                )
                next_id, latest, arrived = next_id + arrivals, int(new_times[-1]), arrived + arrivals
            if deletions and alive.any():
                pool = np.flatnonzero(alive)
                gone = rng.choice(pool, size=min(deletions, len(pool)), replace=False).tolist()
                db.execute(f"DELETE FROM messages WHERE message_id IN ({', '.join('?' * len(gone))})", gone)
                alive[gone] = False
                deleted += len(gone)
    finally:
        db.close()

    repeats, skipped_after, seen = [], [], set[int]()
    unseen = alive.copy()  # surviving starting messages not shown yet
    lowest = n_initial + 1  # lowest starting id shown so far
    for i, ids in enumerate(shown):
        repeats.append(sum(1 for m in ids if m in seen))
        seen.update(ids)
        old = [m for m in ids if m <= n_initial]
        unseen[old] = False
        lowest = min([lowest, *old])
        if exhausted and i == len(shown) - 1:  # reached the oldest row: every survivor should have been shown
            skipped_after.append(int(unseen.sum()))
        else:
            skipped_after.append(int(unseen[lowest:].sum()))
    all_rows = [m for ids in shown for m in ids]
    return PaginationResult(
        strategy=strategy,
        page_size=size,
        pages=tuple(shown),
        duplicates=len(all_rows) - len(set(all_rows)),
        skipped=skipped_after[-1] if skipped_after else 0,
        newer=len({m for m in all_rows if m > n_initial}),
        arrived=arrived,
        deleted=deleted,
        repeats_per_page=tuple(repeats),
        skipped_after_page=tuple(skipped_after),
        sql=QUERIES[strategy],
    )


def compare(
    strategies: tuple[str, ...] | list[str] = ("offset", "cursor"),
    **kwargs: object,
) -> pd.DataFrame:
    """Run :func:`simulate` once per strategy with the same settings and seed; one row each.

    >>> table = compare(page_size=10, pages=3, arrivals_per_page=4)
    >>> table[["strategy", "duplicates", "skipped"]].values.tolist()
    [['offset', 8, 0], ['cursor', 0, 0]]
    """
    results = [simulate(s, **kwargs) for s in strategies]  # type: ignore[arg-type]
    return results_table(results)


def results_table(results: list[PaginationResult] | tuple[PaginationResult, ...]) -> pd.DataFrame:
    """One row per result: strategy, pages read, rows returned, distinct messages, repeats, skips, newer."""
    return pd.DataFrame(
        [(r.strategy, r.pages_read, r.returned, r.unique, r.duplicates, r.skipped, r.newer) for r in results],
        columns=["strategy", "pages read", "rows returned", "distinct", "duplicates", "skipped", "newer"],
    )


def comparison_figure(results: list[PaginationResult] | tuple[PaginationResult, ...]) -> go.Figure:
    """Bars of repeated and skipped messages per strategy; the title states the counts."""
    names = [r.strategy for r in results]
    fig = go.Figure(
        [
            go.Bar(name="repeated", x=names, y=[r.duplicates for r in results], marker_color="#d62728"),
            go.Bar(name="skipped", x=names, y=[r.skipped for r in results], marker_color="#ff7f0e"),
        ]
    )
    fig.update_layout(
        barmode="group",
        title=figure_title(results),
        yaxis_title="messages",
        height=320,
        margin=dict(l=50, r=20, t=50, b=40),
        legend=dict(orientation="h", y=-0.2),
    )
    return fig


def figure_title(results: list[PaginationResult] | tuple[PaginationResult, ...]) -> str:
    """``"offset: 8 repeated, 0 skipped · cursor: 0 repeated, 0 skipped"``."""
    return " · ".join(f"{r.strategy}: {r.duplicates} repeated, {r.skipped} skipped" for r in results)


def describe(results: list[PaginationResult] | tuple[PaginationResult, ...]) -> str:
    """One sentence per result: how many rows it repeated and how many messages it skipped.

    >>> describe([simulate("offset", page_size=10, pages=3, arrivals_per_page=4)])
    'offset read 3 pages of 10: 8 rows repeated, 0 messages skipped.'
    """
    return " ".join(
        f"{r.strategy} read {r.pages_read} page{'s' if r.pages_read != 1 else ''} of {r.page_size}: "
        f"{r.duplicates} row{'s' if r.duplicates != 1 else ''} repeated, "
        f"{r.skipped} message{'s' if r.skipped != 1 else ''} skipped."
        for r in results
    )
