"""House style of the problem sets, read from the notebooks themselves (no kernel, no nbgrader run).

Source of the rules: DESIGN.md "Exercises" (locked heading with points per part, answer cell with a
docstring and solution markers, a "try it" cell, test cells that open with a one-line
docstring, one visible check, hidden tests, relative tolerance) and the hardening described in
sysdesign.grading (hidden blocks reload the helpers and compute expected values inline).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from sysdesign.nbgrading.parts import PART_HEADING, graded_points
from sysdesign.nbgrading.parts import parts as notebook_parts

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "solutions").glob("*/*.ipynb"))
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
BOOTSTRAP = "import importlib, sysdesign.grading as _g\nimportlib.reload(_g).require_genuine()"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def text(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def graded_code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if meta(c).get("grade") and c["cell_type"] == "code"]


SETS = sorted({p.parent.name for p in SOURCES})


def test_the_seven_problem_sets_exist():
    assert SETS == [
        "ps01_estimation",
        "ps02_requirements_api",
        "ps03_architecture_deep_dive",
        "ps04_tradeoffs",
        "ps05_warmup",
        "ps06_core",
        "ps07_advanced",
    ]
    for name in SETS[:4]:  # a framework set is one notebook named after it
        assert [p.stem for p in SOURCES if p.parent.name == name] == [name]


def test_the_14_practice_problems_have_a_notebook_each():
    from sysdesign import framework

    stems = {p.stem for p in SOURCES if p.parent.name in ("ps05_warmup", "ps06_core", "ps07_advanced")}
    assert len(stems) == len(framework.PROBLEMS) == 14


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_points_in_each_heading_equal_the_points_of_its_graded_cells(path):
    nb = load(path)
    points = graded_points(nb)
    parts = notebook_parts(nb)
    assert parts, "no '## Part X: title (N points)' headings"
    for part in parts:
        carried = sum(points[g] for g in (*part.tests, *part.manual))
        assert carried == part.points, (
            f"Part {part.letter}: heading says {part.points}, cells carry {carried}"
        )
    graded = {g for part in parts for g in (*part.tests, *part.manual)}
    assert graded == set(points), "every graded cell sits under a part heading"


def test_ps01_has_eight_autograded_parts_and_a_manual_one():
    parts = notebook_parts(load(ROOT / "solutions/ps01_estimation/ps01_estimation.ipynb"))
    assert len([p for p in parts if p.tests]) >= 8
    manual = [p for p in parts if p.manual and not p.tests]
    assert len(manual) == 1 and manual[0].points > 0


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_headings_are_locked_markdown(path):
    nb = load(path)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and PART_HEADING.match(
            text(cell).splitlines()[0] if text(cell) else ""
        ):
            assert meta(cell).get("locked") is True, text(cell)[:40]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_answer_cells_keep_a_usable_stub(path):
    nb = load(path)
    for i, cell in enumerate(nb["cells"]):
        m = meta(cell)
        if not (m.get("solution") and cell["cell_type"] == "code"):
            continue
        src = text(cell)
        assert "### BEGIN SOLUTION" in src and "### END SOLUTION" in src, m["grade_id"]
        tree = ast.parse(src)
        funcs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
        assert funcs and ast.get_docstring(funcs[0]), f"{m['grade_id']}: a function with a docstring"
        assert src.index("### BEGIN SOLUTION") > src.index('"""'), "the docstring stays in the release"
        after = nb["cells"][i + 1]
        assert after["cell_type"] == "code" and not meta(after), (
            f"{m['grade_id']}: a free 'try it' cell follows"
        )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_test_cells_follow_the_house_style(path):
    for cell in graded_code_cells(load(path)):
        grade_id, src = meta(cell)["grade_id"], text(cell)
        first = src.splitlines()[0]
        assert first.startswith('"""Check that ') and first.endswith('"""'), grade_id
        hidden = HIDDEN.findall(src)
        assert len(hidden) == 1, f"{grade_id}: one hidden block"
        visible = [
            ln
            for ln in HIDDEN.sub("", src).splitlines()[1:]
            if ln.strip() and not ln.lstrip().startswith("#")
        ]
        assert len(visible) == 1 and visible[0].startswith("grading.check_"), f"{grade_id}: one visible check"
        assert hidden[0].startswith(BOOTSTRAP), f"{grade_id}: the hidden block reloads the helpers first"
        body = hidden[0][len(BOOTSTRAP) :]
        assert "grading." not in body, f"{grade_id}: hidden checks use the reloaded _g"
        # Expected values come from literals and operators, never from code the notebook can reach;
        # a simulation runs on a private copy of the library: _g.fresh("sim.quorum").
        assert not re.search(r"\b(estimate|availability|units|math|sysdesign|importlib)\.", body), grade_id
        assert "import " not in body, f"{grade_id}: hidden checks take library code from _g.fresh"
        tree = ast.parse(src)
        assert not any(
            isinstance(n, ast.Compare) and any(isinstance(o, ast.Eq) for o in n.ops) for n in ast.walk(tree)
        )
        last = tree.body[-1]
        if isinstance(last, ast.Expr):  # a test cell must never show a value: nbgrader reads it as a score
            assert isinstance(last.value, ast.Call) and ast.unparse(last.value.func).split(".")[
                -1
            ].startswith("check_")


def test_release_has_no_solutions_and_no_hidden_tests():
    for path in sorted((ROOT / "exercises").glob("*/*.ipynb")):
        raw = path.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in raw and "HIDDEN TESTS" not in raw and "require_genuine" not in raw
        nb = load(path)
        for cell in nb["cells"]:
            if meta(cell).get("solution") and cell["cell_type"] == "code":
                assert "raise NotImplementedError()" in text(cell)


def test_release_files_match_the_sources():
    sources = {p.relative_to(ROOT / "solutions") for p in (ROOT / "solutions").rglob("*") if p.is_file()}
    released = {p.relative_to(ROOT / "exercises") for p in (ROOT / "exercises").rglob("*") if p.is_file()}
    assert sources == released


def test_scenario_is_not_the_chat_app():
    path = ROOT / "solutions/ps01_estimation/ps01_estimation.ipynb"
    setup = text(next(c for c in load(path)["cells"] if meta(c).get("grade_id") == "setup"))
    assert "50e6" not in setup and "DAU = 40e6" in setup


PROBLEM_NOTEBOOKS = sorted((ROOT / "exercises").glob("*/p[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", PROBLEM_NOTEBOOKS, ids=lambda p: p.stem)
def test_each_problem_opens_with_links_to_the_toolbox_lessons_it_relies_on(path):
    from sysdesign import framework

    number = int(path.stem[1:3])
    intro = next(text(c) for c in load(path)["cells"] if meta(c).get("grade_id") == "intro")
    linked = re.findall(r"\]\(\.\./\.\./notebooks/(\d\d_[a-z_]+)\.ipynb\)", intro)
    assert set(framework.TOOLBOX[number]) <= set(linked), intro[-300:]
    for slug in linked:
        assert (path.parent / "../../notebooks" / f"{slug}.ipynb").resolve().is_file(), slug
