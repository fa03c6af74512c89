"""Regenerate exercises/ from solutions/ with nbgrader's Python API (`make exercises`).

    python scripts/release.py                   # every problem set -> exercises/ (and gradebook.db)
    python scripts/release.py ps01_estimation   # one problem set
    python scripts/release.py --to /tmp/course  # into /tmp/course/exercises/, throw-away gradebook

The output is byte-identical from one run to the next, so the tests regenerate into a temporary
folder and fail on any difference from the committed exercises/. Writing into the repository also
records the hidden tests in the course's gradebook.db (git-ignored; keep it private).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from sysdesign.nbgrading import GradingError  # noqa: E402
from sysdesign.nbgrading.course import TempCourse, assignments  # noqa: E402


def release(names: Sequence[str] | None = None, to: Path | None = None, root: Path = ROOT) -> list[Path]:
    """Generate the student version of each problem set; return the folders written.

    ``to=None`` writes ``root/exercises/<set>/`` through the course's own gradebook; otherwise the
    sources are copied to ``to/solutions/`` and the release lands in ``to/exercises/``.
    """
    names = list(names or assignments(root))
    course = TempCourse([] if to is None else names, root=root, folder=root if to is None else to)
    try:
        return [course.generate(name) for name in names]
    finally:
        course.close()  # a no-op: the folder was given, so it is not deleted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="problem sets (default: every folder of solutions/)")
    parser.add_argument(
        "--to", type=Path, default=None, help="course folder to write into instead of the repository"
    )
    args = parser.parse_args(argv)
    try:
        for folder in release(args.names, args.to):
            print("generated", folder)
    except GradingError as exc:
        print(f"release: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
