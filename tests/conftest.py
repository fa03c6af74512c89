"""Session-wide test set-up: Jupyter and IPython state and the progress store out of the home folder,
hypothesis profiles, and the order in which two xdist workers take the tests.

Property tests run derandomized by default (`make test`: the same examples on every run, no example
database). `HYPOTHESIS_PROFILE=random` (`make test-random`) draws new examples each run instead.

`make test` runs `--dist loadgroup --no-loadscope-reorder`: every test file is one unit of work (a
notebook's cells, or tests sharing a module fixture, stay on one worker), except tests that name
their own ``xdist_group`` (the round trip of one problem set) and browser tests that share nothing
but the worker's JupyterLab (each is a unit). Units are handed out longest first (browser and slow
tests before the quick library tests), so no worker starts a long file at the end.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

_state = Path(tempfile.mkdtemp(prefix="sysdesign-test-"))
for _var, _sub in {
    "IPYTHONDIR": "ipython",
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_DATA_DIR": "jupyter-data",
    "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
    "SYSDESIGN_DATA_DIR": "sysdesign-data",  # the learner's progress store (answers, self-checks)
}.items():
    (_state / _sub).mkdir(parents=True, exist_ok=True)
    os.environ[_var] = str(_state / _sub)
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

settings.register_profile("deterministic", derandomize=True, database=None)
# print_blob: a failure prints the @reproduce_failure line that replays it under the default profile.
settings.register_profile("random", derandomize=False, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


# Rough seconds per test, to order the units longest first (the order only; nothing is asserted).
_COST_BROWSER, _COST_SLOW, _COST_NOTEBOOK_CELL, _COST_OTHER = 25.0, 8.0, 0.15, 0.02


# Session fixtures of tests/browser/conftest.py: each worker starts its own JupyterLab anyway, so a
# browser test that needs nothing wider than these can run on either worker, as a unit of its own.
_PER_WORKER = {"lab_dir", "lab", "browser", "tmp_path_factory"}


def _group(item: pytest.Item) -> str:
    mark = item.get_closest_marker("xdist_group")
    if mark is not None:
        return str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
    if isinstance(item, pytest.Function) and item.get_closest_marker("browser"):
        scopes = {name: defs[-1].scope for name, defs in item._fixtureinfo.name2fixturedefs.items()}
        if all(scope == "function" or name in _PER_WORKER for name, scope in scopes.items()):
            return item.nodeid
    return item.nodeid.split("::")[0]


def _cost(item: pytest.Item) -> float:
    if item.get_closest_marker("browser"):
        return _COST_BROWSER
    if item.get_closest_marker("slow"):
        return _COST_SLOW
    return _COST_OTHER if isinstance(item, pytest.Function) else _COST_NOTEBOOK_CELL


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """One xdist group per file (unless a test names its own), groups ordered by cost, longest first."""
    groups: dict[str, list[pytest.Item]] = {}
    for item in items:
        name = _group(item)
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(name))
        groups.setdefault(name, []).append(item)
    cost = {name: sum(_cost(i) for i in members) for name, members in groups.items()}
    items[:] = [item for name in sorted(groups, key=lambda n: -cost[n]) for item in groups[name]]
