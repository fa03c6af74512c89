"""Session-wide test set-up: Jupyter and IPython state and the progress store out of the home folder,
hypothesis profiles, and the order in which the xdist workers take the tests.

Property tests run derandomized by default (`make test`: the same examples on every run, no example
database). `HYPOTHESIS_PROFILE=random` (`make test-random`) draws new examples each run instead.

`make test` runs `--dist loadfile --no-loadscope-reorder`: every file is one unit of work (a
notebook's cells, or tests sharing a module fixture, stay on one worker), handed out in the order
set here: longest first (browser and slow tests before the quick library tests), so no worker
starts a long file at the end. A file that would hold a worker for minutes is better split (the
grading round trips have one file per problem set). (``--dist loadgroup`` would allow finer units,
but pytest-xdist 3.8 cannot add its group to a test's id under pytest 9, so it groups nothing.)
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

_state = Path(tempfile.mkdtemp(prefix="sysdesign-test-"))
atexit.register(shutil.rmtree, _state, ignore_errors=True)  # each test process removes its own
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


# Rough seconds per test, to order the files longest first (the order only; nothing is asserted).
_COST_BROWSER, _COST_SLOW, _COST_NOTEBOOK_CELL, _COST_OTHER = 25.0, 8.0, 0.15, 0.02


def _cost(item: pytest.Item) -> float:
    if item.get_closest_marker("browser"):
        return _COST_BROWSER
    if item.get_closest_marker("slow"):
        return _COST_SLOW
    return _COST_OTHER if isinstance(item, pytest.Function) else _COST_NOTEBOOK_CELL


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Files ordered by their rough cost, longest first; a file's tests keep their order."""
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    cost = {name: sum(_cost(i) for i in members) for name, members in files.items()}
    items[:] = [item for name in sorted(files, key=lambda n: -cost[n]) for item in files[name]]
