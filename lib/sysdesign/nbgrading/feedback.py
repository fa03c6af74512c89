"""Feedback without hidden tests: what a student sees shows each test's visible part, score and failure
message, and in place of the hidden test code one line, ``# hidden tests: 3 checks``.

nbgrader strips hidden tests (``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS``) from the
release, but autograde restores them from the gradebook, and its feedback page (``nbgrader
generate_feedback``, the Formgrader's button, ``sysdesign check --html``) prints them in full,
with the expected values (nbgrader#917, #1363). :class:`HideHiddenTests` is a preprocessor of
``GenerateFeedback`` (set by :func:`feedback_rules`, which ``grading_rules`` calls) that replaces
each hidden region by that line, and a failing hidden test's traceback (whose context lines quote
the hidden code) by its one-line error, ``AssertionError: <the check's message>``.

>>> print(hide_hidden_tests('check(1)\\n### BEGIN HIDDEN TESTS\\ncheck_close("a", a(), 2)\\nassert b()\\n'
...                         '### END HIDDEN TESTS')[0])
check(1)
# hidden tests: 2 checks
"""

from __future__ import annotations

import ast
import re
from typing import Any

from nbgrader.converters.generate_feedback import GenerateFeedback
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor

BEGIN, END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def count_checks(code: str) -> int:
    """How many checks ``code`` makes: ``assert`` statements and calls of a ``check...`` function.

    Code that does not parse counts its non-blank lines that are not comments or imports.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return sum(
            1
            for line in code.splitlines()
            if line.strip() and not line.lstrip().startswith(("#", "import ", "from "))
        )
    found = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            found += 1
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            found += name.startswith("check")
    return found


def hide_hidden_tests(source: str) -> tuple[str, int]:
    """``source`` with each hidden test region replaced by one ``# hidden tests: N checks`` line.

    Returns the new source and the number of regions replaced. A region left open (no END line)
    hides everything after its BEGIN line.
    """
    kept: list[str] = []
    hidden: list[str] | None = None
    regions = 0

    def close(block: list[str], indent: str) -> None:
        n = count_checks(
            "\n".join(line[len(indent) :] if line.startswith(indent) else line for line in block)
        )
        kept.append(f"{indent}# hidden tests: {n} check{'' if n == 1 else 's'}")

    indent = ""
    for line in source.split("\n"):
        if hidden is None and BEGIN in line:
            hidden, regions = [], regions + 1
            indent = line[: len(line) - len(line.lstrip())]
        elif hidden is not None and END in line:
            close(hidden, indent)
            hidden = None
        elif hidden is not None:
            hidden.append(line)
        else:
            kept.append(line)
    if hidden is not None:
        close(hidden, indent)
    return "\n".join(kept), regions


def hide_in_notebook(nb: Any) -> int:
    """Hide every hidden test region of notebook ``nb`` (a dict or NotebookNode) in place; return how many."""
    total = 0
    for cell in nb.get("cells", []):
        total += hide_in_cell(cell)
    return total


def hide_in_cell(cell: Any) -> int:
    """Hide the hidden test regions of one cell, and its tracebacks when it had any (they quote the code)."""
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    if BEGIN not in text:
        return 0
    new, regions = hide_hidden_tests(text)
    cell["source"] = new
    for out in cell.get("outputs", []) or []:
        if out.get("output_type") == "error":
            ename, evalue = str(out.get("ename", "")), _ANSI.sub("", str(out.get("evalue", "")))
            out["traceback"] = [f"{ename}: {evalue}" if evalue else ename]
    return regions


class HideHiddenTests(NbGraderPreprocessor):  # type: ignore[misc]
    """Replace hidden test code (and the tracebacks that quote it) by ``# hidden tests: N checks``."""

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        hide_in_cell(cell)
        return cell, resources


def feedback_preprocessors() -> list[type]:
    """nbgrader's feedback steps with :class:`HideHiddenTests` right after the scores are read."""
    steps = list(GenerateFeedback.class_traits()["preprocessors"].default())
    if HideHiddenTests not in steps:
        steps.insert(steps.index(GetGrades) + 1 if GetGrades in steps else 0, HideHiddenTests)
    return steps


def feedback_rules(c: Any) -> None:
    """Make every feedback page of nbgrader config ``c`` hide the hidden tests."""
    c.GenerateFeedback.preprocessors = feedback_preprocessors()
