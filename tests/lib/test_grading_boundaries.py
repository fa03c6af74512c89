"""Boundary checks allow for floating-point rounding, and ``sysdesign audit`` catches a grading helper
patched through an alias and says so in one line when it finds nothing (issue 17, items 4 and 8)."""

from __future__ import annotations

import json
from io import StringIO
from statistics import NormalDist

import pytest
from sysdesign.cli import audit
from sysdesign.grading import audit_source, check_at_least, check_at_most

N = NormalDist()


def test_an_exactly_computed_answer_at_the_boundary_passes():
    tail = 1 - N.cdf(N.inv_cdf(0.999))  # 0.001 in exact arithmetic, 0.0010000000000000009 in floats
    assert tail > 0.001  # the rounding the check must forgive
    check_at_most("share of requests over the limit", tail, 0.001)
    check_at_least("share within the limit", N.cdf(N.inv_cdf(0.999)), 0.999)
    check_at_least("x", 0.1 + 0.2 - 1e-17, 0.30000000000000004)
    check_at_most("cost", 0.1 + 0.2, 0.3)  # 0.30000000000000004


@pytest.mark.parametrize("over", [1e-6, 1e-4, 0.01])
def test_a_real_excess_still_fails(over):
    with pytest.raises(AssertionError, match="it should be at most 0.001"):
        check_at_most("p", 0.001 * (1 + over), 0.001)
    with pytest.raises(AssertionError, match="it should be at least 0.999"):
        check_at_least("q", 0.999 * (1 - over), 0.999)


def test_negative_and_zero_limits():
    check_at_most("delta", -1.0000000000000002, -1)  # rounding on the other side of a negative limit
    check_at_least("delta", -1.0000000000000002, -1)
    with pytest.raises(AssertionError):
        check_at_most("delta", 1e-18, 0)  # relative rounding of 0 is 0: nothing to forgive


@pytest.mark.parametrize(
    "cells",
    [
        ["import sysdesign.grading as g\ng.check_labels = lambda *a, **k: None"],
        [
            "import sysdesign.grading as g",
            "x = 1\ng.check_close = print",
        ],  # alias in one cell, patch in another
        ["from sysdesign import grading as gr", "gr .check_at_most= None"],
        ["import math as m", "m.isclose = lambda *a, **k: True"],
    ],
)
def test_audit_catches_a_helper_patched_through_an_alias(cells, tmp_path):
    path = tmp_path / "sub.ipynb"
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None}
            for c in cells
        ],
    }
    path.write_text(json.dumps(nb), encoding="utf-8")
    out = StringIO()
    assert audit([path], out) == 1
    assert cells[-1].splitlines()[-1].strip() in out.getvalue()


def test_audit_prints_one_line_when_clean(tmp_path):
    path = tmp_path / "clean.ipynb"
    source = "import sysdesign.grading as g\nif g.check_close == 1:\n    pass\nvalue = 3"
    cell = {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
    path.write_text(
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}), encoding="utf-8"
    )
    out = StringIO()
    assert audit([path, path], out) == 0
    assert out.getvalue() == "audit: 2 notebooks, nothing that tampers with grading\n"
    assert audit_source("import numpy as np\nnp.x = 1") == []  # an alias of another library is not ours
