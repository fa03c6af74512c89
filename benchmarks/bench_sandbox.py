"""What the grading sandbox costs: each graded notebook with and without bubblewrap, in one process.

    python benchmarks/run.py sandbox
    python benchmarks/bench_sandbox.py --kernels 10 --notebooks 4

Three figures, each measured alternately sandboxed and unsandboxed in this same process (so a busy
machine slows both alike), with the same ``prlimit`` limits either way:

1. the sandbox's own set-up, once per graded notebook: the exact ``prlimit`` + ``bwrap`` command
   a grading kernel gets (namespaces, mounts, limits), around ``true`` instead of the kernel,
   against ``prlimit`` + ``true``;
2. one grading kernel's life as nbgrader drives it: start, wait until ready, run a cell that
   imports the library, shut down (``SandboxedKernelManager`` with ``sandbox`` "require" vs "off");
3. one ps01 notebook autograded through nbgrader's API in a temporary course (the whole path:
   nbgrader's preprocessors, the kernel, the gradebook).

The sandbox's cost per graded notebook is the difference of the medians of (1); the target is
50 ms. (2) and (3) show the same cost inside the whole path, where it drowns in the seconds a
kernel and nbgrader take (and in the noise of a shared machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests" / "grading"))

from ps01_variants import SET, filled  # noqa: E402
from sysdesign.nbgrading import sandbox  # noqa: E402
from sysdesign.nbgrading.course import TempCourse, remove_tree  # noqa: E402

TARGET_MS = 50.0
MODES = ("off", "require")


def setups(runs: int) -> dict[str, list[float]]:
    """Seconds of ``prlimit [bwrap ...] true``: the sandbox's set-up alone, ``runs`` times per mode."""
    import shutil
    import subprocess

    true = shutil.which("true") or "/bin/true"
    prlimit = shutil.which("prlimit")
    with tempfile.TemporaryDirectory(prefix="sysdesign-bench-") as private:
        commands = {
            "require": sandbox.command([true], workdir=None, private=private),
            "off": [prlimit, f"--data={sandbox.MEMORY_BYTES}", "--", true] if prlimit else [true],
        }
        samples: dict[str, list[float]] = {m: [] for m in MODES}
        for i in range(runs):
            for mode in MODES if i % 2 == 0 else MODES[::-1]:
                start = time.perf_counter()
                subprocess.run(commands[mode], check=True)
                samples[mode].append(time.perf_counter() - start)
    return samples


async def _kernel_life(mode: str, cwd: Path) -> float:
    """Seconds to start a grading kernel in ``mode``, run one cell and shut it down."""
    from traitlets.config import Config

    km = sandbox.SandboxedKernelManager(kernel_name="python3", config=Config())
    km.sandbox = mode
    start = time.perf_counter()
    await km.start_kernel(cwd=str(cwd))
    client = km.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=120)
        reply = await client.execute_interactive("import sysdesign.grading", timeout=120)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        await km.shutdown_kernel()
    return time.perf_counter() - start


def kernel_lives(runs: int) -> dict[str, list[float]]:
    """``runs`` kernel lives per mode, alternating modes."""
    samples: dict[str, list[float]] = {m: [] for m in MODES}
    with tempfile.TemporaryDirectory(prefix="sysdesign-bench-") as cwd:
        for i in range(runs):
            for mode in MODES if i % 2 == 0 else MODES[::-1]:
                samples[mode].append(asyncio.run(_kernel_life(mode, Path(cwd))))
    return samples


def graded_notebooks(runs: int) -> dict[str, list[float]]:
    """Seconds to autograde one filled-in ps01 notebook, ``runs`` times per mode, alternating."""
    samples: dict[str, list[float]] = {m: [] for m in MODES}
    seed = Path(tempfile.mkdtemp(prefix="sysdesign-bench-seed-"))
    cache = Path(tempfile.mkdtemp(prefix="sysdesign-bench-cache-")) / SET
    TempCourse([SET], folder=seed).prepare(SET, cache)
    nb = filled()
    try:
        # One course per mode; each builds its nbgrader API once, as a class run does.
        courses = {m: TempCourse([SET], timeout=60) for m in MODES}
        for mode, course in courses.items():
            course.config.SandboxedKernelManager.sandbox = mode
            course.prepare(SET, cache)
        for i in range(runs + 1):
            for mode in MODES if i % 2 == 0 else MODES[::-1]:
                course = courses[mode]
                student = f"s{i}"
                course.submit_json(SET, student, nb)
                start = time.perf_counter()
                result = course.autograde(SET, student)
                seconds = time.perf_counter() - start
                assert result.get("success"), result.get("log", "")[-500:]
                assert course.report(SET, student).auto_score == 13
                if i:  # the first round warms nbgrader up (imports, gradebook) and is not counted
                    samples[mode].append(seconds)
        for course in courses.values():
            course.close()
    finally:
        remove_tree(seed)
        remove_tree(cache.parent)
    return samples


def _ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1e3


def report(name: str, samples: dict[str, list[float]]) -> float:
    """Print the medians and the difference; return the difference in ms."""
    off, on = _ms(samples["off"]), _ms(samples["require"])
    print(
        f"{name:<44} unsandboxed {off:8.1f} ms   sandboxed {on:8.1f} ms   "
        f"cost {on - off:+7.1f} ms   (medians of {len(samples['off'])})"
    )
    return on - off


def main(kernels: int = 8, notebooks: int = 3, setup_runs: int = 40) -> dict[str, float]:
    reason = sandbox.unavailable_reason()
    if reason:
        print(f"no sandbox on this machine: {reason}")
        return {}
    setup = report("sandbox set-up (prlimit + bwrap around true)", setups(setup_runs))
    life = report("kernel start + one cell + shutdown", kernel_lives(kernels))
    graded = report("ps01 notebook autograded (nbgrader API)", graded_notebooks(notebooks))
    verdict = "ok" if setup < TARGET_MS else f"MISSES {TARGET_MS:g} ms"
    print(
        f"sandbox cost per graded notebook: {setup:.1f} ms (target < {TARGET_MS:g} ms: {verdict}); "
        f"inside the whole path: kernel life {life:+.1f} ms, graded notebook {graded:+.1f} ms (noisy)"
    )
    return {"setup_ms": setup, "kernel_ms": life, "notebook_ms": graded}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernels", type=int, default=8, help="kernel lives per mode")
    parser.add_argument("--notebooks", type=int, default=3, help="graded notebooks per mode")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    figures = main(args.kernels, args.notebooks)
    if args.json:
        print(json.dumps(figures))
