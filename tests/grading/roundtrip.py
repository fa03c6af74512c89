"""The round trip of a problem set through nbgrader: the solution scores full marks, blank and wrong zero.

For a set, one temporary course generates the release and autogrades three students in one run:
``solution`` (the release with the model answers typed in), ``blank`` (the release as handed out)
and ``wrong`` (the release with the plausible mistakes of ``wrong/<notebook>.py``, one per
autograded answer cell). Each autograded part must score full marks, zero and zero.

Each set has its own test file, ``test_roundtrip_<set>.py``, which imports the tests below and
builds its course once with :func:`graded_fixture`: a file is one unit of work for
``--dist loadfile``, so the sets spread over the workers instead of pinning one for minutes.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from ps01_variants import ROOT, filled, load
from sysdesign.nbgrading.course import TempCourse
from sysdesign.nbgrading.parts import parts as notebook_parts
from sysdesign.nbgrading.report import Report

# Each test_roundtrip_<set>.py sets this as its own pytestmark.
MARKS = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Object of type:Warning")]

SETS = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir() and any(p.glob("*.ipynb")))
WRONG = Path(__file__).parent / "wrong"


def wrong_answers(stem: str) -> dict[str, str]:
    spec = importlib.util.spec_from_file_location(f"wrong_{stem}", WRONG / f"{stem}.py")
    assert spec and spec.loader, f"tests/grading/wrong/{stem}.py is missing"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.WRONG)


def autograded_answer_ids(nb: dict) -> list[str]:
    """Answer cells of the autograded parts (a part with test cells)."""
    return [a for part in notebook_parts(nb) if part.tests for a in part.answers]


def graded_fixture(name: str):
    """The module fixture ``graded`` of set ``name``: its course, nbgrader's result and the reports."""

    @pytest.fixture(scope="module")
    def graded(tmp_path_factory):
        return _grade(name, tmp_path_factory)

    return graded


def _grade(name: str, tmp_path_factory):
    course = TempCourse([name], folder=tmp_path_factory.mktemp(name), timeout=15)
    course.prepare(name)
    reports = {}
    for stem in course.notebook_names(name):
        source = course.folder / "solutions" / name / f"{stem}.ipynb"
        release = course.folder / "exercises" / name / f"{stem}.ipynb"
        course.submit_json(name, "solution", filled(source, release), as_name=stem)
        course.submit_json(name, "blank", load(release), as_name=stem)
        course.submit_json(name, "wrong", filled(source, release, wrong_answers(stem)), as_name=stem)
    result = course.autograde(name, "*")
    for student in ("solution", "blank", "wrong"):
        for stem in course.notebook_names(name):
            reports[student, stem] = course.report(name, student, [stem])
    return name, course, result, reports


def scores(report: Report) -> dict[str, tuple[float, float]]:
    return {p.part.letter: (p.score, p.max_score) for p in report.parts if p.score is not None}


def test_every_answer_cell_has_a_wrong_answer(graded):
    name, course, *_ = graded
    for stem in course.notebook_names(name):
        nb = load(course.folder / "solutions" / name / f"{stem}.ipynb")
        assert sorted(wrong_answers(stem)) == sorted(autograded_answer_ids(nb)), stem


def test_solution_scores_full_marks_blank_and_wrong_score_zero(graded):
    name, course, result, reports = graded
    assert result["success"], result.get("log", "")[-2000:]
    for stem in course.notebook_names(name):
        solution = scores(reports["solution", stem])
        assert solution and all(got == most > 0 for got, most in solution.values()), (
            stem,
            [(p.part.letter, p.messages) for p in reports["solution", stem].parts if p.messages],
        )
        for student in ("blank", "wrong"):
            report = reports[student, stem]
            assert all(got == 0 for got, _ in scores(report).values()), (student, stem, scores(report))
            for part in report.parts:
                if part.score is not None:
                    assert part.messages, (student, stem, part.part.letter)


def test_wrong_answers_get_messages_that_are_not_tracebacks(graded):
    name, course, _, reports = graded
    for stem in course.notebook_names(name):
        for part in reports["wrong", stem].parts:
            for message in part.messages:
                assert "Traceback" not in message and "NotImplementedError" not in message, (stem, message)
