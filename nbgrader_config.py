"""nbgrader configuration: this repository is the course root.

Run nbgrader from this folder (it reads this file from the current directory only).
solutions/<set>/ holds the sources, exercises/<set>/ the generated student versions.
"""

from pathlib import Path

from sysdesign.nbgrading.config import grading_rules

HERE = Path(__file__).resolve().parent

c = get_config()  # type: ignore[name-defined]  # noqa: F821

c.CourseDirectory.course_id = "sysdesign"
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = f"sqlite:///{HERE / 'gradebook.db'}"
c.Exchange.root = str(HERE / ".exchange")

# Grading rules shared with the JupyterHub deployment (sysdesign.nbgrading.config):
# - Execute.timeout 10 s per cell: a cell that never ends costs this much, then grading moves on;
# - test cells never show a value: any they show is dropped (an answer calling sys.displayhook
#   would otherwise earn full "partial credit"), see sysdesign.nbgrading.config.StrictTestOutputs;
# - each grading kernel gets a 2 GB heap (prlimit): a memory bomb fails its own cell;
# - zip_collect reads files named <student>_<notebook>.ipynb (a student id without underscores,
#   e.g. "alice_ps01_estimation.ipynb") from downloaded/<set>/archive/ (zip files are unpacked).
grading_rules(c)
