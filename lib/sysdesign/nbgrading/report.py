"""What a graded submission scored, per part, and why each failed test failed, in one line a learner
can act on ("not answered yet", "the cell did not finish within 10 s: an endless loop?").

Scores come from the course's gradebook, the reasons from the outputs of the autograded copy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sysdesign.nbgrading.parts import Part, cells, nbgrader_meta, parts, short

if TYPE_CHECKING:
    from sysdesign.nbgrading.course import TempCourse


@dataclass
class PartScore:
    """The score of one part: ``score`` is None for a part graded by a person."""

    part: Part
    score: float | None
    max_score: float
    messages: list[str] = field(default_factory=list)


@dataclass
class Report:
    """A graded submission: one :class:`PartScore` per part."""

    assignment: str
    student: str
    parts: list[PartScore]

    @property
    def auto_score(self) -> float:
        return sum(p.score or 0.0 for p in self.parts if p.score is not None)

    @property
    def auto_max(self) -> float:
        return sum(p.max_score for p in self.parts if p.score is not None)

    @property
    def manual_max(self) -> float:
        return sum(p.max_score for p in self.parts if p.score is None)

    def by_letter(self) -> dict[str, float | None]:
        return {p.part.letter: p.score for p in self.parts}


def failure_message(outputs: Sequence[dict[str, Any]], timeout: float | None = None) -> str | None:
    """The one-line reason a test cell failed, from its outputs (None if it passed)."""
    for out in outputs:
        if out.get("output_type") == "error":
            ename, evalue = str(out.get("ename", "")), str(out.get("evalue", ""))
            if ename == "AssertionError" and evalue:
                return short(evalue)
            if ename == "NotImplementedError":
                return "not answered yet: the answer cell still raises NotImplementedError"
            if ename == "CellTimeoutError":
                seconds = f" {timeout:g} s" if timeout else ""
                return f"the cell did not finish within{seconds}: an endless loop?"
            if ename == "NameError":
                return short(f"{evalue}: run the answer cell above (and check it has no error)")
            if ename == "KeyboardInterrupt":
                return "the cell was interrupted: it ran too long (an endless loop?)"
            return short(f"{ename}: {evalue}" if evalue else ename)
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = out.get("text", "")
            return short(
                "the test wrote to stderr, which counts as a failure: "
                + ("".join(text) if isinstance(text, list) else text)
            )
    return None


def autograde_failure(result: dict[str, Any]) -> str:
    """One line saying why nbgrader gave up on a submission, from its autograde ``result``."""
    text = f"{result.get('log', '')}\n{result.get('error', '')}"
    if "DeadKernelError" in text or "Kernel died" in text:
        return (
            "grading stopped because the notebook's kernel died (os._exit, a crash, or running out of "
            "memory); remove that code and check again"
        )
    if "partial credit cannot be greater" in text:
        return "grading stopped: a test cell showed a number larger than its points"
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "nbgrader could not grade the notebook: " + short(lines[-1] if lines else "no details", 200)


def read_report(course: TempCourse, name: str, student: str, stems: Sequence[str] | None = None) -> Report:
    """Scores from the gradebook and failure messages from the autograded copy."""
    from nbgrader.api import Gradebook

    stems = list(stems or course.notebook_names(name))
    scores: dict[str, tuple[float | None, float, bool]] = {}
    with Gradebook(course.db_url) as gb:
        for stem in stems:
            for grade in gb.find_submission_notebook(stem, name, student).grades:
                d = grade.to_dict()
                scores[d["name"]] = (d["auto_score"], float(d["max_score"]), bool(d["needs_manual_grade"]))
    result: list[PartScore] = []
    timeout = course.config.Execute.timeout if "timeout" in course.config.Execute else 10
    for stem in stems:
        solution = json.loads(
            (course.folder / "solutions" / name / f"{stem}.ipynb").read_text(encoding="utf-8")
        )
        graded_path = course.folder / "autograded" / student / name / f"{stem}.ipynb"
        graded = (
            json.loads(graded_path.read_text(encoding="utf-8")) if graded_path.exists() else {"cells": []}
        )
        outputs = {
            nbgrader_meta(c).get("grade_id"): c.get("outputs", []) for c in cells(graded) if nbgrader_meta(c)
        }
        # Locked code cells that are not tests (imports, the scenario): if one failed, say so first.
        setup = [
            failure_message(c.get("outputs", []), timeout)
            for c in cells(graded)
            if c.get("cell_type") == "code"
            and nbgrader_meta(c).get("locked")
            and not nbgrader_meta(c).get("grade")
        ]
        setup_error = next((m for m in setup if m), None)
        for part in parts(solution):
            if part.manual and not part.tests:
                result.append(PartScore(part, None, part.points))
                continue
            got, most, messages = 0.0, 0.0, []
            broken = [failure_message(outputs.get(a, []), timeout) for a in part.answers]
            broken = [b for b in broken if b]
            for grade_id in part.tests:
                auto, max_score, _manual = scores.get(grade_id, (None, 0.0, True))
                most += max_score
                got += auto or 0.0
                if not graded_path.exists():
                    messages.append("not graded: nbgrader could not run the notebook to the end")
                elif grade_id not in outputs:
                    messages.append(f"the test cell {grade_id!r} is missing from the notebook")
                elif (auto or 0.0) < max_score:
                    why = failure_message(outputs[grade_id], timeout) or "the test did not pass"
                    if why.startswith("name ") and setup_error:
                        why = f"the first cells (imports, scenario) did not run: {setup_error}"
                    elif why.startswith("name ") and broken:
                        why = f"the answer cell did not run to the end: {broken[0]}"
                    messages.append(why)
            result.append(PartScore(part, got, most, messages))
    return Report(name, student, result)
