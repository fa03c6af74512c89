"""``sysdesign check``: grade a copy of one learner's notebook, in a throw-away course.

The notebook tells which problem set it belongs to (its graded cells' ids); the hidden tests come
from a gradebook generated once per version of the sources and cached, private to the user.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

from sysdesign.nbgrading import GradingError
from sysdesign.nbgrading.course import TempCourse, course_root, identify, quiet_stderr
from sysdesign.nbgrading.parts import load_notebook
from sysdesign.nbgrading.report import Report, autograde_failure

STUDENT = "learner"
"""The student id a learner's copy is submitted under."""


def gradebook_cache(root: Path, name: str) -> Path:
    """Where ``check`` keeps the generated gradebook of problem set ``name`` (private to this user).

    The folder name carries a hash of the problem set's sources, ``nbgrader_config.py`` and the
    nbgrader version, so editing a solution or upgrading nbgrader starts a new cache entry. It
    lives in the system's temporary folder (mode 700): the gradebook holds the hidden tests.
    """
    digest = hashlib.sha256(version("nbgrader").encode())
    for path in [root / "nbgrader_config.py", *sorted((root / "solutions" / name).rglob("*"))]:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    user = os.getuid() if hasattr(os, "getuid") else os.getlogin()
    return Path(tempfile.gettempdir()) / f"sysdesign-{user}" / f"{name}-{digest.hexdigest()[:20]}"


def check(path: Path, *, timeout: int | None = None, html: Path | None = None) -> Report:
    """Grade a copy of the learner's notebook ``path`` (only read) and return the report.

    ``timeout``: seconds per cell (default: ``nbgrader_config.py``). With ``html``, also write
    nbgrader's feedback page (the graded notebook with every test's result and the points) there.
    Raises :class:`GradingError` when the file cannot be graded.
    """
    root = course_root()
    name, stem = identify(load_notebook(path), path, root)
    with quiet_stderr(), TempCourse([name], root=root, timeout=timeout) as course:
        # A learner's own notebook on their own machine: sandboxed where bubblewrap works, else not.
        course.config.SandboxedKernelManager.sandbox = "prefer"
        # One notebook per check: no kernel launched ahead for a next one that never comes.
        course.config.PooledExecute.launch_ahead = False
        course.prepare(name, gradebook_cache(root, name))
        course.submit(name, STUDENT, path, as_name=stem)
        result = course.autograde(name, STUDENT)
        if not result.get("success"):
            raise GradingError(autograde_failure(result))
        report = course.report(name, STUDENT, [stem])
        if html is not None:
            course._check(course.api.generate_feedback(name, STUDENT), "write the feedback page")
            page = course.folder / "feedback" / STUDENT / name / f"{stem}.html"
            html.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, html)
    return report
