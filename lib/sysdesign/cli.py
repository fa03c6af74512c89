"""The ``sysdesign`` command: grade your own exercise notebook, list the problem sets; for instructors,
autograde a class with a progress bar, print the grades, audit submissions.

    sysdesign check exercises/ps01_estimation/ps01_estimation.ipynb   # score, per part, with hints
    sysdesign check my.ipynb --html feedback.html                       # ... and nbgrader's feedback page
    sysdesign list                                                      # problem sets, parts, points
    sysdesign autograde ps01_estimation                                 # every submission, progress bar
    sysdesign grades ps01_estimation --csv ps01.csv                     # one row per student
    sysdesign audit submitted/*/ps01_estimation/*.ipynb                 # lines that tamper with grading

``check`` grades a *copy* of the notebook with nbgrader's Python API in a temporary course folder:
it generates the assignment from the course's ``solutions/`` (which records the hidden tests in a
throw-away gradebook), submits the copy as student ``learner``, autogrades it, and reads the
scores back. Exit status: 0 when every autograded test passes, 1 when some fail, 2 when the file
cannot be graded (not JSON, not an exercise notebook, unknown problem set, course not found).

The course helpers (:func:`course_root`, :class:`TempCourse`, :func:`parts`) are also what
``scripts/release.py``, the grading tests and the benchmarks use.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

STUDENT = "learner"
PART_HEADING = re.compile(
    r"^##\s+Part\s+(?P<letter>[A-Z]+):\s*(?P<title>.+?)\s*\((?P<points>\d+(?:\.\d+)?)\s+points?\)\s*$"
)


class GradingError(Exception):
    """A notebook or course that cannot be graded; the message is one line for the learner."""


# --------------------------------------------------------------------------------------------
# The course folder


def course_root() -> Path:
    """The course folder: the repository that holds ``solutions/`` and ``nbgrader_config.py``.

    Found next to the installed package (``lib/sysdesign`` -> repository, an editable install), or
    from ``SYSDESIGN_COURSE_ROOT`` when that is set.
    """
    env = os.environ.get("SYSDESIGN_COURSE_ROOT")
    root = Path(env).expanduser().resolve() if env else Path(__file__).resolve().parents[2]
    if not (root / "solutions").is_dir() or not (root / "nbgrader_config.py").is_file():
        where = "SYSDESIGN_COURSE_ROOT" if env else "the folder above lib/ (install with `pip install -e .`)"
        raise GradingError(
            f"cannot find the course folder: {root} has no solutions/ and nbgrader_config.py. "
            f"Looked in {where}; set SYSDESIGN_COURSE_ROOT to the repository folder."
        )
    return root


def skip_slow_imports() -> None:
    """Keep ``rfc3987_syntax`` from loading in this process (it builds a parser for 5-15 s at import).

    jsonschema imports it, when present, only to check the "iri" string format, which nbgrader
    never uses; marking it missing makes jsonschema skip that one format.
    """
    if "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]


def fast_metadata_validation() -> None:
    """Let nbgrader validate cell metadata with one compiled JSON-schema validator, not one per cell.

    nbgrader calls ``jsonschema.validate(metadata, schema)`` for every cell of every notebook it
    touches, which checks the schema itself each time: about 0.5 s per graded notebook of 40 cells.
    The same schema (nbgrader's own) is now compiled once; a bad cell still raises
    ``jsonschema.ValidationError``. Called from ``nbgrader_config.py``, so the command benefits too.
    """
    import jsonschema
    from nbgrader.nbgraderformat import common

    if getattr(common.jsonschema, "_sysdesign", False):
        return
    compiled: dict[int, Any] = {}

    class CachedSchemas:
        _sysdesign = True

        def __getattr__(self, attribute: str) -> Any:
            return getattr(jsonschema, attribute)

        @staticmethod
        def validate(instance: Any, schema: dict[str, Any]) -> None:
            validator = compiled.get(id(schema))
            if validator is None:
                validator = compiled[id(schema)] = jsonschema.validators.validator_for(schema)(schema)
                validator.check_schema(schema)
            error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
            if error is not None:
                raise error

    common.jsonschema = CachedSchemas()


def inprocess_alembic_version() -> None:
    """Let nbgrader read its gradebook schema version in this process instead of running ``alembic``.

    A new gradebook is stamped with the newest migration id, which nbgrader gets by running
    ``alembic heads`` as a subprocess: a second Python start-up (2 s idle, 20 s on a busy
    machine). Reading the same id from nbgrader's migration scripts with alembic's Python API
    gives the same answer; if that fails, nbgrader's own function is kept.
    """
    import nbgrader.api as nbapi

    if getattr(nbapi.get_alembic_version, "_sysdesign", False):
        return
    original = nbapi.get_alembic_version

    def head() -> str:
        try:
            from alembic.script import ScriptDirectory
            from nbgrader.dbutil import ALEMBIC_DIR

            found = ScriptDirectory(ALEMBIC_DIR).get_current_head()
            if found:
                return str(found)
        except Exception:  # noqa: BLE001 - fall back to nbgrader's subprocess
            pass
        return str(original())

    head._sysdesign = True  # type: ignore[attr-defined]
    head.original = original  # type: ignore[attr-defined]
    nbapi.get_alembic_version = head


def ensure_tools_on_path() -> None:
    """Put the folder of this Python first on ``PATH``: nbgrader runs ``alembic`` by name."""
    folder = str(Path(sys.executable).parent)
    parts_ = os.environ.get("PATH", "").split(os.pathsep)
    if folder not in parts_:
        os.environ["PATH"] = os.pathsep.join([folder, *[p for p in parts_ if p]])


def assignments(root: Path | None = None) -> dict[str, list[Path]]:
    """Every problem set in ``solutions/``: name -> its source notebooks."""
    root = root or course_root()
    found = {}
    for folder in sorted((root / "solutions").iterdir()):
        notebooks = sorted(folder.glob("*.ipynb"))
        if folder.is_dir() and notebooks:
            found[folder.name] = notebooks
    return found


def nbgrader_config(root: Path, course: Path, *, timeout: int | None = None) -> Any:
    """The course's ``nbgrader_config.py``, pointed at another course folder ``course``."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    cfg = Config()
    cfg.merge(PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config())
    cfg.CourseDirectory.root = str(course)
    cfg.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    cfg.Exchange.root = str(course / ".exchange")
    if timeout is not None:
        cfg.Execute.timeout = int(timeout)
    return cfg


def _make_writable(function: Any, path: str, _excinfo: Any) -> None:
    os.chmod(path, stat.S_IWUSR | stat.S_IRUSR | stat.S_IXUSR)
    parent = os.path.dirname(path)
    os.chmod(parent, stat.S_IWUSR | stat.S_IRUSR | stat.S_IXUSR)
    function(path)


def remove_tree(path: Path) -> None:
    """Delete a course folder, including the read-only files nbgrader writes."""
    if path.exists():
        shutil.rmtree(path, onerror=_make_writable)  # onerror: still accepted by Python 3.12+


class TempCourse:
    """A throw-away nbgrader course: copies of some problem sets' sources, a private gradebook.

    >>> with TempCourse(["ps01_estimation"]) as course:          # doctest: +SKIP
    ...     course.generate("ps01_estimation")
    ...     course.submit("ps01_estimation", "ann", "my_copy.ipynb")
    ...     course.autograde("ps01_estimation")
    ...     course.report("ps01_estimation", "ann").auto_score
    """

    def __init__(
        self,
        names: Iterable[str],
        *,
        root: Path | None = None,
        folder: Path | None = None,
        timeout: int | None = None,
    ) -> None:
        self.root = root or course_root()
        self.owned = folder is None
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="sysdesign-course-"))
        self.timeout = timeout
        ensure_tools_on_path()
        skip_slow_imports()
        for name in names:
            source = self.root / "solutions" / name
            if not source.is_dir():
                raise GradingError(f"unknown problem set {name!r}: no folder solutions/{name} in {self.root}")
            shutil.copytree(source, self.folder / "solutions" / name, dirs_exist_ok=True)
        self.config = nbgrader_config(self.root, self.folder, timeout=timeout)
        self._api: Any = None

    @property
    def api(self) -> Any:
        if self._api is None:
            from nbgrader.apps import NbGraderAPI
            from nbgrader.coursedir import CourseDirectory

            inprocess_alembic_version()
            self._api = NbGraderAPI(coursedir=CourseDirectory(config=self.config), config=self.config)
        return self._api

    @property
    def db_url(self) -> str:
        return str(self.config.CourseDirectory.db_url)

    def __enter__(self) -> TempCourse:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.owned:
            remove_tree(self.folder)

    @staticmethod
    def _check(result: dict[str, Any], what: str) -> dict[str, Any]:
        if not result.get("success"):
            detail = (result.get("error") or result.get("log") or "").strip().splitlines()
            raise GradingError(f"nbgrader could not {what}: {detail[-1] if detail else 'no details'}")
        return result

    def generate(self, name: str) -> Path:
        """Generate the student version into ``exercises/<name>/``; the gradebook records the hidden tests."""
        self._check(self.api.generate_assignment(name, force=True, create=True), f"generate {name}")
        return self.folder / "exercises" / name

    def prepare(self, name: str, cache: Path | None = None) -> None:
        """Make the gradebook ready to autograde ``name``: from ``cache`` when it holds one, else generate.

        The cached gradebook is the one ``generate`` wrote into an otherwise empty course, keyed by
        the sources, the config and the nbgrader version (:func:`gradebook_cache`); it saves the
        generation step (1 s idle, 3-4 s on a busy machine) on every ``sysdesign check`` but the first.
        """
        db = self.folder / "gradebook.db"
        if cache is not None and (cache / "gradebook.db").is_file() and not db.exists():
            shutil.copyfile(cache / "gradebook.db", db)
            return
        self.generate(name)
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=cache.parent))
            shutil.copyfile(db, partial / "gradebook.db")
            try:
                partial.rename(cache)
            except OSError:  # another check filled the cache first
                remove_tree(partial)

    def submit(self, name: str, student: str, notebook: Path | str, as_name: str | None = None) -> Path:
        """Copy ``notebook`` into ``submitted/<student>/<name>/`` (under the assignment's notebook name)."""
        stem = as_name or self.notebook_names(name)[0]
        target = self.folder / "submitted" / student / name / f"{stem}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notebook, target)
        return target

    def submit_json(self, name: str, student: str, nb: dict[str, Any], as_name: str | None = None) -> Path:
        """Write a notebook (a dict or NotebookNode) as a submission."""
        stem = as_name or self.notebook_names(name)[0]
        target = self.folder / "submitted" / student / name / f"{stem}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return target

    def notebook_names(self, name: str) -> list[str]:
        return [p.stem for p in sorted((self.folder / "solutions" / name).glob("*.ipynb"))]

    def autograde(self, name: str, student: str = "*") -> dict[str, Any]:
        """Autograde one student, or every submitted student with ``"*"`` (one nbgrader run).

        Returns nbgrader's result (``success``, ``log``, ``error``). A submission nbgrader cannot
        finish (its kernel died: ``os._exit``, a crash) makes ``success`` false and has no
        autograded copy, while the other students are still graded.
        """
        return dict(self.api.autograde(name, student, force=True, create=True))

    def report(self, name: str, student: str, stems: Sequence[str] | None = None) -> Report:
        """Scores of one autograded submission, per part, with the failing tests' messages.

        ``stems`` limits the report to some notebooks of the problem set (default: all of them).
        """
        return read_report(self, name, student, stems)


# --------------------------------------------------------------------------------------------
# nbgrader hardening (used from nbgrader_config.py)

_STRICT: list[type] = []


def strict_test_outputs() -> type:
    """An nbgrader preprocessor that drops values shown by autograded test cells.

    nbgrader reads a value a test cell shows (an ``execute_result``) as partial credit, and a
    value it cannot read as a number as *full* credit, and it checks that output before the
    error that follows it. So an answer function that calls ``sys.displayhook(2)`` before
    failing would score full marks, and one showing a number above the cell's points stops the
    grading of the whole notebook. Test cells of this course never show a value (the
    ``grading`` helpers return None), so this preprocessor removes such outputs from test cells
    before the scores are saved; the cell's error, if any, then counts.
    """
    if not _STRICT:
        from nbgrader import utils
        from nbgrader.preprocessors import NbGraderPreprocessor

        class StrictTestOutputs(NbGraderPreprocessor):  # type: ignore[misc]
            """Remove ``execute_result`` outputs from autograded test cells (no partial credit)."""

            def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
                if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
                    kept = [o for o in cell.outputs if o.output_type != "execute_result"]
                    if len(kept) != len(cell.outputs):
                        self.log.warning(
                            "Test cell %s showed a value; ignored it (no partial credit)",
                            cell.metadata["nbgrader"].get("grade_id"),
                        )
                        cell.outputs = kept
                return cell, resources

        _STRICT.append(StrictTestOutputs)
    return _STRICT[0]


GRADING_MEMORY_BYTES = 2 * 1024**3
"""Heap limit of a grading kernel (bytes): a memory bomb raises ``MemoryError`` in its cell instead of
starving the machine. Python with pandas, numpy and plotly loaded needs about 200 MB."""

_LIMITED: list[type] = []


def limited_kernel_manager() -> type:
    """A kernel manager whose kernels start under ``prlimit --data`` (see :data:`GRADING_MEMORY_BYTES`).

    Set as ``c.Execute.kernel_manager_class`` in ``nbgrader_config.py``. ``prlimit`` (util-linux)
    replaces itself with the kernel, so interrupting and killing the kernel work as before; where it
    is missing the kernel starts without a limit.
    """
    if not _LIMITED:
        import uuid

        from jupyter_client.manager import AsyncKernelManager
        from traitlets import Int, default

        class LimitedKernelManager(AsyncKernelManager):  # type: ignore[misc]
            """Starts each kernel with a heap limit of ``memory_bytes`` (0: no limit), over IPC sockets.

            Kernels talk over Unix sockets in the temporary folder rather than TCP ports: grading
            processes side by side (``sysdesign autograde --jobs 2``) otherwise race for the same
            free port, and a kernel that loses the race has no heartbeat.
            """

            memory_bytes = Int(GRADING_MEMORY_BYTES, help="heap limit of a grading kernel, bytes").tag(
                config=True
            )

            @default("transport")
            def _default_transport(self) -> str:
                return "ipc"

            @default("ip")
            def _default_ip(self) -> str:
                if self.transport != "ipc":
                    return "127.0.0.1"
                return os.path.join(tempfile.gettempdir(), f"sysdesign-kernel-{uuid.uuid4().hex[:12]}-ipc")

            def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
                cmd = super().format_kernel_cmd(extra_arguments)
                tool = shutil.which("prlimit")
                if tool and self.memory_bytes > 0:
                    return [tool, f"--data={self.memory_bytes}", "--", *cmd]
                return cmd

        _LIMITED.append(LimitedKernelManager)
    return _LIMITED[0]


def grading_rules(c: Any) -> None:
    """The course's grading settings, applied to an nbgrader config ``c`` (``nbgrader_config.py``, the hub).

    10 s per cell (an endless loop costs that and grading goes on), the answer stub, no partial
    credit from values shown by test cells, a 2 GB heap per grading kernel, one compiled schema
    for cell metadata, and file names for ``zip_collect``: ``<student>_<notebook>.ipynb``.
    """
    c.Execute.timeout = 10
    c.Execute.interrupt_on_timeout = True
    c.Execute.kernel_manager_class = limited_kernel_manager()
    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    c.GenerateAssignment.create_assignment = True
    c.Autograde.autograde_preprocessors = autograde_preprocessors()
    c.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>[^_/]+)_(?P<file_id>[^/]+\.ipynb)$"
    fast_metadata_validation()


def autograde_preprocessors() -> list[type]:
    """nbgrader's autograde steps with :func:`strict_test_outputs` inserted before the scores are saved."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import SaveAutoGrades

    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    strict = strict_test_outputs()
    if strict not in steps:
        steps.insert(steps.index(SaveAutoGrades) if SaveAutoGrades in steps else len(steps) - 1, strict)
    return steps


# --------------------------------------------------------------------------------------------
# Parts and reports


@dataclass(frozen=True)
class Part:
    """One ``## Part X: title (N points)`` section of an exercise notebook and its graded cells."""

    letter: str
    title: str
    points: float
    tests: tuple[str, ...]  # grade ids of autograded test cells
    manual: tuple[str, ...]  # grade ids of manually graded answer cells
    answers: tuple[str, ...] = ()  # grade ids of the code answer cells the tests exercise


def _cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    return list(nb.get("cells", []))


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _nbgrader(cell: dict[str, Any]) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def parts(nb: dict[str, Any]) -> list[Part]:
    """The parts of an exercise notebook, from its headings and the graded cells under each."""
    found: list[Part] = []
    current: dict[str, Any] | None = None

    def close() -> None:
        if current is not None:
            found.append(
                Part(
                    current["letter"],
                    current["title"],
                    current["points"],
                    tuple(current["tests"]),
                    tuple(current["manual"]),
                    tuple(current["answers"]),
                )
            )

    for cell in _cells(nb):
        if cell.get("cell_type") == "markdown":
            first = _source(cell).strip().splitlines()[0] if _source(cell).strip() else ""
            match = PART_HEADING.match(first)
            if match:
                close()
                current = {
                    "letter": match["letter"],
                    "title": match["title"],
                    "points": float(match["points"]),
                    "tests": [],
                    "manual": [],
                    "answers": [],
                }
        meta = _nbgrader(cell)
        if current is None or not meta.get("grade_id"):
            continue
        if meta.get("grade"):
            current["manual" if meta.get("solution") else "tests"].append(meta["grade_id"])
        elif meta.get("solution") and cell.get("cell_type") == "code":
            current["answers"].append(meta["grade_id"])
    close()
    return found


def graded_points(nb: dict[str, Any]) -> dict[str, float]:
    """Points carried by each graded cell of a notebook, by grade id."""
    return {
        _nbgrader(c)["grade_id"]: float(_nbgrader(c).get("points", 0))
        for c in _cells(nb)
        if _nbgrader(c).get("grade")
    }


@dataclass
class PartScore:
    part: Part
    score: float | None  # None: graded by a person
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


def _short(text: str, limit: int = 400) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text).strip()
    text = re.sub(
        r"\((?:\S*[/\\])?\d+\.py, line (\d+)\)", r"(line \1 of the cell)", text
    )  # IPython's cell file names
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def failure_message(outputs: Sequence[dict[str, Any]], timeout: float | None = None) -> str | None:
    """The one-line reason a test cell failed, from its outputs (None if it passed)."""
    for out in outputs:
        if out.get("output_type") == "error":
            ename, evalue = str(out.get("ename", "")), str(out.get("evalue", ""))
            if ename == "AssertionError" and evalue:
                return _short(evalue)
            if ename == "NotImplementedError":
                return "not answered yet: the answer cell still raises NotImplementedError"
            if ename == "CellTimeoutError":
                seconds = f" {timeout:g} s" if timeout else ""
                return f"the cell did not finish within{seconds}: an endless loop?"
            if ename == "NameError":
                return _short(f"{evalue}: run the answer cell above (and check it has no error)")
            if ename == "KeyboardInterrupt":
                return "the cell was interrupted: it ran too long (an endless loop?)"
            return _short(f"{ename}: {evalue}" if evalue else ename)
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = out.get("text", "")
            return _short(
                "the test wrote to stderr, which counts as a failure: "
                + ("".join(text) if isinstance(text, list) else text)
            )
    return None


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
        source = json.loads(
            (course.folder / "solutions" / name / f"{stem}.ipynb").read_text(encoding="utf-8")
        )
        graded_path = course.folder / "autograded" / student / name / f"{stem}.ipynb"
        graded = (
            json.loads(graded_path.read_text(encoding="utf-8")) if graded_path.exists() else {"cells": []}
        )
        outputs = {_nbgrader(c).get("grade_id"): c.get("outputs", []) for c in _cells(graded) if _nbgrader(c)}
        # Locked code cells that are not tests (imports, the scenario): if one failed, say so first.
        setup = [
            failure_message(c.get("outputs", []), timeout)
            for c in _cells(graded)
            if c.get("cell_type") == "code" and _nbgrader(c).get("locked") and not _nbgrader(c).get("grade")
        ]
        setup_error = next((m for m in setup if m), None)
        for part in parts(source):
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


# --------------------------------------------------------------------------------------------
# Reading the learner's file


def gradebook_cache(root: Path, name: str) -> Path:
    """Where ``check`` keeps the generated gradebook of problem set ``name`` (private to this user).

    The folder name carries a hash of the problem set's sources, ``nbgrader_config.py`` and the
    nbgrader version, so editing a solution or upgrading nbgrader starts a new cache entry. It
    lives in the system's temporary folder (mode 700): the gradebook holds the hidden tests.
    """
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(version("nbgrader").encode())
    for path in [root / "nbgrader_config.py", *sorted((root / "solutions" / name).rglob("*"))]:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    user = os.getuid() if hasattr(os, "getuid") else os.getlogin()
    return Path(tempfile.gettempdir()) / f"sysdesign-{user}" / f"{name}-{digest.hexdigest()[:20]}"


def load_notebook(path: Path) -> dict[str, Any]:
    """The notebook as JSON, or a :class:`GradingError` saying what is wrong with the file."""
    if not path.is_file():
        raise GradingError(f"{path}: no such file")
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GradingError(f"{path} is not a notebook: it is not JSON ({_short(str(exc), 80)})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or nb.get("nbformat") != 4:
        raise GradingError(f"{path} is not a Jupyter notebook (format 4)")
    return nb


def identify(nb: dict[str, Any], path: Path, root: Path) -> tuple[str, str]:
    """(problem set, notebook name) whose graded cells this notebook carries."""
    ids = {_nbgrader(c).get("grade_id") for c in _cells(nb) if _nbgrader(c).get("grade_id")}
    if not ids:
        raise GradingError(
            f"{path} is not an exercise notebook: it has no nbgrader cells "
            "(the exercises are in exercises/<set>/)"
        )
    best, overlap = None, 0
    for name, notebooks in assignments(root).items():
        for source in notebooks:
            known = {
                _nbgrader(c).get("grade_id") for c in _cells(json.loads(source.read_text(encoding="utf-8")))
            }
            common = len(ids & known)
            if common > overlap:
                best, overlap = (name, source.stem), common
    if best is None:
        known_sets = ", ".join(assignments(root)) or "none"
        raise GradingError(f"{path} does not belong to a known problem set (known: {known_sets})")
    return best


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Send this process's stderr (and the grading kernel's, which inherits it) to a throw-away file.

    The kernel warns about unencrypted local TCP and nbgrader's database layer warns about its own
    sessions; neither means anything to a learner.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(prefix="sysdesign-stderr-") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def check(path: Path, *, timeout: int | None = None, out: Any = None, html: Path | None = None) -> Report:
    """Grade a copy of the learner's notebook and print the report; the file itself is only read.

    With ``html``, also write nbgrader's feedback page (the graded notebook with every test's
    result and the points) to that file.
    """
    out = out or sys.stdout
    root = course_root()
    nb = load_notebook(path)
    name, stem = identify(nb, path, root)
    start = time.perf_counter()
    with quiet_stderr(), TempCourse([name], root=root, timeout=timeout) as course:
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
    print_report(report, path, time.perf_counter() - start, out)
    if html is not None:
        print(f"  feedback page: {html}", file=out)
    return report


def autograde_failure(result: dict[str, Any]) -> str:
    """One line saying why nbgrader gave up on a submission."""
    text = f"{result.get('log', '')}\n{result.get('error', '')}"
    if "DeadKernelError" in text or "Kernel died" in text:
        return (
            "grading stopped because the notebook's kernel died (os._exit, a crash, or running out of "
            "memory); remove that code and check again"
        )
    if "partial credit cannot be greater" in text:
        return "grading stopped: a test cell showed a number larger than its points"
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "nbgrader could not grade the notebook: " + _short(lines[-1] if lines else "no details", 200)


def _num(x: float) -> str:
    return f"{x:g}"


def print_report(report: Report, path: Path, seconds: float, out: Any) -> None:
    print(f"{report.assignment}: {path}", file=out)
    width = max((len(p.part.title) for p in report.parts), default=10) + 2
    for p in report.parts:
        label = f"Part {p.part.letter}  {p.part.title:<{width}}"
        if p.score is None:
            print(f"  {label} manual / {_num(p.max_score)}  (graded by a person)", file=out)
            continue
        mark = "ok" if p.score >= p.max_score else "--"
        print(f"  {label} {_num(p.score):>6} / {_num(p.max_score)}  {mark}", file=out)
        for message in p.messages:
            print(f"      {message}", file=out)
    line = f"  Total (autograded) {_num(report.auto_score)} / {_num(report.auto_max)}"
    if report.manual_max:
        line += f"; {_num(report.manual_max)} more points are graded by a person"
    print(line, file=out)
    print(f"  (graded a copy in {seconds:.1f} s; your notebook was not changed)", file=out)


# --------------------------------------------------------------------------------------------
# The other commands


def list_sets(out: Any = None) -> None:
    """Print every problem set with its parts and points."""
    out = out or sys.stdout
    root = course_root()
    for name, notebooks in assignments(root).items():
        for source in notebooks:
            nb = json.loads(source.read_text(encoding="utf-8"))
            found = parts(nb)
            auto = sum(p.points for p in found if p.tests)
            manual = sum(p.points for p in found if not p.tests)
            print(
                f"{name}/{source.stem}.ipynb  ({_num(auto)} autograded + {_num(manual)} manual points)",
                file=out,
            )
            width = max(len(p.title) for p in found) + 1
            for p in found:
                kind = "manual" if not p.tests else "auto"
                print(f"  Part {p.letter}  {p.title:<{width}} {_num(p.points):>3} {kind}", file=out)


def audit(paths: Sequence[Path], out: Any = None) -> int:
    """Print the lines of unlocked cells that tamper with grading; return how many were found."""
    from sysdesign.grading import audit_source

    out = out or sys.stdout
    hits = 0
    for path in paths:
        nb = load_notebook(path)
        for index, cell in enumerate(_cells(nb)):
            if cell.get("cell_type") != "code" or _nbgrader(cell).get("locked"):
                continue
            for line in audit_source(_source(cell)):
                hits += 1
                print(f"{path}: cell {index}: {line}", file=out)
    return hits


def instructor_course(folder: Path | None = None) -> Path:
    """The course folder an instructor command works on: ``folder``, else the current folder when
    it holds ``nbgrader_config.py`` (nbgrader's own rule), else the repository."""
    if folder is not None:
        folder = folder.expanduser().resolve()
        if not (folder / "nbgrader_config.py").is_file():
            raise GradingError(f"--course {folder}: no nbgrader_config.py there")
        return folder
    here = Path.cwd()
    return here if (here / "nbgrader_config.py").is_file() else course_root()


def gradebook_url(course: Path) -> str:
    """The gradebook the course's ``nbgrader_config.py`` names."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    url = cfg.CourseDirectory.db_url if "db_url" in cfg.CourseDirectory else ""
    return str(url or f"sqlite:///{course / 'gradebook.db'}")


def grades_table(course: Path, name: str) -> pd.DataFrame:
    """One row per student of problem set ``name``: points per notebook, autograded, manual, total, max.

    ``manual`` is blank while a written answer still waits for a person (``needs_manual_grade``).
    """
    import pandas as pd
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(gradebook_url(course)) as gb:
        try:
            gb.find_assignment(name)
        except MissingEntry:
            raise GradingError(f"problem set {name!r} is not in the gradebook; generate it first") from None
        for sub in sorted(gb.assignment_submissions(name), key=lambda s: s.student_id):
            row: dict[str, Any] = {"student": sub.student_id}
            auto, manual, waiting = 0.0, 0.0, False
            for nb in sub.notebooks:
                row[nb.name] = nb.score
                for grade in nb.grades:
                    if grade.cell.cell_type == "code":
                        auto += grade.score
                    else:  # a written answer, graded by a person
                        manual += grade.score
                        waiting = waiting or bool(grade.needs_manual_grade)
            row["autograded"] = auto
            row["manual"] = None if waiting else manual
            row["total"] = sub.score
            row["max"] = sub.max_score
            rows.append(row)
    table = pd.DataFrame(rows)
    if not table.empty:
        table["manual"] = pd.to_numeric(table["manual"])  # None -> NaN, shown as "waiting"
    return table


def print_grades(course: Path, name: str, csv: Path | None = None, out: Any = None) -> pd.DataFrame:
    """Print the grades table of ``name`` (and write it to ``csv``)."""
    out = out or sys.stdout
    table = grades_table(course, name)
    if table.empty:
        print(f"{name}: no submissions graded yet", file=out)
        return table
    print(table.to_string(index=False, na_rep="waiting", float_format=lambda x: f"{x:g}"), file=out)
    if csv is not None:
        table.to_csv(csv, index=False)
        print(f"written to {csv}", file=out)
    return table


def restore_notebook_names(course: Path, name: str, student: str) -> list[str]:
    """Copy notebooks a student saved under another name to the name the problem set expects.

    nbgrader grades only notebooks named like the release. A submitted notebook with another name
    whose graded cells match a missing notebook of the set is copied under the expected name (the
    student's file stays as it is). Returns one line per copy, for the log.
    """
    folder = course / "submitted" / student / name
    expected = {p.stem for p in (course / "solutions" / name).glob("*.ipynb")}
    present = {p.stem for p in folder.glob("*.ipynb")}
    notes = []
    for path in sorted(folder.glob("*.ipynb")):
        if path.stem in expected:
            continue
        try:
            found, stem = identify(load_notebook(path), path, course)
        except GradingError:
            continue
        if found == name and stem not in present:
            shutil.copyfile(path, folder / f"{stem}.ipynb")
            present.add(stem)
            notes.append(f"{student}: graded {path.name} as {stem}.ipynb (it was saved under another name)")
    return notes


def unreadable_notebooks(course: Path, name: str, student: str) -> list[str]:
    """Why a student's submitted notebooks cannot be read (not JSON, empty, not a notebook)."""
    problems = []
    for path in sorted((course / "submitted" / student / name).glob("*.ipynb")):
        try:
            load_notebook(path)
        except GradingError as exc:
            problems.append(str(exc).replace(str(path.parent) + os.sep, ""))
    return problems


_WORKER: dict[str, TempCourse] = {}


def grade_student(course: Path, name: str, student: str, timeout: int | None = None) -> tuple[str, str, str]:
    """Autograde one submission; return (student, "" or why it was not graded, log lines).

    Restores a notebook saved under another name first. Keeps one nbgrader API per course in
    this process, so a worker grading many students starts nbgrader once.
    """
    key = f"{course}|{timeout}"
    if key not in _WORKER:
        _WORKER[key] = TempCourse([], root=course, folder=course, timeout=timeout)
    notes = restore_notebook_names(course, name, student)
    with quiet_stderr():
        result = _WORKER[key].autograde(name, student)
    why = ""
    if not result.get("success"):
        why = "; ".join(unreadable_notebooks(course, name, student)) or autograde_failure(result)
    return student, why, "\n".join(notes)


def _worker_start() -> None:
    ensure_tools_on_path()
    skip_slow_imports()


def autograde_all(
    name: str,
    course: Path,
    students: Sequence[str] = (),
    *,
    timeout: int | None = None,
    jobs: int = 1,
    out: Any = None,
) -> pd.DataFrame:
    """Autograde every submission of ``name`` (or ``students``) with a progress bar; return the grades.

    Runs nbgrader's autograde through its Python API, student by student, in ``jobs`` worker
    processes (1: in this process). Restores notebooks saved under another name first and never
    stops at a bad submission: the ones nbgrader could not finish are listed with the reason.
    """
    from tqdm import tqdm

    out = out or sys.stdout
    submitted = course / "submitted"
    found = sorted(p.parent.name for p in submitted.glob(f"*/{name}") if p.is_dir())
    chosen = list(students) or found
    unknown = sorted(set(chosen) - set(found))
    if unknown:
        raise GradingError(f"no submission of {name} for: {', '.join(unknown)} (looked in {submitted})")
    if not chosen:
        raise GradingError(f"no submissions of {name} in {submitted}; run nbgrader collect first")
    jobs = int(_check_jobs(jobs))
    bar = tqdm(total=len(chosen), desc=f"autograde {name}", unit="student", file=sys.stdout)
    done: list[tuple[str, str, str]] = []
    start = time.perf_counter()
    if jobs == 1 or len(chosen) == 1:
        for student in chosen:
            done.append(grade_student(course, name, student, timeout))
            bar.update()
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = multiprocessing.get_context("spawn")  # no kernel or zmq state shared with workers
        with ProcessPoolExecutor(
            min(jobs, len(chosen)), mp_context=context, initializer=_worker_start
        ) as pool:
            futures = [pool.submit(grade_student, course, name, s, timeout) for s in chosen]
            for future in as_completed(futures):
                done.append(future.result())
                bar.update()
    bar.close()
    seconds = time.perf_counter() - start
    done.sort()
    for _, _, notes in done:
        if notes:
            print(notes, file=out)
    failed = [(student, why) for student, why, _ in done if why]
    for student, why in failed:
        print(f"NOT GRADED {student}: {why}", file=out)
    print(f"graded {len(chosen) - len(failed)} of {len(chosen)} submissions in {seconds:.1f} s", file=out)
    return print_grades(course, name, out=out)


def _check_jobs(jobs: object) -> int:
    if not isinstance(jobs, int) or isinstance(jobs, bool) or not 1 <= jobs <= 64:
        raise GradingError(f"--jobs must be a whole number from 1 to 64, got {jobs!r}")
    return jobs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sysdesign", description="System design course tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="grade a copy of your exercise notebook (the file is not changed)")
    p_check.add_argument("notebook", type=Path)
    p_check.add_argument(
        "--timeout", type=int, default=None, help="seconds per cell (default: nbgrader_config.py)"
    )
    p_check.add_argument("--html", type=Path, default=None, help="also write the feedback page to this file")
    sub.add_parser("list", help="list the problem sets with their parts and points")
    p_grade = sub.add_parser(
        "autograde", help="autograde every submission of a problem set with a progress bar (instructors)"
    )
    p_grade.add_argument("assignment")
    p_grade.add_argument("students", nargs="*", help="only these students (default: every submission)")
    p_grade.add_argument(
        "--course", type=Path, default=None, help="course folder (default: here or the repo)"
    )
    p_grade.add_argument("--timeout", type=int, default=None, help="seconds per cell")
    p_grade.add_argument(
        "--jobs", type=int, default=1, help="grading processes side by side (default 1; one per core at most)"
    )
    p_grades = sub.add_parser("grades", help="print a problem set's grades per student (instructors)")
    p_grades.add_argument("assignment")
    p_grades.add_argument(
        "--course", type=Path, default=None, help="course folder (default: here or the repo)"
    )
    p_grades.add_argument("--csv", type=Path, default=None, help="also write the table to this CSV file")
    p_audit = sub.add_parser("audit", help="show lines of submissions that tamper with grading (instructors)")
    p_audit.add_argument("notebooks", type=Path, nargs="+")
    args = parser.parse_args(argv)
    ensure_tools_on_path()
    skip_slow_imports()
    try:
        if args.command == "check":
            report = check(args.notebook, timeout=args.timeout, html=args.html)
            return 0 if report.auto_score >= report.auto_max else 1
        if args.command == "list":
            list_sets()
            return 0
        if args.command == "autograde":
            autograde_all(
                args.assignment,
                instructor_course(args.course),
                args.students,
                timeout=args.timeout,
                jobs=args.jobs,
            )
            return 0
        if args.command == "grades":
            print_grades(instructor_course(args.course), args.assignment, args.csv)
            return 0
        if args.command == "audit":
            return 1 if audit(args.notebooks) else 0
    except GradingError as exc:
        print(f"sysdesign {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and cut short
        sys.stderr.close()
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
