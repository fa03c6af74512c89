"""The learner's progress: answers to the lessons' questions and problem-set results, kept locally.

One JSON file, ``progress.json``, in ``platformdirs.user_data_dir("sysdesign")`` (on Linux
``~/.local/share/sysdesign``), or in ``$SYSDESIGN_DATA_DIR`` when that is set (tests use it).
Never in the repository. Writes replace the file atomically. ``reset()`` forgets everything.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from .questions import lesson_of

if TYPE_CHECKING:
    import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
"""The course folder (the repository) the lessons and problem sets are read from."""
MISTAKE_LESSON = "08"
"""The lesson whose mistake quizzes (``widgets.framework.mistake_quiz``) count as its questions."""
_QUIZ = re.compile(r"\bmistake_quiz\(\s*[\"']([a-z0-9_]+)[\"']")
_ASKED = re.compile(r"\b(?:Number|Choice|Order|Prediction)\(\s*[\"'](\d\d\.[a-z0-9][a-z0-9_-]*)[\"']")

__all__ = [
    "answers",
    "data_dir",
    "lesson_table",
    "load",
    "path",
    "problem_set_table",
    "questions_in",
    "record_answer",
    "record_check",
    "reset",
    "results",
]

_EMPTY: dict[str, Any] = {"version": 1, "questions": {}, "problem_sets": {}}


def data_dir() -> Path:
    """The folder of the store: ``$SYSDESIGN_DATA_DIR`` if set, else the user's data folder for sysdesign."""
    override = os.environ.get("SYSDESIGN_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("sysdesign", appauthor=False))


def path() -> Path:
    """The store's file."""
    return data_dir() / "progress.json"


def load() -> dict[str, Any]:
    """The whole store (an empty one when the file is missing or unreadable)."""
    try:
        data = json.loads(path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return json.loads(json.dumps(_EMPTY))
    if not isinstance(data, dict) or data.get("version") != 1:
        return json.loads(json.dumps(_EMPTY))
    data.setdefault("questions", {})
    data.setdefault("problem_sets", {})
    return data


def _save(data: dict[str, Any]) -> None:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".progress-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, sort_keys=True)
    os.replace(tmp, path())


def record_answer(key: str, correct: bool | None, response: str = "") -> dict[str, Any]:
    """Record one committed answer to question ``key`` ("NN.slug"); ``correct`` None for a prediction.

    A question once answered right stays right; ``tries`` counts the commits. Returns the entry.
    """
    lesson_of(key)
    if correct is not None and not isinstance(correct, bool):
        raise TypeError(f"correct must be True, False or None, got {correct!r}")
    data = load()
    entry = data["questions"].get(key, {"right": False, "tries": 0})
    entry["tries"] = int(entry.get("tries", 0)) + 1
    entry["right"] = bool(entry.get("right")) or correct is True
    entry["answered"] = True
    entry["last"] = str(response)[:500]
    entry["at"] = time.time()
    data["questions"][key] = entry
    _save(data)
    return entry


def answers() -> dict[str, dict[str, Any]]:
    """Every recorded question, by key."""
    return dict(load()["questions"])


_SET = re.compile(r"^[A-Za-z0-9_.-]+$")


def record_check(problem_set: str, notebook: str, parts: list[dict[str, Any]]) -> None:
    """Record a check of ``notebook`` in ``problem_set``.

    ``parts`` are dicts with ``part``, ``score`` and ``max_score``.

    The best score of each part is kept.
    """
    for name, value in (("problem_set", problem_set), ("notebook", notebook)):
        if not isinstance(value, str) or not _SET.match(value):
            raise ValueError(
                f"{name} must be a folder or file name (letters, digits, '_', '-', '.'), got {value!r}"
            )
    data = load()
    book = data["problem_sets"].setdefault(problem_set, {}).setdefault(notebook, {})
    for part in parts:
        name = str(part["part"])
        score, top = float(part["score"]), float(part["max_score"])
        old = book.get(name, {})
        best = max(score, float(old.get("score", 0.0)))
        book[name] = {"score": best, "max_score": top, "passed": top > 0 and best >= top, "at": time.time()}
    _save(data)


def results() -> dict[str, dict[str, dict[str, Any]]]:
    """Problem-set results: set -> notebook -> part -> {score, max_score, passed}."""
    return dict(load()["problem_sets"])


def reset() -> None:
    """Forget all progress (delete the store's file)."""
    try:
        path().unlink()
    except FileNotFoundError:
        pass


def questions_in(notebook: Path) -> set[str]:
    """Keys of the checked questions a lesson asks: first arguments of ``Number(...)``, ``Choice(...)``,
    ``Order(...)`` and ``Prediction(...)`` written as string literals in its code cells, and
    ``"08.<key>"`` for each ``mistake_quiz("<key>")``."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    found: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            text = "".join(src) if isinstance(src, list) else src
            found.update(_ASKED.findall(text))
            found.update(f"{MISTAKE_LESSON}.{key}" for key in _QUIZ.findall(text))
    return found


def lesson_table(root: Path = ROOT) -> pd.DataFrame:
    """Per lesson: its questions, how many were answered and how many answered right."""
    import pandas as pd

    from .course import LESSONS

    done = answers()
    rows = []
    for lesson in LESSONS:
        number = lesson.slug[:2]
        keys = questions_in(root / lesson.path) | {k for k in done if k.startswith(number + ".")}
        rows.append(
            (
                lesson.slug,
                lesson.title,
                len(keys),
                sum(1 for k in keys if done.get(k, {}).get("answered")),
                sum(1 for k in keys if done.get(k, {}).get("right")),
            )
        )
    return pd.DataFrame(rows, columns=["lesson", "title", "questions", "answered", "right"])


def problem_set_table(root: Path = ROOT) -> pd.DataFrame:
    """Per problem-set notebook: its autograded parts and how many passed in a self-check."""
    import pandas as pd

    from .nbgrading.parts import parts

    done = results()
    rows = []
    for notebook in sorted((root / "solutions").glob("*/*.ipynb")):
        name, stem = notebook.parent.name, notebook.stem
        auto = [p.letter for p in parts(json.loads(notebook.read_text(encoding="utf-8"))) if p.tests]
        mine = done.get(name, {}).get(stem, {})
        passed = sum(1 for letter in auto if mine.get(letter, {}).get("passed"))
        rows.append((name, stem, len(auto), passed, bool(mine)))
    return pd.DataFrame(rows, columns=["problem_set", "notebook", "parts", "passed", "checked"])
