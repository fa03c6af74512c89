"""Grading a class four ways, in one run: the nbgrader command, ``sysdesign autograde --jobs 2``, and
``--dask`` on a local cluster of 1 and of 2 workers.

    python benchmarks/bench_class_grading.py                       # ps05_warmup, classes of 1 and 6
    python benchmarks/bench_class_grading.py --set ps07_advanced --class-size 10

Each way grades a class of 1 and a class of N (the same submissions as benchmarks/bench_grading.py:
every notebook filled in, every third student with the plausible mistakes of tests/grading/wrong)
in fresh course folders. "Per extra notebook" is (time for N - time for 1) / ((N - 1) x notebooks
of the set): the cost of one more notebook once grading has started (the cluster's start-up and
nbgrader's import cancel out). The Dask runs also report the CPU seconds the workers and their
kernels spent per notebook, the figure deploy/README.md sizes a cluster from. The load average is
printed first: on a shared machine every figure grows with it.
"""

from __future__ import annotations

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

from bench_grading import class_of  # noqa: E402
from sysdesign import cli  # noqa: E402
from sysdesign.nbgrading import dask  # noqa: E402
from sysdesign.nbgrading.course import TempCourse, assignments, remove_tree  # noqa: E402

BIN = Path(sys.executable).parent
WAYS = {
    "command": "nbgrader command",
    "jobs2": "--jobs 2",
    "dask1": "--dask, 1 worker",
    "dask2": "--dask, 2 workers",
}


RECORDED: list[float] = []  # seconds the instructor's process spent writing each Dask outcome


def _timed_record(course: Path, name: str, outcome: dask.Outcome) -> None:
    start = time.perf_counter()
    _record(course, name, outcome)
    RECORDED.append(time.perf_counter() - start)


_record, dask.record = dask.record, _timed_record


def grade(way: str, name: str, course: TempCourse, count: int) -> tuple[float, float]:
    """(wall seconds, worker CPU seconds or 0) to autograde the ``count`` submissions in ``course``."""
    cpu = 0.0
    start = time.perf_counter()
    if way == "command":
        env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
        done = subprocess.run(
            [str(BIN / "nbgrader"), "autograde", name, "--force"],
            cwd=course.folder,
            env=env,
            capture_output=True,
            check=False,
        )
        ok = done.returncode == 0
    elif way == "jobs2":
        with open(os.devnull, "w") as sink:
            ok = len(cli.autograde_all(name, course.folder, jobs=2, force=True, out=sink)) == count
    else:
        students = [f"s{i:02d}" for i in range(count)]
        done_list = dask.autograde_class_dask(name, course.folder, students, workers=int(way[-1]))
        ok = not any(g.problem for g in done_list)
        cpu = sum(g.cpu for g in done_list)
    seconds = time.perf_counter() - start
    if not ok:
        raise RuntimeError(f"{name}: {way} did not grade every submission")
    return seconds, cpu


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="seconds per extra notebook: nbgrader, --jobs 2, --dask")
    parser.add_argument("--set", default="ps05_warmup")
    parser.add_argument("--class-size", type=int, default=6)
    args = parser.parse_args([] if argv is None else argv)
    name, size = args.set, args.class_size
    if size < 2:
        raise ValueError(f"--class-size must be at least 2, got {size}")
    notebooks = len(assignments()[name])
    print(f"   load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    work = Path(tempfile.mkdtemp(prefix="sysdesign-bench-class-"))
    cache = work / "cache" / name
    per_extra: dict[str, float] = {}
    try:
        seed = TempCourse([name], folder=work / "seed")
        seed.prepare(name, cache)  # generates the release and the gradebook the other courses copy
        for way, label in WAYS.items():
            wall, cpu = {}, {}
            for count in (1, size):
                course = TempCourse([name], folder=work / f"{way}{count}")
                shutil.copy(ROOT / "nbgrader_config.py", course.folder / "nbgrader_config.py")
                course.prepare(name, cache)
                release = course.folder / "exercises" / name
                shutil.copytree(seed.folder / "exercises" / name, release)  # what class_of fills in
                class_of(name, count, course)
                wall[count], cpu[count] = grade(way, name, course, count)
            per_extra[way] = (wall[size] - wall[1]) / ((size - 1) * notebooks)
            line = (
                f"{name} ({notebooks} nb)  {label:<18} 1: {wall[1]:6.1f} s   {size}: {wall[size]:6.1f} s   "
                f"per extra notebook {per_extra[way]:5.2f} s"
            )
            if cpu[size]:
                line += f"   CPU per notebook {cpu[size] / (size * notebooks):5.2f} s"
            print(line, flush=True)
        print(f"scaling from 1 to 2 Dask workers: {per_extra['dask1'] / per_extra['dask2']:.2f}x", flush=True)
        print(
            f"instructor's process: {sum(RECORDED) / len(RECORDED):.3f} s to record one submission "
            f"({len(RECORDED)} recorded; gradebook and autograded/)",
            flush=True,
        )
    finally:
        remove_tree(work)


if __name__ == "__main__":
    main(sys.argv[1:])
