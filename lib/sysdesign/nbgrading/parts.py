"""Reading exercise notebooks: the file itself, its ``## Part X: title (N points)`` sections, and the
points of its graded cells. Plain JSON, no nbgrader: the listing, the audit and the tests use it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sysdesign.nbgrading import GradingError

PART_HEADING = re.compile(
    r"^##\s+Part\s+(?P<letter>[A-Z]+):\s*(?P<title>.+?)\s*\((?P<points>\d+(?:\.\d+)?)\s+points?\)\s*$"
)


@dataclass(frozen=True)
class Part:
    """One ``## Part X: title (N points)`` section of an exercise notebook and its graded cells."""

    letter: str
    title: str
    points: float
    tests: tuple[str, ...]  # grade ids of autograded test cells
    manual: tuple[str, ...]  # grade ids of manually graded answer cells
    answers: tuple[str, ...] = ()  # grade ids of the code answer cells the tests exercise


def cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    """The cells of a notebook (an empty list when it has none)."""
    return list(nb.get("cells", []))


def source(cell: dict[str, Any]) -> str:
    """A cell's source as one string (notebooks store it as a string or a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def nbgrader_meta(cell: dict[str, Any]) -> dict[str, Any]:
    """A cell's nbgrader metadata (``grade_id``, ``grade``, ``solution``, ``locked``, ``points``), or {}."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def short(text: str, limit: int = 400) -> str:
    """``text`` on one line, without terminal colours, at most ``limit`` characters."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text).strip()
    text = re.sub(r"\((?:\S*[/\\])?\d+\.py, line (\d+)\)", r"(line \1 of the cell)", text)  # IPython's cells
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def load_notebook(path: Path) -> dict[str, Any]:
    """The notebook as JSON, or a :class:`GradingError` saying what is wrong with the file."""
    if not path.is_file():
        raise GradingError(f"{path}: no such file")
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GradingError(f"{path} is not a notebook: it is not JSON ({short(str(exc), 80)})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or nb.get("nbformat") != 4:
        raise GradingError(f"{path} is not a Jupyter notebook (format 4)")
    return nb


def parts(nb: dict[str, Any]) -> list[Part]:
    """The parts of an exercise notebook, from its headings and the graded cells under each."""
    found: list[Part] = []
    current: dict[str, Any] | None = None

    def close() -> None:
        if current is not None:
            found.append(
                Part(
                    current["letter"],
                    current["title"],
                    current["points"],
                    tuple(current["tests"]),
                    tuple(current["manual"]),
                    tuple(current["answers"]),
                )
            )

    for cell in cells(nb):
        if cell.get("cell_type") == "markdown":
            text = source(cell).strip()
            match = PART_HEADING.match(text.splitlines()[0] if text else "")
            if match:
                close()
                current = {
                    "letter": match["letter"],
                    "title": match["title"],
                    "points": float(match["points"]),
                    "tests": [],
                    "manual": [],
                    "answers": [],
                }
        meta = nbgrader_meta(cell)
        if current is None or not meta.get("grade_id"):
            continue
        if meta.get("grade"):
            current["manual" if meta.get("solution") else "tests"].append(meta["grade_id"])
        elif meta.get("solution") and cell.get("cell_type") == "code":
            current["answers"].append(meta["grade_id"])
    close()
    return found


def graded_points(nb: dict[str, Any]) -> dict[str, float]:
    """Points carried by each graded cell of a notebook, by grade id."""
    return {
        nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c).get("points", 0))
        for c in cells(nb)
        if nbgrader_meta(c).get("grade")
    }
