"""exercises/ is what nbgrader generates from solutions/, byte for byte.

Uses nbgrader's Python API in a temporary course folder (no gradebook or files in the repository).
That the solutions pass their tests and the blanks fail them is checked part by part by the round
trips (tests/grading/roundtrip.py: solution full marks, blank zero), and nbgrader's own `validate`
command by the instructor-guide walk (tests/workflow/test_instructor_guide.py).
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest
from sysdesign.nbgrading.course import assignments

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted(assignments(ROOT))

_spec = importlib.util.spec_from_file_location("release_script", ROOT / "scripts" / "release.py")
release_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(release_script)


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_regenerated_exercises_match_the_committed_ones(tmp_path):
    written = release_script.release(to=tmp_path / "course")
    assert [p.name for p in written] == SETS
    fresh, committed = digests(tmp_path / "course" / "exercises"), digests(ROOT / "exercises")
    drift = sorted(k for k in fresh.keys() | committed.keys() if fresh.get(k) != committed.get(k))
    assert not drift, f"exercises/ differs from solutions/ (run `make exercises`): {drift}"
