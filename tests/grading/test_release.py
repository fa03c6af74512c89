"""exercises/ is what nbgrader generates from solutions/; solutions pass their tests, the blanks fail them.

Uses nbgrader's Python API in temporary course folders (no gradebook or files in the repository).
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest
from sysdesign.nbgrading.course import assignments, nbgrader_config
from sysdesign.nbgrading.patches import ensure_tools_on_path

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
    # And a second run over the first gives the same bytes.
    release_script.release(to=tmp_path / "course")
    assert digests(tmp_path / "course" / "exercises") == fresh


@pytest.fixture(scope="module")
def validator_config(tmp_path_factory):
    course = tmp_path_factory.mktemp("validate")
    ensure_tools_on_path()
    return nbgrader_config(ROOT, course, timeout=10)


@pytest.mark.slow
@pytest.mark.parametrize("name", SETS)
def test_solution_passes_nbgrader_validate(name, validator_config):
    from nbgrader.validator import Validator

    for path in assignments(ROOT)[name]:
        result = Validator(config=validator_config).validate(str(path))
        assert result == {}, [f.get("raw_error", f)[:300] for f in result.get("failed", [])]


@pytest.mark.slow
@pytest.mark.parametrize("name", SETS)
def test_every_test_fails_on_the_blank(name, validator_config):
    from nbgrader.validator import Validator

    for path in sorted((ROOT / "exercises" / name).glob("*.ipynb")):
        validator = Validator(config=validator_config)
        validator.invert = True
        result = validator.validate(str(path))
        assert "changed" not in result and "type_changed" not in result, "the release was edited by hand"
        assert "passed" not in result, [p["source"][:80] for p in result["passed"]]
