"""The library's docstring examples, one test per module (run with the rest of the suite, in parallel)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest
import sysdesign

MODULES = sorted(m.name for m in pkgutil.walk_packages(sysdesign.__path__, "sysdesign."))


def test_every_module_is_found():
    assert {"sysdesign.estimate", "sysdesign.nbgrading.sandbox", "sysdesign.widgets.question"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = doctest.testmod(importlib.import_module(name), report=False)
    assert result.failed == 0, capsys.readouterr().out
