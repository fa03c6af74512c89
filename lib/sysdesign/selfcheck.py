"""Check your exercise notebook from inside it, as ``sysdesign check`` does in a terminal.

In the last cell of an exercise notebook::

    from sysdesign.selfcheck import check
    check()                      # or check("exercises/ps01_estimation/ps01_estimation.ipynb")

or, after ``%load_ext sysdesign.selfcheck``, the one-liner ``%check`` (``%check PATH`` too).

It grades the **saved** file with the hidden tests (in a temporary course; the notebook is not
changed) and shows the score per part, the hint of each failing test, never the hidden test
code, and the model answer of every part you have attempted or passed (for a part graded by a
person, the model answer and the grading guide, to grade yourself). Results go to your progress
(:mod:`sysdesign.progress`), which the course map in lesson 00 shows.

Which file: the path given, else the notebook this kernel was started for (JupyterLab and
Jupyter Server tell the kernel in ``JPY_SESSION_NAME``, which ipykernel copies to ``__session__``).

Unsaved changes: the kernel knows what you *ran*, not what is in the editor. So the check
compares each answer function you ran last (from the kernel's ``In`` history) with the saved
answer cell, and warns when they differ (you ran an edit and did not save). An edit you have
neither run nor saved cannot be seen. JupyterLab saves every 120 s by default; Ctrl+S saves now.

While nbgrader grades the notebook (``NBGRADER_EXECUTION`` is set), ``check()`` does nothing,
so grading never runs itself recursively.
"""

from __future__ import annotations

import html
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["SelfCheck", "check", "load_ipython_extension", "notebook_path", "unsaved_answers"]

_DEF = re.compile(r"^def\s+([A-Za-z_]\w*)\s*\(", re.MULTILINE)


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return None
    return get_ipython()


def notebook_path(path: str | os.PathLike[str] | None = None) -> Path | None:
    """The notebook to check: ``path``, else the kernel's own notebook (``__session__``), else None."""
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a notebook's path (a string), got {path!r}")
        return Path(path).expanduser().resolve()
    shell = _shell()
    session = (shell.user_ns.get("__session__") if shell is not None else None) or os.environ.get(
        "JPY_SESSION_NAME"
    )
    if session and str(session).endswith(".ipynb"):
        return Path(str(session)).expanduser().resolve()
    return None


def unsaved_answers(saved: dict[str, Any], history: Sequence[str]) -> list[str]:
    """Answer functions whose last run (in ``history``, oldest first) differs from the saved cell.

    ``saved`` is the notebook as JSON; only nbgrader answer cells are compared.
    """
    from sysdesign.nbgrading.parts import cells, nbgrader_meta, source

    stale = []
    for cell in cells(saved):
        meta = nbgrader_meta(cell)
        if cell.get("cell_type") != "code" or not meta.get("solution"):
            continue
        text = source(cell).strip()
        for name in _DEF.findall(text):
            ran = next((h for h in reversed(history) if re.search(rf"^def\s+{name}\s*\(", h, re.M)), None)
            if ran is not None and ran.strip() != text:
                stale.append(name)
    return stale


@dataclass
class SelfCheck:
    """The outcome of :func:`check`: shown as an HTML table in a notebook, as text elsewhere."""

    path: Path | None
    report: Any = None  # sysdesign.nbgrading.report.Report
    answers: list[Any] = field(default_factory=list)  # reveal.ModelAnswer
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    skipped: str = ""
    seconds: float = 0.0

    @property
    def score(self) -> tuple[float, float]:
        """(autograded points scored, autograded points possible); (0, 0) when nothing was graded."""
        return (self.report.auto_score, self.report.auto_max) if self.report else (0.0, 0.0)

    def _repr_html_(self) -> str:
        from sysdesign.nbgrading.reveal import reveal_html

        out = [
            "<div class='sd-selfcheck'><style>.sd-selfcheck-table td, .sd-selfcheck-table th "
            "{text-align: left; vertical-align: top; padding: 2px 10px}"
            " .sd-selfcheck-table td:nth-child(-n+4) {white-space: nowrap}</style>"
        ]
        for w in self.warnings:
            out.append(f"<p class='sd-selfcheck-warning' style='color:#9a6700'>⚠ {html.escape(w)}</p>")
        if self.skipped or self.error:
            colour = "#b00020" if self.error else "#555"
            out.append(f"<p style='color:{colour}'>{html.escape(self.error or self.skipped)}</p></div>")
            return "".join(out)
        r = self.report
        rows = []
        for p in r.parts:
            if p.score is None:
                score, mark = f"manual / {p.max_score:g}", "graded by a person"
            else:
                score = f"{p.score:g} / {p.max_score:g}"
                mark = "✔" if p.score >= p.max_score else "✘"
            hints = "<br>".join(html.escape(m) for m in p.messages)
            rows.append(
                f"<tr><td>Part {p.part.letter}</td><td>{html.escape(p.part.title)}</td>"
                f"<td>{score}</td><td>{mark}</td><td>{hints}</td></tr>"
            )
        total = f"Total (autograded): {r.auto_score:g} / {r.auto_max:g}"
        if r.manual_max:
            total += f"; {r.manual_max:g} more points are graded by a person"
        out.append(
            f"<p><b>{html.escape(r.assignment)}</b>: {html.escape(str(self.path))} (saved file)</p>"
            "<table class='sd-table sd-selfcheck-table'><tr><th>part</th><th>title</th><th>score</th>"
            f"<th></th><th>hint</th></tr>{''.join(rows)}</table><p><b>{total}</b></p>"
        )
        out.append(reveal_html(self.answers, len(r.parts)))
        out.append("</div>")
        return "".join(out)

    def __repr__(self) -> str:
        if self.skipped or self.error:
            return "\n".join([*(f"warning: {w}" for w in self.warnings), self.error or self.skipped])
        import io

        from sysdesign.cli import print_report
        from sysdesign.nbgrading.reveal import reveal_text

        buf = io.StringIO()
        for w in self.warnings:
            print(f"warning: {w}", file=buf)
        print_report(self.report, self.path or Path("?"), self.seconds, buf)
        print(reveal_text(self.answers, len(self.report.parts)), file=buf)
        return buf.getvalue().rstrip()


def check(path: str | os.PathLike[str] | None = None, *, timeout: int | None = None) -> SelfCheck:
    """Grade the saved copy of this notebook (or ``path``) and return what to show; see the module doc."""
    if os.environ.get("NBGRADER_EXECUTION"):
        return SelfCheck(None, skipped="(self-check skipped: nbgrader is grading this notebook)")
    target = notebook_path(path)
    if target is None:
        return SelfCheck(
            None,
            skipped="Could not tell which notebook this is (the kernel was not started by JupyterLab). "
            "Save it, then pass its path: check('exercises/ps01_estimation/ps01_estimation.ipynb').",
        )
    from sysdesign import progress
    from sysdesign.nbgrading import GradingError
    from sysdesign.nbgrading.check import check as grade
    from sysdesign.nbgrading.course import course_root, identify
    from sysdesign.nbgrading.parts import load_notebook
    from sysdesign.nbgrading.reveal import revealed

    result = SelfCheck(target)
    if not target.is_file():
        result.error = (
            f"Could not find {target}. Was the notebook renamed or moved after its kernel started? "
            "Pass its path: check('exercises/<set>/<notebook>.ipynb'), or restart the kernel."
        )
        return result
    try:
        saved = load_notebook(target)
        shell = _shell()
        history = list(shell.user_ns.get("In", [])) if shell is not None else []
        stale = unsaved_answers(saved, history)
        if stale:
            result.warnings.append(
                "Unsaved changes: the " + ", ".join(f"{n}()" for n in stale) + " you ran differs from the "
                "saved file, and the check grades the saved file. Save (Ctrl+S) and check again."
            )
        root = course_root()
        name, stem = identify(saved, target, root)
        start = time.perf_counter()
        result.report = grade(target, timeout=timeout)
        result.seconds = time.perf_counter() - start
        result.answers = revealed(target, result.report, root, stem)
    except GradingError as exc:
        result.error = f"Could not check {target}: {exc}"
        return result
    try:
        progress.record_check(
            name,
            stem,
            [
                {"part": p.part.letter, "score": p.score, "max_score": p.max_score}
                for p in result.report.parts
                if p.score is not None
            ],
        )
    except OSError as exc:
        result.warnings.append(f"progress not saved: {exc}")
    return result


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext sysdesign.selfcheck`` registers ``%check [PATH]``."""

    def _check_magic(line: str) -> SelfCheck:
        return check(line.strip() or None)

    ipython.register_magic_function(_check_magic, "line", "check")
