"""The course folder and throw-away nbgrader courses.

The course folder is the repository that holds ``solutions/`` (one folder per problem set) and
``nbgrader_config.py``. A :class:`TempCourse` copies some problem sets into a folder of its own with
a private gradebook, and drives nbgrader's Python API there: generate, submit, autograde, report.
``sysdesign check``, ``scripts/release.py``, class autograding, the tests and the benchmarks all
grade through it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sysdesign.nbgrading import GradingError
from sysdesign.nbgrading.parts import cells, nbgrader_meta
from sysdesign.nbgrading.patches import ensure_tools_on_path, inprocess_alembic_version, skip_slow_imports
from sysdesign.nbgrading.report import Report, read_report


def course_root() -> Path:
    """The course folder: the repository that holds ``solutions/`` and ``nbgrader_config.py``.

    Found next to the installed package (``lib/sysdesign`` -> repository, an editable install), or
    from ``SYSDESIGN_COURSE_ROOT`` when that is set.
    """
    env = os.environ.get("SYSDESIGN_COURSE_ROOT")
    root = Path(env).expanduser().resolve() if env else Path(__file__).resolve().parents[3]
    if not (root / "solutions").is_dir() or not (root / "nbgrader_config.py").is_file():
        where = "SYSDESIGN_COURSE_ROOT" if env else "the folder above lib/ (install with `pip install -e .`)"
        raise GradingError(
            f"cannot find the course folder: {root} has no solutions/ and nbgrader_config.py. "
            f"Looked in {where}; set SYSDESIGN_COURSE_ROOT to the repository folder."
        )
    return root


def assignments(root: Path | None = None) -> dict[str, list[Path]]:
    """Every problem set in ``solutions/``: name -> its source notebooks."""
    root = root or course_root()
    found = {}
    for folder in sorted((root / "solutions").iterdir()):
        notebooks = sorted(folder.glob("*.ipynb"))
        if folder.is_dir() and notebooks:
            found[folder.name] = notebooks
    return found


def identify(nb: dict[str, Any], path: Path, root: Path) -> tuple[str, str]:
    """(problem set, notebook name) whose graded cells this notebook carries; ``path`` is for messages."""
    ids = {nbgrader_meta(c).get("grade_id") for c in cells(nb) if nbgrader_meta(c).get("grade_id")}
    if not ids:
        raise GradingError(
            f"{path} is not an exercise notebook: it has no nbgrader cells "
            "(the exercises are in exercises/<set>/)"
        )
    best, overlap = None, 0
    for name, notebooks in assignments(root).items():
        for notebook in notebooks:
            known = {
                nbgrader_meta(c).get("grade_id")
                for c in cells(json.loads(notebook.read_text(encoding="utf-8")))
            }
            common = len(ids & known)
            if common > overlap:
                best, overlap = (name, notebook.stem), common
    if best is None:
        known_sets = ", ".join(assignments(root)) or "none"
        raise GradingError(f"{path} does not belong to a known problem set (known: {known_sets})")
    return best


def nbgrader_config(root: Path, course: Path, *, timeout: int | None = None) -> Any:
    """The ``nbgrader_config.py`` of course folder ``root``, pointed at another course folder ``course``.

    ``timeout`` (seconds per cell) replaces the config's own when given.
    """
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


class TempCourse:
    """A throw-away nbgrader course: copies of some problem sets' sources, a private gradebook.

    ``folder=None`` makes a temporary folder that :meth:`close` deletes; a given folder is kept
    (``scripts/release.py`` passes the repository itself, class autograding the instructor's course).

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
            sources = self.root / "solutions" / name
            if not sources.is_dir():
                raise GradingError(f"unknown problem set {name!r}: no folder solutions/{name} in {self.root}")
            shutil.copytree(sources, self.folder / "solutions" / name, dirs_exist_ok=True)
        self.config = nbgrader_config(self.root, self.folder, timeout=timeout)
        self._api: Any = None

    @property
    def api(self) -> Any:
        """nbgrader's ``NbGraderAPI`` for this course (created on first use)."""
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
        the sources, the config and the nbgrader version (:func:`~sysdesign.nbgrading.check.gradebook_cache`);
        it saves the generation step (1 s idle, 3-4 s on a busy machine) on every ``sysdesign check``
        but the first.
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
        target = self._submission(name, student, as_name)
        shutil.copyfile(notebook, target)
        return target

    def submit_json(self, name: str, student: str, nb: dict[str, Any], as_name: str | None = None) -> Path:
        """Write a notebook (a dict or NotebookNode) as a submission."""
        target = self._submission(name, student, as_name)
        target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return target

    def _submission(self, name: str, student: str, as_name: str | None) -> Path:
        stem = as_name or self.notebook_names(name)[0]
        target = self.folder / "submitted" / student / name / f"{stem}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def notebook_names(self, name: str) -> list[str]:
        """The notebook names (without ``.ipynb``) of problem set ``name``."""
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
