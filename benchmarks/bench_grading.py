"""Grading speed: `sysdesign check`, and autograde seconds per submission for every problem set.

    python benchmarks/run.py grading
    python benchmarks/bench_grading.py --sets ps01_estimation ps05_warmup --class-size 20

All figures come from one run on this machine: ``sysdesign check`` on a filled-in ps01 (as a
learner types it, a fresh process without the virtual environment on PATH), then, per problem
set, a class of 1 and of 20 autograded three ways on the same submissions: in-process through
nbgrader's Python API (one call), by the plain ``nbgrader autograde`` command, and by
``sysdesign autograde --jobs 2`` (two worker processes). "Per extra submission" is
(time for 20 - time for 1) / 19: the cost of one more student once grading has started.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "grading"))

import _timing  # noqa: E402
from ps01_variants import filled  # noqa: E402
from sysdesign import cli  # noqa: E402
from sysdesign.nbgrading.course import TempCourse, assignments, remove_tree  # noqa: E402

BIN = Path(sys.executable).parent


def _bare_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PATH"] = "/usr/bin:/bin"
    return env


def time_check(notebook: Path, runs: int = 3) -> list[float]:
    """Wall seconds of `sysdesign check notebook`, start-up included."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [str(BIN / "sysdesign"), "check", str(notebook)],
            capture_output=True,
            text=True,
            env=_bare_env(),
            check=False,
        )
        samples.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise RuntimeError(f"sysdesign check failed: {done.stdout}{done.stderr}")
    return samples


def class_of(name: str, count: int, course: TempCourse) -> None:
    """Submit ``count`` students for problem set ``name``: every notebook filled in, every third student
    with the plausible mistakes of tests/grading/wrong (so failing tests are timed too)."""
    from roundtrip import wrong_answers

    for stem in course.notebook_names(name):
        source = course.folder / "solutions" / name / f"{stem}.ipynb"
        release = course.folder / "exercises" / name / f"{stem}.ipynb"
        good, bad = filled(source, release), filled(source, release, wrong_answers(stem))
        for i in range(count):
            course.submit_json(name, f"s{i:02d}", bad if i % 3 == 2 else good, as_name=stem)


def time_set(name: str, count: int, folder: Path) -> dict[str, float]:
    """Wall seconds to autograde ``count`` submissions of ``name``: API (one call), command, and
    ``sysdesign autograde --jobs 2``, each on the same submissions in a fresh course folder."""
    seconds = {}
    for way in ("api", "command", "jobs2"):
        course = TempCourse([name], folder=folder / f"{way}{count}")
        shutil.copy(ROOT / "nbgrader_config.py", course.folder / "nbgrader_config.py")
        course.generate(name)
        class_of(name, count, course)
        start = time.perf_counter()
        if way == "api":
            ok = course.autograde(name, "*")["success"]
        elif way == "command":
            env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
            done = subprocess.run(
                [str(BIN / "nbgrader"), "autograde", name, "--force"],
                cwd=course.folder,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            ok = done.returncode == 0
        else:
            with open(os.devnull, "w") as sink:
                table = cli.autograde_all(name, course.folder, jobs=2, out=sink)
            ok = len(table) == count
        seconds[way] = time.perf_counter() - start
        if not ok:
            raise RuntimeError(f"{name}: autograde ({way}) failed")
    return seconds


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="autograde seconds per submission, per problem set")
    parser.add_argument("--sets", nargs="*", default=None, help="problem sets (default: all)")
    parser.add_argument("--class-size", type=int, default=20)
    parser.add_argument("--skip-check", action="store_true")
    args = parser.parse_args([] if argv is None else argv)  # run.py calls main() with no arguments
    print(f"   load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    work = Path(tempfile.mkdtemp(prefix="sysdesign-bench-"))
    try:
        if not args.skip_check:
            mine = work / "my_ps01.ipynb"
            mine.write_text(json.dumps(filled(), indent=1) + "\n", encoding="utf-8")
            print(
                _timing.row("sysdesign check (filled-in ps01)", _timing.summarize(time_check(mine))),
                flush=True,
            )
        for name in args.sets or list(assignments()):
            one = time_set(name, 1, work / name)
            many = time_set(name, args.class_size, work / name)
            notebooks = len(assignments()[name])
            for way, label in (
                ("api", "Python API"),
                ("command", "nbgrader command"),
                ("jobs2", "sysdesign --jobs 2"),
            ):
                extra = (many[way] - one[way]) / (args.class_size - 1)
                each = many[way] / args.class_size
                print(
                    f"{name:<28} {notebooks} nb  {label:<20} 1: {one[way]:6.1f} s   "
                    f"{args.class_size}: {many[way]:6.1f} s   per submission {each:5.2f} s   "
                    f"per extra submission {extra:5.2f} s",
                    flush=True,
                )
    finally:
        remove_tree(work)


if __name__ == "__main__":
    main(sys.argv[1:])
