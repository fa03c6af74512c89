"""File sync: chunk counts, worst-case upload after an edit, byte-level chunk sync, dedup and conflicts.

Expected numbers are the arithmetic written next to them: ceil(F / c) chunks per file; an edit
of e contiguous bytes touching at most ceil((e - 1) / c) + 1 chunks; offline edits split into
the first upload and the late ones.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import filesync


@pytest.mark.parametrize(
    ("file_bytes", "chunk", "expected"),
    [
        (1e9, 1e6, 1_000),  # 1 GB / 1 MB
        (1e9, 4e6, 250),  # 1 GB / 4 MB
        (10e6, 4e6, 3),  # 2.5 chunks -> 3 rows
        (0, 4e6, 0),  # an empty file has no chunks
        (4_194_304, 4_194_304, 1),  # exactly one chunk
    ],
)
def test_chunk_count(file_bytes, chunk, expected):
    assert filesync.chunk_count(file_bytes, chunk) == expected


@pytest.mark.parametrize(
    ("edit", "chunk", "expected"),
    [
        (1, 4_096, 1),  # one byte lies in one chunk
        (2, 4_096, 2),  # two bytes can straddle a boundary
        (4_096, 4_096, 2),  # a chunk's worth, misaligned
        (4_097, 4_096, 2),  # 1 byte + 4,096 bytes: ceil(4,096 / 4,096) + 1
        (4_098, 4_096, 3),  # ceil(4,097 / 4,096) + 1
        (10_000, 1e6, 2),
    ],
)
def test_chunks_touched_worst_case(edit, chunk, expected):
    assert filesync.chunks_touched(edit, chunk) == expected


@pytest.mark.parametrize(
    ("file_bytes", "edit", "chunk", "expected"),
    [
        (1e9, 1e4, None, 1e9),  # whole-file sync re-uploads everything
        (1e9, 1e4, 1e6, 2e6),  # two 1 MB chunks at worst
        (1e9, 1e4, 4e6, 8e6),  # two 4 MB chunks at worst
        (3e6, 5e5, 4e6, 3e6),  # a chunk bigger than the file: the whole (short) file
        (5e8, 1e6, 2.5e6, 5e6),  # ceil(999,999 / 2.5e6) + 1 = 2 chunks
    ],
)
def test_upload_after_edit(file_bytes, edit, chunk, expected):
    assert filesync.upload_after_edit(file_bytes, edit, chunk) == pytest.approx(expected)


@settings(max_examples=60, deadline=None)
@given(
    f=st.integers(1_000, 10**10),
    e=st.integers(1, 10**6),
    c=st.integers(1, 10**8),
)
def test_upload_is_between_the_edit_and_the_whole_file(f, e, c):
    e = min(e, f)
    up = filesync.upload_after_edit(f, e, c)
    assert min(e, f) <= up <= f + 1e-6
    assert up <= (e - 1 + 2 * c)  # at most the edit plus a partial chunk at each end


def test_chunk_hashes_are_sha256_of_each_piece():
    data = b"hello world!"
    assert filesync.chunk_hashes(data, 5) == [
        hashlib.sha256(b"hello").hexdigest(),
        hashlib.sha256(b" worl").hexdigest(),
        hashlib.sha256(b"d!").hexdigest(),
    ]


@pytest.mark.parametrize("chunk", [4_096, 64_000, 1_000_000])
def test_overwrite_uploads_only_the_touched_chunks(chunk):
    r = filesync.sync_edit(4_000_000, chunk, 10_000, seed=3)
    assert r.changed_chunks == filesync.chunks_touched(10_000, chunk) or r.changed_chunks == (
        filesync.chunks_touched(10_000, chunk) - 1
    )
    assert r.uploaded <= filesync.upload_after_edit(4_000_000, 10_000, chunk)
    assert r.saved > 0.4


def test_insertion_shifts_fixed_boundaries_so_the_tail_is_uploaded_again():
    over = filesync.sync_edit(4_000_000, 64_000, 100, kind="overwrite", seed=7)
    ins = filesync.sync_edit(4_000_000, 64_000, 100, kind="insert", seed=7)
    assert ins.file_bytes == 4_000_100
    assert ins.uploaded > 10 * over.uploaded


def test_dedup_whole_file_catches_copies_and_chunks_also_catch_versions():
    only_copies = filesync.dedup_store(100, 20_000, 1_000, copy_share=0.5, version_share=0.0, seed=1)
    # Exact copies: whole-file and chunk dedup store the same bytes.
    assert only_copies.whole_file == only_copies.chunked < only_copies.logical
    versions = filesync.dedup_store(
        100, 20_000, 1_000, copy_share=0.0, version_share=0.5, edit_bytes=100, seed=1
    )
    # New versions with a 100-byte edit: whole-file dedup saves nothing, chunks save most of each version.
    assert versions.whole_file == versions.logical
    assert versions.chunked < 0.8 * versions.logical
    assert 0 < versions.chunk_savings < 1


def test_nothing_to_dedup():
    r = filesync.dedup_store(20, 10_000, 1_000, copy_share=0.0, version_share=0.0, seed=2)
    assert r.logical == r.whole_file == r.chunked == 200_000


def test_conflict_policies_on_the_same_offline_edits():
    runs = {p: filesync.conflicts(50_000, 3, 0.3, p, seed=5) for p in filesync.CONFLICT_POLICIES}
    edits = runs["lock"].edits
    assert all(r.edits == edits for r in runs.values())  # same seed, same edits
    lww, copy, lock = runs["last_writer_wins"], runs["conflicted_copy"], runs["lock"]
    assert lww.lost > 0 and lww.copies == 0 and lww.refused == 0
    assert copy.lost == 0 and copy.copies == lww.lost and copy.refused == 0
    assert lock.lost == 0 and lock.refused == edits
    # 3 devices editing with p = 0.3: expected edits per file 0.9, so about 45,000 over 50,000 files.
    assert edits == pytest.approx(50_000 * 3 * 0.3, rel=0.02)
    # A file conflicts when 2+ devices edit: 1 - 0.7**3 - 3 * 0.3 * 0.7**2 = 0.216.
    assert lww.conflicts / 50_000 == pytest.approx(0.216, rel=0.03)


def test_one_device_never_conflicts():
    r = filesync.conflicts(1_000, 1, 0.9, "last_writer_wins", seed=1)
    assert r.conflicts == r.lost == 0


# The speed of sync_edit and conflicts (about 100 ms) is measured by benchmarks/bench_budgets.py.


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: filesync.chunk_count(-1, 10), "file_bytes"),
        (lambda: filesync.chunk_count(10, 0), "chunk_bytes"),
        (lambda: filesync.upload_after_edit(100, 200, 10), "edit_bytes"),
        (lambda: filesync.sync_edit(2**25, 4_096, 10), "file_bytes"),
        (lambda: filesync.sync_edit(10_000, 4_096, 10, kind="append"), "kind"),
        (lambda: filesync.dedup_store(10, 1_000, 100, copy_share=0.8, version_share=0.5), "version_share"),
        (lambda: filesync.dedup_store(1_000, 2**20, 4_096), "files"),
        (lambda: filesync.conflicts(10, 2, 0.5, "merge"), "policy"),
        (lambda: filesync.conflicts(10, 2.5, 0.5, "lock"), "devices"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()
