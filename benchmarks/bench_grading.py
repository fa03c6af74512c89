"""Grading speed: `sysdesign check`, and autograde seconds per submission (API against the nbgrader command).

    python benchmarks/run.py grading

All figures come from one run on this machine: ``sysdesign check`` on a filled-in ps01 (as a
learner types it, a fresh process without the virtual environment on PATH), then 1 and 20
submissions autograded in-process through nbgrader's Python API and, on the same submissions,
by the plain ``nbgrader autograde`` command.
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
from ps01_variants import SET, filled, variants  # noqa: E402
from sysdesign import cli  # noqa: E402

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


def submissions(count: int) -> list[dict]:
    """``count`` learner notebooks: mostly right, every third one with a wrong answer."""
    good, wrong = filled(), variants()["wrong_egress"][0]
    return [wrong if i % 3 == 2 else good for i in range(count)]


def time_api_and_command(count: int, folder: Path) -> tuple[float, float]:
    """Seconds to autograde ``count`` submissions in one API call, then with `nbgrader autograde --force`."""
    course = cli.TempCourse([SET], folder=folder)
    course.generate(SET)
    for i, nb in enumerate(submissions(count)):
        course.submit_json(SET, f"s{i:02d}", nb)
    start = time.perf_counter()
    result = course.autograde(SET, "*")
    api = time.perf_counter() - start
    if not result["success"]:
        raise RuntimeError(cli.autograde_failure(result))
    # The same course as a folder the command reads: the repository's config, whose root is its own folder.
    shutil.copy(ROOT / "nbgrader_config.py", folder / "nbgrader_config.py")
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    start = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "nbgrader"), "autograde", SET, "--force"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    command = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return api, command


def main() -> None:
    print(f"   load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    work = Path(tempfile.mkdtemp(prefix="sysdesign-bench-"))
    try:
        mine = work / "my_ps01.ipynb"
        mine.write_text(json.dumps(filled(), indent=1) + "\n", encoding="utf-8")
        print(
            _timing.row("sysdesign check (filled-in ps01, full run)", _timing.summarize(time_check(mine))),
            flush=True,
        )
        for count in (1, 20):
            api, command = time_api_and_command(count, work / f"course{count}")
            print(
                f"{f'autograde {count:>2} submission(s), Python API':<48} {api:7.2f} s total "
                f"{api / count:6.2f} s per submission",
                flush=True,
            )
            print(
                f"{f'autograde {count:>2} submission(s), nbgrader command':<48} {command:7.2f} s total "
                f"{command / count:6.2f} s per submission",
                flush=True,
            )
    finally:
        cli.remove_tree(work)


if __name__ == "__main__":
    main()
