"""nbgrader configuration: this repository is the course root.

Run nbgrader from this folder (it reads this file from the current directory only).
solutions/<set>/ holds the sources, exercises/<set>/ the generated student versions.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

c = get_config()  # type: ignore[name-defined]  # noqa: F821

c.CourseDirectory.course_id = "sysdesign"
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = f"sqlite:///{HERE / 'gradebook.db'}"
c.Exchange.root = str(HERE / ".exchange")
# A student cell that never ends costs this many seconds, then grading moves on.
c.Execute.timeout = 10
c.Execute.interrupt_on_timeout = True
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.GenerateAssignment.create_assignment = True
# Autograded test cells never show a value: drop any they show (an answer function calling
# sys.displayhook would otherwise earn full "partial credit"). See sysdesign.cli.strict_test_outputs.
from sysdesign.cli import autograde_preprocessors, fast_metadata_validation, limited_kernel_manager  # noqa: E402

fast_metadata_validation()  # one compiled schema instead of a new validator per cell (0.5 s a notebook)

c.Autograde.autograde_preprocessors = autograde_preprocessors()
# Grading kernels get a 2 GB heap: a memory bomb fails its own cell (MemoryError) and grading goes on.
c.Execute.kernel_manager_class = limited_kernel_manager()

# zip_collect: files downloaded from a learning-management system, named <student>_<notebook>.ipynb
# (a student id without underscores, e.g. "alice_ps01_estimation.ipynb"), placed in
# downloaded/<set>/archive/ (zip files there are unpacked).
c.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>[^_/]+)_(?P<file_id>[^/]+\.ipynb)$"
