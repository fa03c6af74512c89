"""The new kinds of part inside the notebooks: ps02 I (clarifying questions) and the schema parts (ps02 J,
p01 J, p02 J). Each case runs what nbgrader runs in a kernel: the setup cell, a candidate answer
cell, then the part's test cell with its hidden tests. The model answer and answers an expert could
defend (other column order, extra columns, a surrogate key, a covering or partial index, other
wording) earn the part; the released blank and a plausible mistake do not.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from ps01_variants import ROOT, cell, load, solution_body, source

PS02 = ROOT / "solutions/ps02_requirements_api/ps02_requirements_api.ipynb"
P01 = ROOT / "solutions/ps05_warmup/p01_url_shortener.ipynb"
P02 = ROOT / "solutions/ps05_warmup/p02_paste_bin.ipynb"
WRONG = Path(__file__).parent / "wrong"


def run_part(path: Path, answer_id: str, answer: str) -> None:
    """Raise AssertionError when ``answer`` does not earn the part (as nbgrader would score it)."""
    nb = load(path)
    namespace: dict = {}
    exec(compile(source(cell(nb, "setup")), "setup", "exec"), namespace)
    exec(compile(answer, answer_id, "exec"), namespace)
    test_id = "test-" + answer_id.removeprefix("answer-")
    exec(compile(source(cell(nb, test_id)), test_id, "exec"), namespace)


def wrong(path: Path, answer_id: str) -> str:
    spec = importlib.util.spec_from_file_location(f"wrong_{path.stem}", WRONG / f"{path.stem}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.WRONG[answer_id]


def schema_answer(sql: str) -> str:
    return f'def schema():\n    return """{sql}"""\n'


PARTS = [(PS02, "answer-questions"), (PS02, "answer-schema"), (P01, "answer-schema"), (P02, "answer-schema")]

EXPERT = {
    "ps02 questions, coach wording": (
        PS02,
        "answer-questions",
        "def clarifying_questions():\n    return [\n"
        "        'What are the core use cases: search events, pick seats, checkout?',\n"
        "        'What DAU and peak RPS should we plan for during a hot on-sale?',\n"
        "        'Is the seat map read-heavy compared with bookings?',\n"
        "        'Do we need strong consistency so a seat is never double-booked?',\n"
        "        'What response time is acceptable for holding a seat?',\n"
        "        'What is the SLA: how many nines?',\n"
        "    ]\n",
    ),
    "ps02 schema, other order, extra column, covering index": (
        PS02,
        "answer-schema",
        schema_answer(
            """
        CREATE TABLE bookings (
            created_at TEXT NOT NULL, user_id INTEGER NOT NULL, price_cents INTEGER DEFAULT 0,
            seat TEXT NOT NULL, event_id INTEGER NOT NULL, status TEXT NOT NULL,
            booking_id INTEGER PRIMARY KEY);
        CREATE UNIQUE INDEX one_sale_per_seat ON bookings (event_id, seat);
        CREATE INDEX my_bookings ON bookings (user_id, created_at DESC, booking_id);"""
        ),
    ),
    "p01 surrogate key and unique code": (
        P01,
        "answer-schema",
        schema_answer(
            """
        CREATE TABLE links (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, writer_id INTEGER NOT NULL,
                            long_url TEXT NOT NULL, created_at TEXT NOT NULL, clicks INTEGER DEFAULT 0);
        CREATE INDEX by_writer ON links (writer_id, created_at, code, long_url);"""
        ),
    ),
    "p02 without rowid and a partial index for the sweep": (
        P02,
        "answer-schema",
        schema_answer(
            """
        CREATE TABLE pastes (paste_id TEXT PRIMARY KEY, content_key TEXT NOT NULL, expires_at TEXT,
                             author_id INTEGER, created_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX expiring ON pastes (expires_at) WHERE expires_at IS NOT NULL;
        CREATE INDEX by_author ON pastes (author_id, created_at);"""
        ),
    ),
}


@pytest.mark.parametrize(("path", "answer_id"), PARTS, ids=lambda v: getattr(v, "stem", v))
def test_model_answer_earns_the_part(path, answer_id):
    run_part(path, answer_id, solution_body(answer_id, path))


@pytest.mark.parametrize(("path", "answer_id"), PARTS, ids=lambda v: getattr(v, "stem", v))
def test_blank_and_plausible_mistake_do_not(path, answer_id):
    release = ROOT / "exercises" / path.relative_to(ROOT / "solutions")
    with pytest.raises(NotImplementedError):
        run_part(path, answer_id, source(cell(load(release), answer_id)))
    with pytest.raises(AssertionError):
        run_part(path, answer_id, wrong(path, answer_id))


@pytest.mark.parametrize(("path", "answer_id", "answer"), EXPERT.values(), ids=EXPERT.keys())
def test_answers_an_expert_could_defend_earn_the_part(path, answer_id, answer):
    run_part(path, answer_id, answer)
