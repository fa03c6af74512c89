"""The two new kinds of graded part: clarifying questions (grading.check_questions) and a schema in
SQLite (grading.check_schema), with their pure logic in sysdesign.schema_check.

Expected rows are worked out by hand from the seeded rows below; the plans are what SQLite's
query planner documents (https://www.sqlite.org/eqp.html): SEARCH with an index, SCAN without one,
USE TEMP B-TREE FOR ORDER BY when the index does not give the order.
"""

from __future__ import annotations

import pytest
from sysdesign import grading, schema_check

ALL = ["scale", "read_write", "consistency", "latency", "retention", "availability", "features"]

# ---------------------------------------------------------------------------------------------
# Clarifying questions
# ---------------------------------------------------------------------------------------------

EXPERT_LISTS = {
    "interview coach": [
        "What are the core use cases we must support, and what is out of scope?",
        "How many DAU are we talking about, and what's the expected QPS?",
        "Is this read-heavy? What's the read:write ratio?",
        "Is eventual consistency acceptable, or do users need read-your-own-writes?",
        "What's the p99 latency target for the main request?",
        "How long do we need to retain the data?",
        "What's the uptime SLA, four nines?",
    ],
    "plain words": [
        "Which features should the first version have?",
        "How many users will use it each month, and how much traffic at the busiest hour?",
        "How often is each item viewed compared with how often one is created?",
        "If someone changes something, must other people see it immediately?",
        "How quickly must a page load?",
        "Do we keep data forever or does it expire?",
        "How much downtime can the business accept?",
    ],
    "one topic missed (latency)": [
        "What must users be able to do: post, edit, delete?",
        "What's the number of requests per second at peak?",
        "Are reads much more frequent than writes?",
        "Can readers see stale data for a few seconds?",
        "How much storage does each record need, and for how many years?",
        "Must the service survive a data-centre outage without losing data?",
    ],
}


@pytest.mark.parametrize("questions", EXPERT_LISTS.values(), ids=EXPERT_LISTS.keys())
def test_expert_worded_questions_pass(questions):
    grading.check_questions("questions()", questions, ALL)


def test_every_topic_is_recognised_in_the_coach_list():
    asked = schema_check.covered(EXPERT_LISTS["interview coach"])
    assert sorted(asked) == sorted(ALL)
    assert asked["scale"] == [1] and asked["consistency"] == [3]


def test_missing_scale_and_consistency_fails_with_their_hints():
    questions = [
        "Which features are in scope for the first version?",
        "Is it read-heavy, and what's the read/write ratio?",
        "What latency do we target at p99?",
        "How long do we keep the data?",
        "What availability do we need?",
    ]
    with pytest.raises(AssertionError) as caught:
        grading.check_questions("questions()", questions, ALL)
    message = str(caught.value)
    assert "asks about 5 of 7 topics; at least 6 are needed" in message
    assert schema_check.TOPICS["scale"].hint in message
    assert schema_check.TOPICS["consistency"].hint in message
    assert schema_check.TOPICS["latency"].hint not in message


def test_the_rule_is_all_topics_but_one_unless_need_is_given():
    assert schema_check.needed(7) == 6 and schema_check.needed(1) == 1
    two = ["How many users do we have?", "Which features matter most here?", "Anything else to know?"]
    grading.check_questions("q()", two, ["scale", "features", "latency"])  # 2 of 3
    with pytest.raises(AssertionError, match="2 of 3 topics; at least 3"):
        grading.check_questions("q()", two, ["scale", "features", "latency"], need=3)


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        ("How many users?", r"should be a list of questions"),
        (
            ["scale?", "latency?", "consistency?"],
            r"questions\(\)\[0\] \('scale\?'\) is not a question: it has 1 word",
        ),
        (["How many users?", "What latency target?"], r"has 2 questions; ask between 3 and 15"),
        (["How many users?", 42, "What latency target?"], r"questions\(\)\[1\] should be text"),
        (
            ["How many users?", "What latency target?", "x " * 150],
            r"characters; keep each question under 200",
        ),
    ],
)
def test_malformed_questions_get_a_clear_message(answer, match):
    with pytest.raises(AssertionError, match=match):
        grading.check_questions("questions()", answer, ALL)


def test_a_question_object_of_a_notebook_class_is_refused_before_it_is_read():
    class Sneaky(list):
        pass

    with pytest.raises(AssertionError, match="object of class Sneaky"):
        grading.check_questions("questions()", Sneaky(["a b c"] * 3), ALL)


def test_unknown_topic_names_are_a_value_error():
    with pytest.raises(ValueError, match="topics must be names from"):
        schema_check.covered(["How many users?"], ["scalability"])


def test_words_inside_other_words_do_not_count():
    # "ms" inside "items", "peak" inside "speaker", "ttl" inside "settle": no topic.
    assert (
        schema_check.covered(["Which items does the speaker settle on?"], ["latency", "scale", "retention"])
        == {}
    )


# ---------------------------------------------------------------------------------------------
# Schema
# ---------------------------------------------------------------------------------------------

ROWS = {
    "links": [
        {
            "code": "aaa",
            "long_url": "https://a.example/1",
            "writer_id": 1,
            "created_at": "2026-01-01 00:00:00",
        },
        {
            "code": "bbb",
            "long_url": "https://a.example/2",
            "writer_id": 1,
            "created_at": "2026-01-03 00:00:00",
        },
        {
            "code": "ccc",
            "long_url": "https://b.example/1",
            "writer_id": 2,
            "created_at": "2026-01-02 00:00:00",
        },
        {
            "code": "ddd",
            "long_url": "https://a.example/3",
            "writer_id": 1,
            "created_at": "2026-01-02 00:00:00",
        },
    ]
}
DASHBOARD = "SELECT code FROM links WHERE writer_id = ? ORDER BY created_at DESC LIMIT 20"
QUERIES = {
    "redirect": ("SELECT long_url FROM links WHERE code = ?", ("ccc",), [("https://b.example/1",)]),
    # writer 1 has aaa (01-01), ddd (01-02), bbb (01-03): newest first
    "dashboard": (DASHBOARD, (1,), [("bbb",), ("ddd",), ("aaa",)]),
}
RIGHT = """
CREATE TABLE links (code TEXT PRIMARY KEY, long_url TEXT NOT NULL, writer_id INTEGER NOT NULL,
                    created_at TEXT NOT NULL);
CREATE INDEX links_writer_created ON links (writer_id, created_at);
"""

EXPERT_SCHEMAS = {
    "surrogate key, unique code, other column order, extra columns": """
        CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            writer_id INTEGER NOT NULL,
            created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
            clicks INTEGER NOT NULL DEFAULT 0,
            code TEXT NOT NULL UNIQUE,
            long_url TEXT NOT NULL,
            expires_at TEXT
        );
        CREATE INDEX idx_writer_created ON links (writer_id, created_at DESC);
    """,
    "without rowid, covering index": """
        CREATE TABLE links (code TEXT PRIMARY KEY, long_url TEXT, writer_id INTEGER,
                            created_at TEXT) WITHOUT ROWID;
        CREATE INDEX cover ON links (writer_id, created_at, code, long_url);
    """,
    "lower-case keywords, separate unique index": """
        create table links (long_url text, code text not null, created_at text, writer_id integer);
        create unique index links_code on links (code);
        create index links_by_writer on links (writer_id, created_at)
    """,
}


def test_right_schema_passes():
    grading.check_schema("schema()", RIGHT, ROWS, QUERIES)


@pytest.mark.parametrize("ddl", EXPERT_SCHEMAS.values(), ids=EXPERT_SCHEMAS.keys())
def test_expert_shaped_alternatives_pass(ddl):
    grading.check_schema("schema()", ddl, ROWS, QUERIES)


def test_missing_index_is_a_scan():
    ddl = "CREATE TABLE links (code TEXT PRIMARY KEY, long_url TEXT, writer_id INTEGER, created_at TEXT)"
    with pytest.raises(AssertionError) as caught:
        grading.check_schema("schema()", ddl, ROWS, QUERIES)
    assert "the query 'dashboard'" in str(caught.value) and "SCAN links" in str(caught.value)


def test_an_index_without_the_order_column_sorts_every_match():
    ddl = RIGHT.replace("(writer_id, created_at)", "(writer_id)")
    with pytest.raises(AssertionError, match="USE TEMP B-TREE FOR ORDER BY"):
        grading.check_schema("schema()", ddl, ROWS, QUERIES)


def test_no_primary_key_on_code_scans_the_redirect():
    ddl = RIGHT.replace("code TEXT PRIMARY KEY", "code TEXT")
    with pytest.raises(AssertionError, match=r"'redirect'.*SCAN links"):
        grading.check_schema("schema()", ddl, ROWS, QUERIES)


def test_wrong_rows_fail_with_counts():
    # oldest first: not the order asked
    wrong = {"dashboard": (DASHBOARD, (1,), [("aaa",), ("ddd",), ("bbb",)])}
    with pytest.raises(
        AssertionError, match=r"returns other rows than expected \(3 rows, 3 expected in that order\)"
    ):
        grading.check_schema("schema()", RIGHT, ROWS, wrong)


def test_sql_syntax_error_quotes_sqlite():
    with pytest.raises(AssertionError, match=r'SQLite cannot run the schema: near "TABEL": syntax error'):
        grading.check_schema("schema()", "CREATE TABEL links (code TEXT)", ROWS, QUERIES)


def test_missing_column_names_the_insert_and_sqlite_error():
    ddl = "CREATE TABLE links (code TEXT PRIMARY KEY, url TEXT, writer_id INTEGER, created_at TEXT)"
    with pytest.raises(AssertionError, match="inserting a row into links .* has no column named long_url"):
        grading.check_schema("schema()", ddl, ROWS, QUERIES)


def test_extra_not_null_column_without_default_fails_on_insert():
    ddl = RIGHT.replace("created_at TEXT NOT NULL)", "created_at TEXT NOT NULL, title TEXT NOT NULL)")
    with pytest.raises(AssertionError, match="NOT NULL constraint failed: links.title"):
        grading.check_schema("schema()", ddl, ROWS, QUERIES)


@pytest.mark.parametrize(
    ("ddl", "word"),
    [
        (RIGHT + "INSERT INTO links VALUES ('zzz', 'u', 1, '2026-01-09 00:00:00');", "INSERT"),
        (RIGHT + "CREATE VIEW v AS SELECT code FROM links;", "CREATE VIEW"),
        (RIGHT + "CREATE TRIGGER t AFTER INSERT ON links BEGIN DELETE FROM links; END;", "CREATE TRIGGER"),
        ("ATTACH DATABASE 'elsewhere.db' AS other;" + RIGHT, "ATTACH"),
        ("PRAGMA foreign_keys = ON;" + RIGHT, "PRAGMA"),
    ],
)
def test_only_create_table_and_index_are_allowed(ddl, word):
    with pytest.raises(AssertionError, match=f"only CREATE TABLE and CREATE INDEX statements, not {word}"):
        grading.check_schema("schema()", ddl, ROWS, QUERIES)


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        (["CREATE TABLE links (code TEXT)"], r"should be text \(a string\)"),
        (None, r"should be text \(a string\)"),
        ("   ", "it is empty"),
    ],
)
def test_malformed_schema_gets_a_clear_message(answer, match):
    with pytest.raises(AssertionError, match=match):
        grading.check_schema("schema()", answer, ROWS, QUERIES)


def test_schema_without_queries_checks_tables_and_rows_only():
    grading.check_schema("schema()", RIGHT, ROWS)
    with pytest.raises(AssertionError, match="no such table: links"):
        grading.check_schema("schema()", "CREATE TABLE link (code TEXT)", ROWS)


def test_plan_problem_reads_sqlite_plans():
    assert schema_check.plan_problem(["SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"]) == ""
    assert schema_check.plan_problem(["SEARCH t USING COVERING INDEX i (a=?)"]) == ""
    assert schema_check.plan_problem(["SEARCH t USING PRIMARY KEY (k=?)"]) == ""
    assert "SCAN t USING INDEX i" in schema_check.plan_problem(["SCAN t USING INDEX i"])  # a full index scan
    assert "no index is used" in schema_check.plan_problem([])


def test_explain_shows_the_verdict_for_the_try_it_cell():
    out = schema_check.explain(
        RIGHT, {"dashboard": DASHBOARD, "by url": "SELECT code FROM links WHERE long_url = ?"}
    )
    assert out["dashboard"].endswith("-> uses an index")
    assert out["by url"].startswith("SCAN links")


def test_a_runaway_statement_is_interrupted():
    loop = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    with pytest.raises(schema_check.SchemaError, match="SQLite cannot run the schema: interrupted"):
        schema_check.run_schema(RIGHT + f"CREATE TABLE big AS {loop};", {}, {})
    with pytest.raises(
        schema_check.SchemaError, match="the query 'loop' cannot run on your tables: interrupted"
    ):
        schema_check.run_schema(RIGHT, {}, {"loop": (loop, ())})
