"""Pure checks behind two kinds of graded part: the clarifying questions asked, and a schema written as SQL.

**Questions.** :data:`TOPICS` maps each topic an interviewer expects to be asked about (scale,
read/write mix, consistency...) to a small vocabulary of words and phrases an expert might use
for it, and a hint. :func:`covered` says which topics a list of questions touches, in any
wording the vocabulary knows.

>>> sorted(covered(["How many daily active users, and what QPS at peak?", "Is stale data OK?"]))
['consistency', 'scale']

**Schema.** :func:`run_schema` runs the learner's ``CREATE TABLE`` / ``CREATE INDEX`` statements
in a private in-memory SQLite database (stdlib ``sqlite3``), inserts seeded rows by column name
(so column order and extra columns do not matter), runs each query, and returns its rows and its
``EXPLAIN QUERY PLAN`` lines; :func:`plan_problem` reads a plan the way a reviewer does: a
``SCAN`` of a table (reading every row) or a temporary B-tree for ``ORDER BY`` (a sort of every
match) is a problem, a ``SEARCH ... USING INDEX`` / ``USING COVERING INDEX`` / ``USING INTEGER
PRIMARY KEY`` / ``USING PRIMARY KEY`` is not.

>>> ddl = "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)"
>>> run = run_schema(ddl, {"t": [{"k": "a", "v": "1"}]}, {"get": ("SELECT v FROM t WHERE k = ?", ("a",))})
>>> run["get"].rows, plan_problem(run["get"].plan)
([('1',)], '')
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# --------------------------------------------------------------------------------------------
# Clarifying questions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """A topic to ask about: the ``phrases`` (regular expressions, matched on whole words of the
    lower-cased question) that show it was asked, and the ``hint`` given when it was not."""

    name: str
    phrases: tuple[str, ...]
    hint: str


_THINGS = (
    r"(users?|people|customers?|requests?|links?|urls?|pastes?|messages?|bookings?|tickets?|events?|orders?)"
)

TOPICS: dict[str, Topic] = {
    t.name: t
    for t in (
        Topic(
            "scale",
            (
                rf"how many {_THINGS}",
                rf"number of {_THINGS}",
                r"[dm]aus?",
                r"(daily|monthly) (active )?users?",
                r"traffic",
                r"[qr]ps",
                r"(requests?|queries|reads|writes) (per|a|each) (second|minute|day)",
                r"throughput",
                r"scale",
                r"how (much|big is the) (load|volume|traffic)",
                r"volume",
                r"peak",
            ),
            "Ask about scale: how many users (daily active), and how many requests per second at peak?",
        ),
        Topic(
            "read_write",
            (
                r"read\W*(to\W*|vs\.?\W*|versus\W*|and\W*|or\W*)?write",
                r"reads?\b.{0,40}\bwrites?",
                r"writes?\b.{0,40}\breads?",
                r"(read|write)[- ]heavy",
                r"(more|mostly) (reads|writes|reading|writing)",
                r"how (often|many times) (is|are|will|would|do|does) (a |an |each |the )?\w+ (be )?"
                r"(read|viewed|opened|clicked|visited|accessed|fetched|looked up)",
                r"ratio",
            ),
            "Ask about the read/write mix: how many reads for each write (is it read-heavy)?",
        ),
        Topic(
            "consistency",
            (
                r"consisten\w*",
                r"stale",
                r"eventual\w*",
                r"strong(ly)? consist\w*",
                r"read[- ](your|my)[- ]own[- ]writes?",
                r"read[- ]after[- ]write",
                r"linearizab\w*",
                r"(see|show|visible)\w* .{0,40}(immediately|right away|at once|instantly)",
                r"(immediately|instantly) (visible|see)",
                r"up[- ]to[- ]date",
                r"out of date",
                r"double[- ]book\w*",
                r"same (order|view)",
            ),
            "Ask about consistency: must everyone see a change at once, or is briefly stale data fine?",
        ),
        Topic(
            "latency",
            (
                r"latency",
                r"how (fast|quick|quickly)",
                r"response times?",
                r"p9[59]",
                r"\d+ ?ms",
                r"milliseconds?",
                r"(slow|fast|quick)",
                r"real[- ]time",
            ),
            "Ask about latency: how fast must the main request answer (a p99 target in milliseconds)?",
        ),
        Topic(
            "retention",
            (
                r"retention",
                r"retain\w*",
                r"how long .{0,40}(keep|kept|stored?|live|last|stay)",
                r"expir\w*",
                r"ttl",
                r"(kept|stored|keep|store) (forever|for ever|indefinitely)",
                r"how much (data|storage|space)",
                r"data size",
                r"storage",
                r"how (big|large)",
                r"size of",
                r"archiv\w*",
                r"delet\w*",
            ),
            "Ask about retention and data size: how long is data kept, and how big is each record?",
        ),
        Topic(
            "availability",
            (
                r"availab\w*",
                r"uptime",
                r"downtime",
                r"nines",
                r"99\.9\w*",
                r"outages?",
                r"slas?|slos?",
                r"(go|goes|be|is) down",
                r"fault[- ]toleran\w*",
                r"(survive|tolerate)\w* .{0,30}(failure|outage|crash)",
                r"durab\w*",
                r"lose (data|a|any|an)",
            ),
            "Ask about availability: how much downtime is acceptable (99.9%? 99.99%?), and can data be lost?",
        ),
        Topic(
            "features",
            (
                r"features?",
                r"(in|out of) scope",
                r"use[- ]cases?",
                r"functional\w*",
                r"requirements?",
                r"mvp",
                r"must[- ]haves?",
                r"nice[- ]to[- ]haves?",
                r"(should|can|will|do|must) (users?|people|customers?|fans?|writers?) (be able to )?\w+",
                r"(which|what) (actions|operations|flows)",
                r"support",
            ),
            "Ask which features are in scope: the core actions users take, and what is left out.",
        ),
    )
}
"""The topics an interviewer expects among the clarifying questions of a design prompt, each with
the vocabulary that recognises it. Sources: the course syllabus ("Understand the problem and
establish the design scope": users and scale, read/write ratio, latency, consistency, availability,
data retention, features in scope), and lesson 02's clarifying questions
(``requirements.CHAT_CLARIFICATIONS``)."""

MIN_QUESTIONS, MAX_QUESTIONS = 3, 15
MIN_WORDS, MAX_CHARS = 3, 200


def _normal(text: str) -> str:
    """Lower case, curly quotes and dashes made plain, runs of spaces collapsed."""
    text = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.split())


def _matches(topic: Topic, question: str) -> bool:
    return any(re.search(rf"(?<!\w){p}(?!\w)", question) for p in topic.phrases)


def question_problem(question: str) -> str:
    """Why ``question`` cannot count as a clarifying question ("" when it can): it needs at least
    :data:`MIN_WORDS` words and at most :data:`MAX_CHARS` characters, so a list of keywords or a
    paragraph stuffed with them is refused.

    >>> question_problem("scale?")
    'it has 1 word; write a whole question (at least 3 words)'
    """
    words = len(question.split())
    if words < MIN_WORDS:
        plural = "s" if words != 1 else ""
        return f"it has {words} word{plural}; write a whole question (at least {MIN_WORDS} words)"
    if len(question) > MAX_CHARS:
        return f"it has {len(question)} characters; keep each question under {MAX_CHARS}"
    return ""


def covered(questions: Iterable[str], topics: Iterable[str] | None = None) -> dict[str, list[int]]:
    """The topics (names of :data:`TOPICS`, all of them by default) that ``questions`` ask about,
    each with the indices of the questions that ask it; topics nobody asks are left out.

    >>> covered(["What latency is acceptable at p99?"], ["latency", "scale"])
    {'latency': [0]}
    """
    names = list(TOPICS) if topics is None else list(topics)
    unknown = [n for n in names if n not in TOPICS]
    if unknown:
        raise ValueError(f"topics must be names from {sorted(TOPICS)}, got {unknown}")
    texts = [_normal(q) for q in questions]
    found = {n: [i for i, q in enumerate(texts) if _matches(TOPICS[n], q)] for n in names}
    return {n: hits for n, hits in found.items() if hits}


def needed(n_topics: int) -> int:
    """Topics a list of questions must cover to pass: all but one (most, not every one).

    >>> needed(7)
    6
    """
    return max(1, n_topics - 1)


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------

MAX_STEPS = 2_000_000
"""SQLite virtual-machine steps one run may take before it is interrupted (a runaway statement)."""

_REFUSED = {
    getattr(sqlite3, name): words
    for name, words in (
        ("SQLITE_ATTACH", "ATTACH"),
        ("SQLITE_DETACH", "DETACH"),
        ("SQLITE_PRAGMA", "PRAGMA"),
        ("SQLITE_CREATE_TRIGGER", "CREATE TRIGGER"),
        ("SQLITE_CREATE_TEMP_TRIGGER", "CREATE TRIGGER"),
        ("SQLITE_CREATE_VIEW", "CREATE VIEW"),
        ("SQLITE_CREATE_TEMP_VIEW", "CREATE VIEW"),
        ("SQLITE_CREATE_VTABLE", "CREATE VIRTUAL TABLE"),
        ("SQLITE_INSERT", "INSERT"),
        ("SQLITE_UPDATE", "UPDATE"),
        ("SQLITE_DELETE", "DELETE"),
    )
}


class SchemaError(ValueError):
    """The learner's SQL cannot be used; the message quotes SQLite's own error."""


@dataclass(frozen=True)
class QueryRun:
    """One query run on the seeded tables: the ``rows`` it returned and its ``plan`` (the EXPLAIN QUERY
    PLAN detail lines)."""

    rows: list[tuple]
    plan: list[str]


def _learner_authorizer(refused: list[str]):
    def authorize(action: int, arg1: object, arg2: object, db: object, trigger: object) -> int:
        word = _REFUSED.get(action)
        internal = isinstance(arg1, str) and arg1.startswith("sqlite_")  # the catalogue CREATE writes
        if word and not (
            internal and action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE)
        ):
            refused.append(word)
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return authorize


def _connect() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    steps = [0]

    def progress() -> int:
        steps[0] += 1
        return 1 if steps[0] * 100 > MAX_STEPS else 0

    db.set_progress_handler(progress, 100)
    return db


def run_schema(
    ddl: str,
    rows: Mapping[str, Iterable[Mapping[str, object]]],
    queries: Mapping[str, tuple[str, tuple]],
) -> dict[str, QueryRun]:
    """Run ``ddl`` (only ``CREATE TABLE`` / ``CREATE INDEX`` statements), insert ``rows`` (table ->
    list of column -> value dicts), then run each of ``queries`` (name -> (SQL, parameters)).

    Raises :class:`SchemaError` quoting SQLite when the DDL fails or uses anything but CREATE
    TABLE / CREATE INDEX, or when a seeded row or a query cannot run on the tables it made.

    >>> run_schema("CREATE TABLE t (k TEXT", {}, {})
    Traceback (most recent call last):
    ...
    sysdesign.schema_check.SchemaError: SQLite cannot run the schema: incomplete input
    """
    if not isinstance(ddl, str) or not ddl.strip():
        raise SchemaError("the schema should be SQL text with CREATE TABLE statements, but it is empty")
    db = _connect()
    try:
        refused: list[str] = []
        db.set_authorizer(_learner_authorizer(refused))
        try:
            db.executescript(ddl)
        except sqlite3.Error as exc:
            if refused:
                raise SchemaError(
                    f"the schema may hold only CREATE TABLE and CREATE INDEX statements, not {refused[0]}"
                ) from None
            raise SchemaError(f"SQLite cannot run the schema: {exc}") from None
        db.set_authorizer(None)
        for table, items in rows.items():
            for row in items:
                columns = list(row)
                sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
                try:
                    db.execute(sql, [row[c] for c in columns])
                except sqlite3.Error as exc:
                    raise SchemaError(
                        f"inserting a row into {table} ({', '.join(columns)}) failed: {exc}. "
                        "Use the table and column names the prompt gives; "
                        "extra columns need a default or NULL."
                    ) from None
        out = {}
        for name, (sql, params) in queries.items():
            try:
                plan = [str(r[-1]) for r in db.execute("EXPLAIN QUERY PLAN " + sql, params)]
                result = [tuple(r) for r in db.execute(sql, params)]
            except sqlite3.Error as exc:
                raise SchemaError(f"the query {name!r} cannot run on your tables: {exc}") from None
            out[name] = QueryRun(result, plan)
        return out
    finally:
        db.close()


_GOOD_SEARCH = re.compile(
    r"^SEARCH \S+( AS \S+)? USING (COVERING INDEX|INDEX|INTEGER PRIMARY KEY|PRIMARY KEY)\b"
)


def plan_problem(plan: list[str]) -> str:
    """What a reviewer objects to in an EXPLAIN QUERY PLAN (its detail lines), or "" when every table
    is reached through an index.

    >>> plan_problem(["SCAN urls"])
    'SQLite reads every row (SCAN urls): no index serves this query'
    >>> plan_problem(["SEARCH m USING INDEX i (chat_id=?)", "USE TEMP B-TREE FOR ORDER BY"])[:60]
    'SQLite sorts the matches itself (USE TEMP B-TREE FOR ORDER B'
    """
    for line in plan:
        if line.startswith("SCAN ") and not line.startswith("SCAN CONSTANT ROW"):
            return f"SQLite reads every row ({line}): no index serves this query"
        if line.startswith("USE TEMP B-TREE"):
            return (
                f"SQLite sorts the matches itself ({line}): the index does not hold the ORDER BY "
                "column after the filtered ones"
            )
    if not any(_GOOD_SEARCH.match(line) for line in plan):
        return f"no index is used (plan: {'; '.join(plan) or 'empty'})"
    return ""


def same_rows(got: list[tuple], expected: list[tuple], ordered: bool) -> bool:
    """True when the rows match: in order when the query has an ORDER BY, as a multiset otherwise.

    >>> a, b = [(2,), (1,)], [(1,), (2,)]
    >>> same_rows(a, b, ordered=False), same_rows(a, b, ordered=True)
    (True, False)
    """
    got, expected = [tuple(r) for r in got], [tuple(r) for r in expected]
    if ordered:
        return got == expected
    return sorted(got, key=repr) == sorted(expected, key=repr)


def explain(ddl: str, queries: Mapping[str, str]) -> dict[str, str]:
    """For trying a schema out: each query's plan on the tables of ``ddl`` (no rows needed), and the
    reviewer's verdict from :func:`plan_problem` ("uses an index" when there is nothing to object to).
    Parameters (``?``) are bound to NULL, which does not change the plan.

    >>> explain("CREATE TABLE t (k TEXT, v TEXT)", {"get": "SELECT v FROM t WHERE k = ?"})
    {'get': 'SCAN t -> SQLite reads every row (SCAN t): no index serves this query'}
    """
    runs = run_schema(ddl, {}, {name: (sql, (None,) * sql.count("?")) for name, sql in queries.items()})
    return {
        name: f"{'; '.join(run.plan)} -> {plan_problem(run.plan) or 'uses an index'}"
        for name, run in runs.items()
    }
