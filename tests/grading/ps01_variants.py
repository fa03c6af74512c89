"""Learner copies of ps01_estimation for the grading tests: filled in, wrong, and hostile.

Every variant starts from the released exercise (what a learner gets) with the solution's answers
pasted in, then changes one thing. ``EXPECTED`` says which parts each variant must lose.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SET = "ps01_estimation"
SOLUTION = ROOT / "solutions" / SET / f"{SET}.ipynb"
RELEASE = ROOT / "exercises" / SET / f"{SET}.ipynb"

Notebook = dict[str, Any]


def load(path: Path) -> Notebook:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict[str, Any]) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def cell(nb: Notebook, grade_id: str) -> dict[str, Any]:
    for c in nb["cells"]:
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return c
    raise KeyError(grade_id)


def solution_body(grade_id: str, solution: Path = SOLUTION) -> str:
    """The solution cell's source without the solution markers (what a learner would type)."""
    text = source(cell(load(solution), grade_id))
    return re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", "", text, flags=re.MULTILINE)


def filled(
    solution: Path = SOLUTION, release: Path = RELEASE, answers: dict[str, str] | None = None
) -> Notebook:
    """The released notebook with every answer cell filled in: correctly, or from ``answers``
    (grade_id -> source)."""
    nb = load(release)
    for c in nb["cells"]:
        grade_id = c.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("answer-"):
            c["source"] = (answers or {}).get(grade_id) or solution_body(grade_id, solution)
    return nb


def with_answer(nb: Notebook, slug: str, new_source: str) -> Notebook:
    nb = copy.deepcopy(nb)
    cell(nb, f"answer-{slug}")["source"] = new_source
    return nb


def prepend(nb: Notebook, slug: str, lines: str) -> Notebook:
    """Put ``lines`` before the (correct) answer of part ``slug``."""
    return with_answer(nb, slug, lines.rstrip("\n") + "\n" + source(cell(nb, f"answer-{slug}")))


def variants() -> dict[str, tuple[Notebook, set[str]]]:
    """name -> (notebook, letters of the parts it must score 0 on); every other part scores full marks."""
    good = filled()
    out: dict[str, tuple[Notebook, set[str]]] = {}
    # One honest mistake: egress without the views (a factor of 40 too small).
    out["wrong_egress"] = (
        with_answer(
            good, "egress", "def egress(bytes_per_day, views_per_photo):\n    return bytes_per_day / 86_400\n"
        ),
        {"F"},
    )
    # An answer cell that never ends: the cell is interrupted, its function is never defined. It waits
    # rather than spins: nbgrader's timeout interrupts both alike (SIGINT, then KeyboardInterrupt), and a
    # spinning loop would burn the whole timeout of CPU that the other tests running beside it need.
    out["endless_loop"] = (
        prepend(good, "daily-storage", "import time\nwhile True:\n    time.sleep(1)"),
        {"C"},
    )
    # sys.exit() at the top of one answer cell, and inside the function of another.
    exiting = prepend(good, "ingress", "import sys\nsys.exit()")
    exiting = with_answer(
        exiting,
        "concurrent",
        "def concurrent_connections(dau, online_fraction):\n    import sys\n    sys.exit(0)\n",
    )
    out["sys_exit"] = (exiting, {"E", "G"})
    # A locked test cell replaced by `pass`, with a wrong answer behind it: nbgrader restores the test.
    edited = with_answer(
        good, "average-qps", "def average_qps(dau, uploads_per_user_per_day):\n    return 1.0\n"
    )
    cell(edited, "test-average-qps")["source"] = "pass"
    out["edited_test"] = (edited, {"A"})
    # The grading helpers replaced by no-ops, and a wrong answer that only they would have let through.
    patched = with_answer(
        good,
        "peak-qps",
        "import sysdesign.grading\n"
        "sysdesign.grading.check_close = lambda *args, **kwargs: None\n"
        "sysdesign.grading.require_genuine = lambda *args, **kwargs: None\n"
        "grading.check_whole = lambda *args, **kwargs: None\n"
        "def peak_qps(average, peak_factor):\n    return average\n",
    )
    out["patched_grading"] = (patched, {"B"})
    # The library patched to hand back the scenario's answers: right on the scenario, wrong elsewhere.
    library = prepend(
        good,
        "average-qps",
        "estimate.traffic = lambda *args, **kwargs: estimate.Traffic(80e6, 925.9259, 2314.8)",
    )
    library = prepend(library, "servers", "math.ceil = lambda x: 215")
    out["patched_library"] = (library, {"A", "H"})
    # A deleted test cell.
    deleted = copy.deepcopy(good)
    deleted["cells"] = [
        c
        for c in deleted["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != "test-ingress"
    ]
    deleted = with_answer(deleted, "ingress", "def ingress(bytes_per_day):\n    return 0\n")
    out["deleted_test"] = (deleted, {"E"})
    return out
