"""Similarity flags: a copied submission (names, comments, layout and a few words changed) is found
among honest decoys, and so is a byte-identical pair; honest likeness (the model answer, a slip
many students make, prose on the same facts) is not flagged. No nbgrader, no kernels."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from classroom import ROOT, SET
from ps01_variants import filled, with_answer  # classroom put tests/grading on sys.path
from sysdesign.nbgrading.similarity import normalise_code, side_by_side, similar_pairs

PROSE = {
    "amy": "Storage and egress are the real drivers; 40 TB a day means an object store; reads need a CDN.",
    "bob": "A CDN is required for the downloads, while uploads at a few thousand per second are easy.",
    "cy": "Ten years of photos with three copies is hundreds of petabytes, so tier cold data down.",
    "di": "Failover must be automatic: 22 minutes of downtime a month leaves no time for people.",
    "gus": (
        "My reading: the write path is cheap, but the bytes pile up; replicate less for old photos with "
        "erasure coding, push thumbnails to edge caches, and keep metadata in a small relational store."
    ),
}
GUS_CODE = {
    "egress": (
        "def egress(bytes_per_day, views_per_photo):\n"
        "    # every stored byte leaves the building once per view\n"
        "    outgoing_per_day = bytes_per_day * views_per_photo\n"
        "    seconds_in_day = 24 * 60 * 60\n"
        "    return outgoing_per_day / seconds_in_day\n"
    ),
    "total-storage": (
        "def total_storage(bytes_per_day, years, replicas):\n"
        "    days = 365 * years\n"
        "    one_copy = days * bytes_per_day\n"
        "    return one_copy * replicas\n"
    ),
    "servers": (
        "def connection_servers(concurrent, per_server, max_utilisation):\n"
        "    usable = per_server * max_utilisation\n"
        "    whole, rest = divmod(concurrent, usable)\n"
        "    return int(whole) + (1 if rest else 0)\n"
    ),
}
# hal copies gus: other names, other comments, a docstring, other layout, two words of the prose changed
HAL_CODE = {
    "egress": (
        "def egress(bytes_per_day, views_per_photo):\n"
        '    """Outgoing bytes per second."""\n'
        "    out = bytes_per_day * views_per_photo   # bytes read per day\n\n"
        "    secs = 24 * 60 * 60\n"
        "    return out / secs\n"
    ),
    "total-storage": (
        "def total_storage(bytes_per_day, years, replicas):\n"
        "    n_days = 365 * years\n\n\n"
        "    single = n_days * bytes_per_day  # before replication\n"
        "    return single * replicas\n"
    ),
    "servers": (
        "def connection_servers(concurrent, per_server, max_utilisation):\n"
        "    cap = per_server * max_utilisation\n"
        "    q, r = divmod(concurrent, cap)\n"
        "    return int(q) + (1 if r else 0)\n"
    ),
}
HONEST = {  # other correct ways of writing an answer, one student each
    "bob": {
        "egress": "def egress(bytes_per_day, views_per_photo):\n"
        "    return views_per_photo * (bytes_per_day / 86400)\n"
    },
    "cy": {
        "total-storage": "def total_storage(bytes_per_day, years, replicas):\n"
        "    return replicas * years * 365 * bytes_per_day\n"
    },
}
WRONG = "def egress(bytes_per_day, views_per_photo):\n    return bytes_per_day / 86_400\n"  # a common slip


def submission(answers: dict[str, str], prose: str) -> dict:
    nb = filled()
    for slug, text in answers.items():
        nb = with_answer(nb, slug, text)
    return with_answer(nb, "design", prose)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("similar")
    for part in ("solutions", "exercises"):
        shutil.copytree(ROOT / part / SET, folder / part / SET)
    notebooks = {
        "amy": submission({}, PROSE["amy"]),
        "bob": submission(HONEST["bob"], PROSE["bob"]),
        "cy": submission({**HONEST["cy"], "egress": WRONG}, PROSE["cy"]),
        "di": submission({"egress": WRONG}, PROSE["di"]),
        "eli": submission(
            {"egress": WRONG},
            PROSE["amy"].replace("Storage and egress", "Egress and storage")[:60]
            + " Also the upload rate is small.",
        ),
        "gus": submission(GUS_CODE, PROSE["gus"]),
        "hal": submission(HAL_CODE, PROSE["gus"].replace("My reading", "In short").replace("cheap", "easy")),
    }
    for student, nb in notebooks.items():
        target = folder / "submitted" / student / SET / f"{SET}.ipynb"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    ivy = folder / "submitted" / "ivy" / SET
    ivy.mkdir(parents=True)
    shutil.copyfile(
        folder / "submitted" / "amy" / SET / f"{SET}.ipynb", ivy / f"{SET}.ipynb"
    )  # byte-identical
    return folder


def test_the_copy_and_the_identical_pair_are_flagged_and_no_honest_pair_is(course):
    pairs = similar_pairs(course, SET)
    assert {(p.a, p.b) for p in pairs} == {("gus", "hal"), ("amy", "ivy")}
    copied = next(p for p in pairs if p.a == "gus")
    assert {"answer-egress", "answer-total-storage", "answer-servers"} <= set(copied.identical)
    assert "answer-design" not in copied.identical and copied.similarity >= 0.9


def test_renaming_comments_docstrings_and_blank_lines_do_not_hide_a_copy():
    for slug in GUS_CODE:
        assert normalise_code(GUS_CODE[slug]) == normalise_code(HAL_CODE[slug]), slug
    assert normalise_code(GUS_CODE["egress"]) != normalise_code(HONEST["bob"]["egress"])


def test_a_lower_threshold_shows_more_pairs_and_a_bad_threshold_is_refused(course):
    assert len(similar_pairs(course, SET, 0.3)) > 2
    for bad in (0, 1.5, "high", True):
        with pytest.raises(ValueError, match="threshold must be a number above 0 and at most 1"):
            similar_pairs(course, SET, bad)  # type: ignore[arg-type]


def test_side_by_side_shows_both_students_cells(course):
    pair = next(p for p in similar_pairs(course, SET) if p.a == "gus")
    text = side_by_side(course, SET, pair, "answer-servers")
    assert text.splitlines()[0].split() == ["gus", "|", "hal"]
    assert "usable = per_server * max_utilisation" in text and "cap = per_server * max_utilisation" in text
