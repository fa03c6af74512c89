"""File storage and sync (Dropbox, Google Drive): chunking, chunk-level sync, dedup and edit conflicts.

A sync client cuts each file into fixed-size *chunks* and names every chunk by its SHA-256
hash. After an edit it hashes the chunks again and uploads only those the server does not have
yet; the file itself becomes a list of chunk hashes in the metadata database. Two numbers pull
the chunk size in opposite directions:

* **upload after a small edit**: a change of ``e`` contiguous bytes touches at most
  ``ceil((e - 1) / c) + 1`` chunks of size ``c`` (it may straddle a boundary), and each touched
  chunk goes up whole, so small chunks upload less;
* **chunks per file**: a file of ``F`` bytes has ``ceil(F / c)`` chunks, each a metadata row and a
  hash to compare, so big chunks keep the metadata small.

Because chunks are named by content, identical chunks are stored once, across versions of a file
and across users (*dedup*). Fixed-size chunks have one weakness: an *insertion* shifts every
later boundary, so everything after the edit looks new (content-defined chunking fixes that; it
is not modelled here).

Two devices that edit the same file while offline produce a *conflict* when both upload. The
policies of :data:`CONFLICT_POLICIES` differ in what they give up: ``last_writer_wins`` keeps one
edit and silently drops the others; ``conflicted_copy`` keeps every edit, the later ones as
separate "conflicted copy" files the user merges; ``lock`` lets only the holder of a lock edit,
which an offline device cannot obtain, so its edits are refused.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

from . import _check

CONFLICT_POLICIES: tuple[str, ...] = ("last_writer_wins", "conflicted_copy", "lock")
EDIT_KINDS: tuple[str, ...] = ("overwrite", "insert")
MAX_SIM_BYTES = 2**24
"""Most bytes (16 MiB) a byte-level simulation builds and hashes, to stay fast."""


def _whole(name: str, value: object, low: float, high: float = math.inf) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number >= {low:g}, got {value!r}")
    return int(x)


# ------------------------------------------------------------------------------------ arithmetic
def chunk_count(file_bytes: float, chunk_bytes: float) -> int:
    """Chunks (metadata rows) for one file: ``ceil(file_bytes / chunk_bytes)``; an empty file has none.

    >>> chunk_count(10e6, 4e6), chunk_count(4_194_304, 4_194_304)
    (3, 1)
    """
    f = _check.number("file_bytes", file_bytes, low=0)
    c = _check.number("chunk_bytes", chunk_bytes, low=1)
    return math.ceil(f / c - 1e-12)


def chunks_touched(edit_bytes: float, chunk_bytes: float, file_bytes: float | None = None) -> int:
    """Worst-case chunks that an edit of ``edit_bytes`` contiguous bytes changes: ``ceil((e - 1) / c) + 1``
    (the edit straddles a boundary), never more than the file has.

    >>> chunks_touched(1, 4_096), chunks_touched(4_096, 4_096), chunks_touched(10_000, 4e6)
    (1, 2, 2)
    >>> chunks_touched(10_000, 4e6, file_bytes=1e6)   # the whole file is one chunk
    1
    """
    e = _check.number("edit_bytes", edit_bytes, low=1)
    c = _check.number("chunk_bytes", chunk_bytes, low=1)
    touched = math.ceil((e - 1) / c - 1e-12) + 1
    if file_bytes is not None:
        touched = min(touched, max(1, chunk_count(file_bytes, c)))
    return touched


def upload_after_edit(file_bytes: float, edit_bytes: float, chunk_bytes: float | None = None) -> float:
    """Bytes uploaded, at worst, after an in-place edit of ``edit_bytes`` bytes of a ``file_bytes`` file.

    ``chunk_bytes=None`` means whole-file sync: the whole file goes up again. With chunks, every
    touched chunk goes up whole (the last chunk of a file may be shorter; the bound ignores that).

    >>> upload_after_edit(1e9, 10_000)            # whole-file sync
    1000000000.0
    >>> upload_after_edit(1e9, 10_000, 4e6)       # two 4 MB chunks at worst
    8000000.0
    """
    f = _check.number("file_bytes", file_bytes, low=1)
    e = _check.number("edit_bytes", edit_bytes, low=1, high=f)
    if chunk_bytes is None:
        return f
    c = _check.number("chunk_bytes", chunk_bytes, low=1)
    return float(min(f, chunks_touched(e, c, f) * c))


# ------------------------------------------------------------------------------ byte-level sync
def chunk_hashes(data: bytes | np.ndarray, chunk_bytes: int) -> list[str]:
    """SHA-256 hex digest of each fixed-size chunk of ``data``, in order.

    >>> [h[:8] for h in chunk_hashes(b"abcabc", 3)]
    ['ba7816bf', 'ba7816bf']
    """
    c = _whole("chunk_bytes", chunk_bytes, 1)
    raw = data.tobytes() if isinstance(data, np.ndarray) else bytes(data)
    return [hashlib.sha256(raw[i : i + c]).hexdigest() for i in range(0, len(raw), c)]


@dataclass(frozen=True)
class SyncResult:
    """One edit synced with chunks: ``uploaded`` bytes (new chunks only) out of ``file_bytes``."""

    file_bytes: int
    chunk_bytes: int
    chunks: int
    changed_chunks: int
    uploaded: int

    @property
    def saved(self) -> float:
        """Share of the file not uploaded, compared with whole-file sync."""
        return 1 - self.uploaded / self.file_bytes


def sync_edit(
    file_bytes: int, chunk_bytes: int, edit_bytes: int, *, kind: str = "overwrite", seed: int = 0
) -> SyncResult:
    """Build a random file, edit ``edit_bytes`` bytes at a random place, and sync it chunk by chunk.

    The server holds the old version's chunks; the client hashes the new version and uploads
    each chunk whose hash the server lacks. ``kind="overwrite"`` changes bytes in place;
    ``"insert"`` adds new bytes, which shifts every later fixed-size boundary.

    >>> r = sync_edit(4_000_000, 64_000, 100, seed=1)
    >>> r.changed_chunks in (1, 2), r.uploaded <= 128_000
    (True, True)
    >>> sync_edit(4_000_000, 64_000, 100, kind="insert", seed=1).uploaded > 1_000_000
    True
    """
    f = _whole("file_bytes", file_bytes, 1, MAX_SIM_BYTES)
    c = _whole("chunk_bytes", chunk_bytes, 64, f)
    e = _whole("edit_bytes", edit_bytes, 1, f)
    _check.choice("kind", kind, EDIT_KINDS)
    rng = np.random.default_rng(seed)
    old = np.frombuffer(rng.bytes(f), dtype=np.uint8)
    patch = np.frombuffer(rng.bytes(e), dtype=np.uint8)
    at = int(rng.integers(0, f - e + 1))
    if kind == "overwrite":
        new = old.copy()
        new[at : at + e] = patch
    else:
        new = np.concatenate([old[:at], patch, old[at:]])
    server = set(chunk_hashes(old, c))
    raw = new.tobytes()
    uploaded = changed = 0
    sent: set[str] = set()
    for i in range(0, len(raw), c):
        piece = raw[i : i + c]
        digest = hashlib.sha256(piece).hexdigest()
        if digest in server:
            continue
        changed += 1
        if digest not in sent:
            sent.add(digest)
            uploaded += len(piece)
    return SyncResult(len(raw), c, math.ceil(len(raw) / c), changed, uploaded)


@dataclass(frozen=True)
class DedupResult:
    """Bytes kept for a set of files: ``logical`` (as the users see them), with whole-file dedup
    (identical files stored once) and with chunk dedup (identical chunks stored once)."""

    files: int
    logical: int
    whole_file: int
    chunked: int

    @property
    def chunk_savings(self) -> float:
        """Share of the logical bytes that chunk dedup does not store."""
        return 1 - self.chunked / self.logical


def dedup_store(
    files: int,
    file_bytes: int,
    chunk_bytes: int,
    *,
    copy_share: float = 0.3,
    version_share: float = 0.3,
    edit_bytes: int = 1_000,
    seed: int = 0,
) -> DedupResult:
    """Store ``files`` files of ``file_bytes`` bytes: a ``copy_share`` of them are exact copies of an
    earlier file (the same attachment saved by many people), a ``version_share`` are an earlier file
    with ``edit_bytes`` bytes overwritten (a new version), the rest are new. Count the bytes kept.

    >>> r = dedup_store(200, 50_000, 4_096, copy_share=0.3, version_share=0.3, seed=2)
    >>> r.whole_file < r.logical, r.chunked < r.whole_file
    (True, True)
    """
    n = _whole("files", files, 1, 10_000)
    f = _whole("file_bytes", file_bytes, 1, MAX_SIM_BYTES)
    if n * f > MAX_SIM_BYTES:
        raise ValueError(f"files * file_bytes must be at most {MAX_SIM_BYTES:,}, got {n * f:,}")
    c = _whole("chunk_bytes", chunk_bytes, 64, f)
    copies = _check.number("copy_share", copy_share, low=0, high=1)
    versions = _check.number("version_share", version_share, low=0, high=1 - copies)
    e = _whole("edit_bytes", edit_bytes, 1, f)
    rng = np.random.default_rng(seed)
    kinds = rng.choice(3, size=n, p=[1 - copies - versions, copies, versions])
    kinds[0] = 0  # the first file is always new
    made: list[bytes] = []
    whole: set[str] = set()
    stored_whole = 0
    chunks: set[str] = set()
    stored_chunks = 0
    for k in kinds:
        if k == 0 or not made:
            blob = rng.bytes(f)
        else:
            base = made[int(rng.integers(0, len(made)))]
            if k == 1:
                blob = base
            else:
                arr = np.frombuffer(base, dtype=np.uint8).copy()
                at = int(rng.integers(0, f - e + 1))
                arr[at : at + e] = np.frombuffer(rng.bytes(e), dtype=np.uint8)
                blob = arr.tobytes()
        made.append(blob)
        digest = hashlib.sha256(blob).hexdigest()
        if digest not in whole:
            whole.add(digest)
            stored_whole += len(blob)
        for i in range(0, len(blob), c):
            piece = blob[i : i + c]
            h = hashlib.sha256(piece).hexdigest()
            if h not in chunks:
                chunks.add(h)
                stored_chunks += len(piece)
    return DedupResult(n, n * f, stored_whole, stored_chunks)


# ------------------------------------------------------------------------------------- conflicts
@dataclass(frozen=True)
class ConflictResult:
    """Outcome of offline edits under a policy (counts of edits and files).

    ``edits``: edits made; ``conflicts``: files edited on two or more devices; ``lost``: edits
    silently overwritten; ``copies``: conflicted copies created for the user to merge;
    ``refused``: edits the device was not allowed to make.
    """

    policy: str
    files: int
    edits: int
    conflicts: int
    lost: int
    copies: int
    refused: int


def conflicts(
    files: int, devices: int, edit_probability: float, policy: str, *, seed: int = 0
) -> ConflictResult:
    """Simulate ``devices`` devices that each edit each of ``files`` shared files with probability
    ``edit_probability`` while offline, then reconnect in a random order and upload.

    The server keeps a version number per file; an upload names the version it was based on. The
    first upload after the offline period applies; a later one whose base is stale is a conflict,
    handled by ``policy`` (see :data:`CONFLICT_POLICIES`).

    >>> lww = conflicts(10_000, 3, 0.3, "last_writer_wins", seed=1)
    >>> copy = conflicts(10_000, 3, 0.3, "conflicted_copy", seed=1)
    >>> lww.lost > 0, copy.lost, copy.copies == lww.lost
    (True, 0, True)
    >>> conflicts(10_000, 3, 0.3, "lock", seed=1).refused == lww.edits
    True
    """
    n = _whole("files", files, 1, 10_000_000)
    d = _whole("devices", devices, 1, 1_000)
    p = _check.number("edit_probability", edit_probability, low=0, high=1)
    _check.choice("policy", policy, CONFLICT_POLICIES)
    rng = np.random.default_rng(seed)
    per_file = rng.binomial(d, p, size=n)
    edits = int(per_file.sum())
    late = int(np.maximum(per_file - 1, 0).sum())  # uploads that find a newer version on the server
    conflicted = int((per_file >= 2).sum())
    lost = copies = refused = 0
    if policy == "last_writer_wins":
        lost = late
    elif policy == "conflicted_copy":
        copies = late
    else:  # an offline device cannot take the lock, so none of its edits is allowed
        refused = edits
    return ConflictResult(policy, n, edits, conflicted, lost, copies, refused)
