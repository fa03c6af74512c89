"""A class of six for ps01_estimation, built by copying notebooks (faster than the exchange for each).

Four students arrive the way ``nbgrader collect`` leaves them (``submitted/<student>/<set>/`` with a
``timestamp.txt``); two through ``nbgrader zip_collect``: ``dan_ps01_estimation.ipynb`` and a
Canvas download name for eve (``evanseve_LATE_4471_90211_ps01_estimation-1.ipynb``, her Canvas user
id 4471 in the roster). What each answers differently is in :data:`ANSWERS`.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "grading"))
from ps01_variants import filled, with_answer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SET = "ps01_estimation"
BIN = Path(sys.executable).parent
# A month ahead: dan's and eve's files, collected now with their file time, are on time.
DUE = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)).replace(
    hour=17, minute=0, second=0, microsecond=0, tzinfo=None
)  # UTC

QUICK_DAY = (
    "def egress(bytes_per_day, views_per_photo):\n    return bytes_per_day * views_per_photo / 100_000\n"
)
NO_VIEWS = "def egress(bytes_per_day, views_per_photo):\n    return bytes_per_day / 86_400\n"
WRITTEN = {
    "ann": "Storage (40 TB a day) and egress (19 GB/s) drive the design: object store, CDN.",
    "ben": "Egress needs a CDN; storage needs an object store with cold tiers.",
    "cat": "Connections are fine; uploads are fine; storage is huge so use erasure coding.",
    "dan": "The CDN carries the downloads; photos live in an object store.",
    "eve": "Automatic failover because 22 minutes a month is little; CDN for reads.",
    "fay": "Mostly storage: petabytes over ten years, so tiering and an object store.",
}
# student -> (answers replaced, parts lost, submission time or None for zip_collect)
ANSWERS: dict[str, tuple[dict[str, str], set[str], datetime.datetime | None]] = {
    "ann": ({}, set(), DUE - datetime.timedelta(hours=3)),
    "ben": ({"egress": QUICK_DAY}, {"F"}, DUE - datetime.timedelta(hours=1)),  # 100,000 s day: 13.6% off
    "cat": ({"egress": NO_VIEWS}, {"F"}, DUE + datetime.timedelta(hours=2)),  # late, no extension
    "dan": ({"egress": NO_VIEWS}, {"F"}, None),
    "eve": ({}, set(), None),
    "fay": ({}, set(), DUE + datetime.timedelta(hours=5)),  # late, but has a 24 h extension
}
ZIP_NAMES = {"dan": f"dan_{SET}.ipynb", "eve": f"evanseve_LATE_4471_90211_{SET}-1.ipynb"}


def run(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``nbgrader ...`` or ``sysdesign ...`` from ``cwd`` with the venv's tools first on PATH."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    tool = args[0] if args[0] == "sysdesign" else "nbgrader"
    rest = args[1:] if args[0] == "sysdesign" else args
    done = subprocess.run(
        [str(BIN / tool), *rest], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    if check:
        assert done.returncode == 0, f"{tool} {' '.join(rest)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def notebook(student: str) -> dict:
    nb = filled()
    for slug, text in ANSWERS[student][0].items():
        nb = with_answer(nb, slug, text)
    for c in nb["cells"]:
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "answer-design":
            c["source"] = WRITTEN[student]
    return nb


def build(folder: Path, extra_config: str = "") -> Path:
    """The course folder with the six submissions collected (zip_collect run for dan and eve)."""
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    if extra_config:
        with (folder / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
            fh.write("\n" + extra_config + "\n")
    shutil.copytree(ROOT / "solutions" / SET, folder / "solutions" / SET)
    (folder / ".exchange").mkdir()  # the exchange the four other students submitted through
    from nbgrader.api import Gradebook
    from sysdesign.nbgrading.course import TempCourse

    TempCourse([], root=folder, folder=folder).generate(SET)  # nbgrader generate_assignment, in process
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gb:  # the roster: nbgrader db student add
        gb.update_or_create_student(
            "eve", first_name="Eve", last_name="Evans", email="eve@example.org", lms_user_id="4471"
        )
    for student, (_, _, when) in ANSWERS.items():
        if when is None:
            continue
        target = folder / "submitted" / student / SET
        target.mkdir(parents=True)
        (target / f"{SET}.ipynb").write_text(json.dumps(notebook(student)), encoding="utf-8")
        (target / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), encoding="utf-8")
        (target / "submission_secret.txt").write_text(
            f"secret-of-{student}", encoding="utf-8"
        )  # as submit writes
    archive = folder / "downloaded" / SET / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "canvas-download.zip", "w") as zf:
        zf.writestr(ZIP_NAMES["eve"], json.dumps(notebook("eve")))
    (archive / ZIP_NAMES["dan"]).write_text(json.dumps(notebook("dan")), encoding="utf-8")
    run(folder, "zip_collect", SET, "--force")
    return folder
