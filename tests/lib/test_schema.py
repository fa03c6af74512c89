"""The messages table in SQLite: the syllabus's schema, and what the (chat_id, created_at) index does.

Source of the schema: ../shared/seed/system-design-interview-framework.txt, "Phase 5: Deep Dive",
"Database Schema" (seven columns, INDEX (chat_id, created_at)). Plan wording: SQLite's
EXPLAIN QUERY PLAN output ("SCAN <table>", "SEARCH <table> USING INDEX <name> (<constraints>)",
"USE TEMP B-TREE FOR ORDER BY").
"""

from __future__ import annotations

import sqlite3

import pytest
from sysdesign import schema

SYLLABUS_COLUMNS = [
    "message_id",
    "chat_id",
    "sender_id",
    "content",
    "message_type",
    "media_url",
    "created_at",
]


@pytest.fixture(scope="module")
def db() -> sqlite3.Connection:
    return schema.messages_db(8_000, 40, with_index=False, seed=3)


def test_table_has_the_syllabus_columns_in_order(db):
    columns = [row[1] for row in db.execute("PRAGMA table_info(messages)")]
    assert columns == SYLLABUS_COLUMNS
    assert "(chat_id, created_at)" in schema.schema_sql()


def test_synthetic_rows_are_plausible(db):
    total, images, with_url, text_with_url = db.execute(
        "SELECT COUNT(*), SUM(message_type = 'image'), COUNT(media_url),"
        " SUM(message_type = 'text' AND media_url IS NOT NULL) FROM messages"
    ).fetchone()
    assert total == 8_000
    assert images == with_url and text_with_url == 0  # only images carry a media URL
    assert 0.07 < images / total < 0.13  # 10 % images, as in the syllabus estimate
    stamps = [r[0] for r in db.execute("SELECT created_at FROM messages ORDER BY message_id")]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


@pytest.mark.parametrize(
    ("with_index", "first_line", "uses_index"),
    [
        (False, "SCAN messages", False),
        (True, "SEARCH messages USING INDEX idx_messages_chat_created (chat_id=? AND created_at<?)", True),
    ],
)
def test_plan_scans_without_the_index_and_searches_with_it(with_index, first_line, uses_index):
    q = schema.explain_history_query(with_index, n_rows=10_000)
    assert q.plan[0] == first_line
    assert q.uses_index is uses_index
    # without the index SQLite must also sort; the index already returns rows in created_at order
    assert ("USE TEMP B-TREE FOR ORDER BY" in q.plan) is (not with_index)


def test_index_cuts_the_work_by_orders_of_magnitude():
    scan = schema.explain_history_query(False, n_rows=20_000)
    seek = schema.explain_history_query(True, n_rows=20_000)
    assert scan.rows == seek.rows == 50  # one full page of the busiest chat either way
    assert seek.vm_steps * 50 < scan.vm_steps  # a scan touches all 20,000 rows; the seek about 50
    assert seek.query_ms * 5 < scan.query_ms


def test_both_plans_return_the_newest_page_of_the_chat(db):
    chat = 1
    everything = db.execute(
        "SELECT message_id, created_at FROM messages WHERE chat_id = ?", (chat,)
    ).fetchall()
    expected = [m for m, _ in sorted(everything, key=lambda r: r[1], reverse=True)[:50]]
    for with_index in (False, True):
        schema.set_index(db, with_index)
        got = [r[0] for r in db.execute(schema.HISTORY_SQL, (chat, "9999-12-31 23:59:59", 50))]
        assert got == expected


def test_own_connection_follows_the_index_switch_every_time(db):
    plans = [schema.explain_history_query(w, db=db).uses_index for w in (False, True, False, True)]
    assert plans == [False, True, False, True]  # a stale cached EXPLAIN would repeat the first answer


def test_a_quiet_chat_returns_a_short_page():
    q = schema.explain_history_query(True, n_rows=10_000, chat_id=10**9)
    assert q.rows == 0 and q.uses_index


@pytest.mark.parametrize(
    ("kwargs", "name", "error"),
    [
        ({"with_index": "yes"}, "with_index", TypeError),
        ({"with_index": True, "n_rows": 0}, "n_rows", ValueError),
        ({"with_index": True, "chat_id": -1}, "chat_id", ValueError),
        ({"with_index": True, "page_size": 0}, "page_size", ValueError),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name, error):
    with pytest.raises(error, match=name):
        schema.explain_history_query(**kwargs)


def test_bad_table_size_names_the_parameter():
    with pytest.raises(ValueError, match="n_chats"):
        schema.messages_db(10, 0)
