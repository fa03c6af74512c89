"""Every lesson asks before it tells (DESIGN.md, issue 14): checked questions in the lesson notebooks.

Read statically with ``ast`` from the committed notebooks: every lesson 00-14 has at least two
``ask(...)`` calls, every question key is unique across the course and names its own lesson, and no
``Number`` question types its answer as a literal (the answer must be computed by the library).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from sysdesign.questions import lesson_of

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CORE = [p for p in LESSONS if int(p.name[:2]) <= 14]
KINDS = {"Number", "Choice", "Order", "Prediction"}


@dataclass(frozen=True)
class Asked:
    """One ``ask(Kind(key, ...))`` call found in a code cell."""

    kind: str
    key: str | None  # None when the key is not a plain string literal
    answer: ast.expr | None  # the Number's answer expression, if any


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def asked_in(source: str) -> list[Asked]:
    """The questions that ``source`` (one code cell) passes to ``ask``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and _name(node.func) == "ask" and node.args):
            continue
        q = node.args[0]
        if not (isinstance(q, ast.Call) and _name(q.func) in KINDS):
            found.append(Asked("?", None, None))
            continue
        key_node = q.args[0] if q.args else next((k.value for k in q.keywords if k.arg == "key"), None)
        key = (
            key_node.value if isinstance(key_node, ast.Constant) and isinstance(key_node.value, str) else None
        )
        answer = next((k.value for k in q.keywords if k.arg == "answer"), None)
        if answer is None and len(q.args) >= 3:
            answer = q.args[2]
        found.append(Asked(_name(q.func), key, answer))
    return found


def is_literal_number(node: ast.expr | None) -> bool:
    """True for ``17361``, ``-3.5`` or ``1e4``: a number typed by hand rather than computed."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    )


def questions(path: Path) -> list[Asked]:
    """Every question asked in one lesson notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [a for c in cells if c["cell_type"] == "code" for a in asked_in("".join(c["source"]))]


def test_the_parser_finds_keys_kinds_and_literal_answers():
    cell = (
        "t = estimate.traffic(per_day=5e8)\n"
        'ask(Number("03.peak", "Peak?", answer=t.peak_qps, rel_tol=0.5))\n'
        'ask(Number("03.typed", "Peak?", answer=17361))\n'
        'ask(Choice("03.pick", "Which?", ("a", "b"), answer=1, explanation="b"))\n'
    )
    found = asked_in(cell)
    assert [(a.kind, a.key) for a in found] == [
        ("Number", "03.peak"),
        ("Number", "03.typed"),
        ("Choice", "03.pick"),
    ]
    assert [is_literal_number(a.answer) for a in found[:2]] == [False, True]
    assert is_literal_number(ast.parse("-2.5", mode="eval").body)


def test_the_course_has_lessons_00_to_14():
    assert [p.name[:2] for p in CORE] == [f"{n:02d}" for n in range(15)]


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.stem)
def test_every_lesson_asks_at_least_two_questions(path):
    assert len(questions(path)) >= 2, f"{path.name} asks fewer than two checked questions"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_keys_are_literal_and_name_their_lesson(path):
    for asked in questions(path):
        assert asked.kind in KINDS, f"{path.name}: ask() is given something other than a question"
        assert asked.key is not None, f"{path.name}: a question key must be a plain string literal"
        assert lesson_of(asked.key) == path.name[:2], f"{path.name}: key {asked.key!r} names another lesson"


def test_keys_are_unique_across_the_course():
    keys = [a.key for p in LESSONS for a in questions(p)]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    assert not repeated, f"question keys used more than once: {repeated}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_number_answers_are_computed_not_typed(path):
    for asked in questions(path):
        if asked.kind == "Number":
            assert asked.answer is not None, f"{path.name}: {asked.key} has no answer"
            assert not is_literal_number(asked.answer), (
                f"{path.name}: {asked.key} types its answer; compute it with the library instead"
            )
