"""Feedback pages show no hidden test code: sysdesign.nbgrading.feedback on the course's real test cells.

The end-to-end pages (``nbgrader generate_feedback`` and ``sysdesign check --html`` on graded
submissions) are checked in test_sandbox.py; these tests cover the filter itself, fast.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from sysdesign.nbgrading.feedback import (
    HideHiddenTests,
    count_checks,
    feedback_preprocessors,
    hide_hidden_tests,
    hide_in_cell,
    hide_in_notebook,
)

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = sorted((ROOT / "solutions").glob("*/*.ipynb"))
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)


def text(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_no_hidden_line_survives_in_any_solution_notebook(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    hidden = [
        line.strip()
        for cell in nb["cells"]
        for block in HIDDEN.findall(text(cell))
        for line in block.splitlines()
        if line.strip()
    ]
    assert hidden, f"{path.name} has hidden tests"
    # A line that also appears outside the hidden regions (a lone "})") proves nothing.
    visible = {line.strip() for c in nb["cells"] for line in HIDDEN.sub("", text(c)).splitlines()}
    regions = sum(len(HIDDEN.findall(text(c))) for c in nb["cells"])
    assert hide_in_notebook(nb) == regions
    after = "\n".join(text(c) for c in nb["cells"])
    lines = {line.strip() for line in after.splitlines()}
    assert [line for line in hidden if line in lines and line not in visible] == []
    assert "HIDDEN TESTS" not in after
    assert after.count("# hidden tests: ") == regions


def test_ps01_part_a_block_is_summarised_as_its_three_checks():
    # solutions/ps01_estimation: Part A's hidden block calls _g.check_close three times
    # (average_qps at 40e6 x 2, 1e6 x 0.5 and 3e8 x 12 uploads).
    nb = json.loads((ROOT / "solutions/ps01_estimation/ps01_estimation.ipynb").read_text(encoding="utf-8"))
    cell = next(
        c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "test-average-qps"
    )
    new, regions = hide_hidden_tests(text(cell))
    assert regions == 1
    assert new.splitlines()[-1] == "# hidden tests: 3 checks"
    assert 'grading.check_close("average_qps(86_400, 1)", average_qps(86_400, 1), 1.0)' in new


@pytest.mark.parametrize(
    ("code", "checks"),
    [
        ("assert f(1) == 2", 1),
        ("_g.check_close('a', a(), 1)\n_g.check_labels('b', b(), {}, [])", 2),
        ("import importlib, sysdesign.grading as _g\nimportlib.reload(_g).require_genuine()", 0),
        ("for x in (1, 2, 3):\n    assert f(x) > 0", 1),  # one check written, run three times
        ("this is ( not python", 1),  # counted by lines
    ],
)
def test_count_checks(code, checks):
    assert count_checks(code) == checks


def test_a_failing_hidden_test_keeps_its_message_but_not_its_traceback():
    cell = {
        "cell_type": "code",
        "source": (
            'check(1)\n### BEGIN HIDDEN TESTS\nassert f(7) == 49, "f(7) is wrong"\n### END HIDDEN TESTS'
        ),
        "outputs": [
            {
                "output_type": "error",
                "ename": "AssertionError",
                "evalue": "f(7) is wrong",
                "traceback": [
                    "\x1b[0;31m----> 3\x1b[0m assert f(7) == 49, 'f(7) is wrong'",
                    "AssertionError: f(7) is wrong",
                ],
            }
        ],
    }
    assert hide_in_cell(cell) == 1
    assert cell["source"] == "check(1)\n# hidden tests: 1 check"
    assert cell["outputs"][0]["traceback"] == ["AssertionError: f(7) is wrong"]


def test_cells_without_hidden_tests_are_left_alone():
    cell = {
        "cell_type": "code",
        "source": "x = 1\nraise ValueError('x')",
        "outputs": [
            {
                "output_type": "error",
                "ename": "ValueError",
                "evalue": "x",
                "traceback": ["line 2", "ValueError: x"],
            }
        ],
    }
    before = copy.deepcopy(cell)
    assert hide_in_cell(cell) == 0
    assert cell == before


def test_an_unclosed_region_hides_everything_after_it():
    new, regions = hide_hidden_tests("a()\n### BEGIN HIDDEN TESTS\nassert secret() == 42\nassert other()")
    assert (new, regions) == ("a()\n# hidden tests: 2 checks", 1)


def test_indented_regions_keep_their_indentation():
    new, _ = hide_hidden_tests(
        "if True:\n    ### BEGIN HIDDEN TESTS\n    assert g()\n    ### END HIDDEN TESTS\n"
    )
    assert new == "if True:\n    # hidden tests: 1 check\n"


def test_the_grading_rules_put_the_filter_into_every_feedback_run():
    from nbgrader.preprocessors import GetGrades
    from sysdesign.nbgrading.config import grading_rules
    from traitlets.config import Config

    c = Config()
    grading_rules(c)
    steps = c.GenerateFeedback.preprocessors
    assert steps == feedback_preprocessors()
    assert steps.index(HideHiddenTests) == steps.index(GetGrades) + 1
