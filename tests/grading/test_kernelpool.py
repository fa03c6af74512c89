"""Kernels launched one notebook ahead (sysdesign.nbgrading.kernelpool): the next notebook finds its
kernel started, each kernel still runs one notebook in a sandbox that sees only that notebook's folder.

PooledExecute runs here on its own, as nbgrader's autograde runs it, with the course's grading rules
(bubblewrap sandbox included). The round trips and the Dask comparison grade every set through it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat
import pytest
from sysdesign.nbgrading import kernelpool
from sysdesign.nbgrading.config import grading_rules
from traitlets.config import Config

pytestmark = pytest.mark.slow

PROBE = """\
import os, sys
print(sorted(os.listdir(".")))
print("sysdesign.grading" in sys.modules, "sysdesign" in dir())
print(globals().get("left_by_an_earlier_notebook"))
left_by_an_earlier_notebook = 1
"""


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """Kernels' working folders under tmp_path; no kernel left waiting before or after."""
    kernelpool.stop_waiting_kernels()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    yield tmp_path
    kernelpool.stop_waiting_kernels()


def config(memory_bytes: int | None = None) -> Config:
    c = Config()
    grading_rules(c)
    if memory_bytes is not None:
        c.SandboxedKernelManager.memory_bytes = memory_bytes
    return c


def run(folder: Path, c: Config) -> tuple[list[str], kernelpool.PooledExecute]:
    """Run PROBE as nbgrader would for a notebook in ``folder``; its printed lines and the step."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    step = kernelpool.PooledExecute(config=c)
    step.preprocess(nb, {"metadata": {"path": str(folder)}})
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert not any(o.output_type == "error" for o in nb.cells[0].outputs), nb.cells[0].outputs
    return text.splitlines(), step


def student_folder(root: Path, name: str) -> Path:
    folder = root / "autograded" / name
    folder.mkdir(parents=True)
    (folder / f"{name}.ipynb").write_text("{}")
    return folder


def test_the_next_notebook_runs_on_the_kernel_launched_while_the_first_ran(workspace):
    c = config()
    first, step = run(student_folder(workspace, "ann"), c)
    assert not step.took_waiting_kernel  # nothing was waiting yet: started on demand
    assert kernelpool.waiting_kernels() == 1  # ... and the next one launched meanwhile
    second, step = run(student_folder(workspace, "ben"), c)
    assert step.took_waiting_kernel
    assert kernelpool.waiting_kernels() == 1
    # Each kernel saw its own notebook's folder only, the library already loaded (no name bound),
    # and nothing the earlier notebook left in its namespace.
    assert first == ["['ann.ipynb']", "True False", "None"]
    assert second == ["['ben.ipynb']", "True False", "None"]


def test_a_kernel_started_with_other_settings_is_not_handed_over(workspace):
    run(student_folder(workspace, "ann"), config())
    _, step = run(student_folder(workspace, "ben"), config(memory_bytes=1 << 30))
    assert not step.took_waiting_kernel


def test_kernels_and_working_folders_are_gone_after_the_run(workspace):
    run(student_folder(workspace, "ann"), config())
    assert len(list(workspace.glob("sysdesign-work-*"))) == 1  # the waiting kernel's folder only
    assert kernelpool.stop_waiting_kernels() == 1
    assert not list(workspace.glob("sysdesign-work-*"))
    assert kernelpool.waiting_kernels() == 0
