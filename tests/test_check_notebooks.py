"""scripts/check_notebooks.py: passes on the committed notebooks and names each kind of damage."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import check_notebooks  # noqa: E402


def test_the_committed_notebooks_pass():
    assert check_notebooks.problems() == []


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of notebooks/ and of one problem set's solution."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    shutil.copytree(ROOT / "solutions" / "ps01_estimation", tmp_path / "solutions" / "ps01_estimation")
    return tmp_path


def _edit(path: Path, change) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    change(nb)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _first_code(nb: dict) -> dict:
    return next(c for c in nb["cells"] if c["cell_type"] == "code")


def test_a_clean_copy_passes(course):
    assert check_notebooks.problems(course) == []


def test_outputs_counts_and_widget_state_are_found(course):
    lesson = course / "notebooks" / "03_estimation.ipynb"
    solution = course / "solutions" / "ps01_estimation" / "ps01_estimation.ipynb"
    _edit(lesson, lambda nb: _first_code(nb).update(execution_count=3))
    _edit(lesson, lambda nb: nb["metadata"].update(widgets={"state": {}}))
    out = {"output_type": "stream", "name": "stdout", "text": ["hi\n"]}
    _edit(solution, lambda nb: _first_code(nb).update(outputs=[out]))
    found = check_notebooks.problems(course)
    assert len(found) == 3, found
    assert any(
        p.startswith("notebooks/03_estimation.ipynb: cell") and "execution count 3" in p for p in found
    )
    assert any(p.startswith("notebooks/03_estimation.ipynb: the notebook metadata") for p in found)
    assert any(p.startswith("solutions/ps01_estimation/ps01_estimation.ipynb: cell") for p in found)


def test_stale_links_and_missing_nav_cells_are_found(course):
    def stale(nb: dict) -> None:
        nb["cells"][1]["source"] = "[Course map](00_welcome.ipynb) | [Somewhere else →](99_other.ipynb)"

    _edit(course / "notebooks" / "05_architecture.ipynb", stale)
    _edit(course / "notebooks" / "06_deep_dive.ipynb", lambda nb: nb["cells"].pop())
    assert check_notebooks.problems(course) == [
        "notebooks/06_deep_dive.ipynb: nav cells must be the second and last, markdown (found at [1])",
        "notebooks/05_architecture.ipynb: previous/next links are stale (run: python scripts/nbtools.py nav)",
    ]


def test_lessons_must_match_the_course_map(course):
    (course / "notebooks" / "14_news_feed.ipynb").unlink()
    shutil.copy(course / "notebooks" / "12_paste_bin.ipynb", course / "notebooks" / "15_extra.ipynb")
    found = check_notebooks.problems(course)
    assert "notebooks/15_extra.ipynb: not in the course map (sysdesign/course.py LESSONS)" in found
    assert "notebooks/14_news_feed.ipynb: in the course map but missing" in found
