"""The chat system's messages table in a real SQLite database, and what its index does to the history query.

``messages_db`` builds an in-memory table with synthetic rows; ``explain_history_query`` asks SQLite
for its plan (EXPLAIN QUERY PLAN) of the "load one page of a chat" query with and without the
composite index on ``(chat_id, created_at)``, runs the query, and reports the plan, the time, and
SQLite's own count of virtual-machine steps (a deterministic measure of work, unlike the time).
"""

from __future__ import annotations

import sqlite3
import statistics
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import _check
from .sim.workload import zipf_keys

TABLE_SQL = """CREATE TABLE messages (
    message_id   INTEGER PRIMARY KEY,   -- 64-bit id, unique across the system
    chat_id      INTEGER NOT NULL,
    sender_id    INTEGER NOT NULL,
    content      TEXT,
    message_type VARCHAR(10),           -- kind: 'text' or 'image'
    media_url    VARCHAR(500),          -- only for images
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)"""

INDEX_NAME = "idx_messages_chat_created"
INDEX_SQL = f"CREATE INDEX {INDEX_NAME} ON messages (chat_id, created_at)"

HISTORY_SQL = """SELECT message_id, sender_id, content, created_at
FROM messages
WHERE chat_id = ? AND created_at < ?
ORDER BY created_at DESC
LIMIT ?"""
"""One page of a chat's history, newest first, before a cursor (cursor pagination, not OFFSET)."""

MAX_ROWS = 2_000_000
_STEP = 100  # the progress handler runs every _STEP virtual-machine instructions
_lock = threading.Lock()
_explains = 0


def schema_sql() -> str:
    """The table and index definitions, as SQLite runs them.

    >>> "INDEX idx_messages_chat_created ON messages (chat_id, created_at)" in schema_sql()
    True
    """
    return f"{TABLE_SQL};\n{INDEX_SQL};"


def messages_db(
    n_rows: int = 100_000, n_chats: int = 2_000, with_index: bool = True, seed: int = 0
) -> sqlite3.Connection:
    """A new in-memory SQLite database holding ``n_rows`` synthetic messages spread over ``n_chats`` chats.

    Chat activity is Zipf-skewed (chat 0 is the busiest); 10 % of messages are images with a media URL;
    ``created_at`` rises one second per message from 2024-01-01.

    >>> db = messages_db(1_000, 10, seed=1)
    >>> db.execute("SELECT COUNT(*), COUNT(media_url) > 0 FROM messages").fetchone()
    (1000, 1)
    """
    n = int(_check.number("n_rows", n_rows, low=1, high=MAX_ROWS))
    chats = int(_check.number("n_chats", n_chats, low=1, high=n))
    rng = np.random.default_rng(seed)
    chat = zipf_keys(chats, n, 1.0, seed=seed)
    sender = rng.integers(1, 10 * chats + 1, size=n)
    image = rng.random(n) < 0.1
    stamps = np.datetime_as_string(
        np.datetime64("2024-01-01T00:00:00") + np.arange(n).astype("timedelta64[s]"), unit="s"
    )
    stamps = np.char.replace(stamps, "T", " ")
    rows = [
        (
            i + 1,
            int(c),
            int(s),
            None if img else f"message {i + 1} in chat {c}",
            "image" if img else "text",
            f"https://cdn.example.com/m/{i + 1}.jpg" if img else None,
            str(t),
        )
        for i, (c, s, img, t) in enumerate(
            zip(chat.tolist(), sender.tolist(), image.tolist(), stamps.tolist(), strict=True)
        )
    ]
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(TABLE_SQL)
    db.executemany("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    if with_index:
        db.execute(INDEX_SQL)
    db.execute("ANALYZE")
    db.commit()
    return db


@lru_cache(maxsize=4)
def _shared_db(n_rows: int, n_chats: int, seed: int, with_index: bool) -> sqlite3.Connection:
    if not with_index:
        return messages_db(n_rows, n_chats, with_index=False, seed=seed)
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    _shared_db(n_rows, n_chats, seed, False).backup(copy)
    copy.execute(INDEX_SQL)
    copy.execute("ANALYZE")
    copy.commit()
    return copy


def set_index(db: sqlite3.Connection, on: bool) -> None:
    """Create or drop the ``(chat_id, created_at)`` index."""
    db.execute(
        INDEX_SQL.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS")
        if on
        else f"DROP INDEX IF EXISTS {INDEX_NAME}"
    )
    db.commit()


@dataclass(frozen=True)
class QueryPlan:
    """What SQLite did for one history query.

    ``plan``: the EXPLAIN QUERY PLAN detail lines; ``uses_index``: the plan searches the index;
    ``query_ms``: median wall time of ``repeats`` runs (milliseconds; the first run also counts steps);
    ``vm_steps``: virtual-machine instructions executed, counted in blocks of 100 (deterministic);
    ``rows``: rows returned.
    """

    with_index: bool
    plan: tuple[str, ...]
    uses_index: bool
    query_ms: float
    vm_steps: int
    rows: int
    n_rows: int

    @property
    def plan_text(self) -> str:
        """The plan as SQLite's shell prints it."""
        return "QUERY PLAN\n" + "\n".join(f"`--{line}" for line in self.plan)


def explain_history_query(
    with_index: bool,
    n_rows: int = 50_000,
    chat_id: int = 0,
    page_size: int = 50,
    repeats: int = 3,
    db: sqlite3.Connection | None = None,
    seed: int = 0,
) -> QueryPlan:
    """Plan, time and work of the chat-history query (``HISTORY_SQL``) with the index present or absent.

    Without the index SQLite scans every row and sorts; with it, it seeks straight to the chat's
    newest rows (``SEARCH ... USING INDEX``). Pass ``db`` to use your own connection (its index is
    created or dropped to match ``with_index``); otherwise a cached synthetic database is used.

    >>> explain_history_query(False, n_rows=5_000).plan[0]
    'SCAN messages'
    >>> q = explain_history_query(True, n_rows=5_000)
    >>> q.uses_index, q.plan[0].startswith("SEARCH messages USING INDEX idx_messages_chat_created")
    (True, True)
    """
    if not isinstance(with_index, bool):
        raise TypeError(f"with_index must be True or False, got {with_index!r}")
    n = int(_check.number("n_rows", n_rows, low=1, high=MAX_ROWS))
    chat = int(_check.number("chat_id", chat_id, low=0))
    page = int(_check.number("page_size", page_size, low=1, high=10_000))
    reps = int(_check.number("repeats", repeats, low=1, high=1_000))
    with _lock:
        if db is None:
            conn = _shared_db(n, max(1, min(2_000, n // 50)), seed, with_index)
        else:
            conn = db
            set_index(conn, with_index)
        args = (chat, "9999-12-31 23:59:59", page)
        # A fresh statement text each time: a cached EXPLAIN statement keeps the plan it was prepared with.
        global _explains
        _explains += 1
        sql = f"EXPLAIN QUERY PLAN {HISTORY_SQL} -- {_explains}"
        plan = tuple(row[3] for row in conn.execute(sql, args))
        steps = [0]

        def tick() -> int:
            steps[0] += 1
            return 0

        conn.set_progress_handler(tick, _STEP)
        try:
            start = time.perf_counter()
            rows = conn.execute(HISTORY_SQL, args).fetchall()
            times = [time.perf_counter() - start]
        finally:
            conn.set_progress_handler(None, 0)
        for _ in range(reps - 1):
            start = time.perf_counter()
            conn.execute(HISTORY_SQL, args).fetchall()
            times.append(time.perf_counter() - start)
        total = conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
    return QueryPlan(
        with_index=with_index,
        plan=plan,
        uses_index=any("USING INDEX" in line and INDEX_NAME in line for line in plan),
        query_ms=statistics.median(times) * 1e3,
        vm_steps=steps[0] * _STEP,
        rows=len(rows),
        n_rows=int(total),
    )
