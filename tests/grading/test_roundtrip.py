"""Every problem set has its round trip: a file test_roundtrip_<set>.py that runs roundtrip.py's tests.

One file per set, so that ``--dist loadfile`` spreads the sets over the workers.
"""

from __future__ import annotations

from pathlib import Path

from roundtrip import SETS


def test_every_problem_set_has_a_round_trip_file():
    here = Path(__file__).parent
    files = {p.stem.removeprefix("test_roundtrip_") for p in here.glob("test_roundtrip_*.py")}
    assert files == set(SETS), "add tests/grading/test_roundtrip_<set>.py (copy another set's file)"
