"""Write and tidy notebooks: build one from cells, refresh navigation links, strip outputs.

    python scripts/nbtools.py nav      # rewrite the previous/next links of every lesson
    python scripts/nbtools.py strip    # strip outputs and execution counts everywhere

Lessons carry two markdown cells tagged ``nav`` (second and last cell); ``nav`` rewrites them
from the course map in ``sysdesign.course``, as the Python Data Science Handbook does.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from sysdesign import course  # noqa: E402

Cell = tuple[str, str] | tuple[str, str, list[str]]


def build(path: Path | str, cells: Iterable[Cell]) -> Path:
    """Write a notebook from ``(kind, source[, tags | nbgrader])`` tuples, kind "md" or "code"; outputs empty.

    The third item is a list of tags, or a dict of ``nbgrader_metadata`` arguments for a problem set's cell.
    """
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in cells:
        kind, source, extra = (*cell, [])[:3] if len(cell) == 2 else cell  # type: ignore[misc]
        new = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        made = new(source.strip("\n"))
        if isinstance(extra, dict):
            made.metadata["nbgrader"] = nbgrader_metadata(**extra)
        elif extra:
            made.metadata["tags"] = list(extra)
        nb.cells.append(made)
    path = Path(path)
    nbformat.write(_clean_ids(nb, path.stem), path)
    return path


def nbgrader_metadata(
    grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False, points: float = 0
) -> dict:
    """nbgrader cell metadata (schema 3). For a problem set's cells:

    * locked text or setup: ``{"grade_id": "setup", "locked": True}``
    * answer: ``{"grade_id": "answer-x", "solution": True}``
    * autograded test: ``{"grade_id": "test-x", "grade": True, "locked": True, "points": 2}``
    * manually graded written answer (markdown):
      ``{"grade_id": "answer-y", "grade": True, "solution": True, "points": 3}``
    """
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    meta["task"] = False
    if grade:
        meta["points"] = points
    return meta


def _clean_ids(nb: nbformat.NotebookNode, stem: str) -> nbformat.NotebookNode:
    """Stable cell ids so rebuilding a notebook gives the same file."""
    for i, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell["id"] = grade_id or f"{stem[:20]}-{i:03d}".replace("_", "-")
    return nb


def nav_markdown(slug: str) -> str:
    """Previous / course map / next links for a lesson."""
    before, after = course.neighbours(slug)
    left = f"[← {before.title}]({before.slug}.ipynb)" if before else ""
    right = f"[{after.title} →]({after.slug}.ipynb)" if after else ""
    return " | ".join(part for part in (left, "[Course map](00_welcome.ipynb)", right) if part)


def refresh_nav(folder: Path = ROOT / "notebooks", write: bool = True) -> list[Path]:
    """Rewrite every ``nav``-tagged cell of every lesson in ``folder``; return the files changed.

    With ``write=False`` (a dry run) nothing is written: the files that would change are returned.
    """
    changed = []
    for lesson in course.LESSONS:
        path = folder / f"{lesson.slug}.ipynb"
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        text = nav_markdown(lesson.slug)
        touched = False
        for cell in nb.cells:
            if "nav" in cell.metadata.get("tags", []) and cell.source != text:
                cell.source, touched = text, True
        if touched:
            if write:
                nbformat.write(nb, path)
            changed.append(path)
    return changed


def strip(paths: Iterable[Path]) -> None:
    """Remove outputs and execution counts in place."""
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, path)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "nav":
        for p in refresh_nav():
            print("updated", p.relative_to(ROOT))
    elif command == "strip":
        strip(p for p in ROOT.glob("*/**/*.ipynb") if ".venv" not in p.parts)
    else:
        sys.exit(__doc__)
