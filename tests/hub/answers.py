"""Answers for ps01 written into the notebook a student fetched from the hub (not the repo's copy).

Reuses tests/grading/ps01_variants.py: the correct answer of every part is the solution's cell body,
and the one wrong answer is that module's ``wrong_egress`` mistake (part F, egress without the views).
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "grading"))
sys.path.insert(0, str(ROOT / "deploy"))

import ps01_variants  # noqa: E402
from sysdesign.nbgrading.parts import graded_points  # noqa: E402
from sysdesign.nbgrading.parts import parts as notebook_parts  # noqa: E402

ASSIGNMENT = ps01_variants.SET  # "ps01_estimation"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"  # where fetch puts it, relative to the student's home
WRONG_PART = "F"


def answered(nb: dict[str, Any]) -> dict[str, Any]:
    """``nb`` with every answer cell holding the solution's answer."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("answer-"):
            cell["source"] = ps01_variants.solution_body(grade_id)
    return nb


def wrong_egress_source() -> str:
    nb, lost = ps01_variants.variants()["wrong_egress"]
    assert lost == {WRONG_PART}
    return ps01_variants.source(ps01_variants.cell(nb, "answer-egress"))


def one_part_wrong(nb: dict[str, Any]) -> dict[str, Any]:
    """``nb`` answered correctly except part F."""
    nb = answered(nb)
    ps01_variants.cell(nb, "answer-egress")["source"] = wrong_egress_source()
    return nb


def points() -> tuple[dict[str, float], dict[str, str]]:
    """(points of each autograded test cell by grade id, part letter of each test cell) from the solution."""
    solution = json.loads(ps01_variants.SOLUTION.read_text(encoding="utf-8"))
    per_cell = graded_points(solution)
    letters = {}
    for part in notebook_parts(solution):
        for grade_id in part.tests:
            letters[grade_id] = part.letter
    return {g: per_cell[g] for g in letters}, letters


def expected_scores() -> tuple[float, float]:
    """(full autograded marks, full marks minus part F's points)."""
    per_cell, letters = points()
    full = sum(per_cell.values())
    lost = sum(p for g, p in per_cell.items() if letters[g] == WRONG_PART)
    return full, full - lost


def total_points() -> float:
    """Every graded cell's points, the manually graded ones included (the feedback's denominator)."""
    solution = json.loads(ps01_variants.SOLUTION.read_text(encoding="utf-8"))
    return sum(graded_points(solution).values())
