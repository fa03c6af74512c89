"""Pairs of submissions whose answers are identical or nearly so, for an instructor to read: it flags,
it never deducts.

Each answer cell (nbgrader ``solution`` cells) is normalised first, so that cosmetic edits hide
nothing: code is tokenised (:mod:`tokenize`) without comments, blank lines or docstrings, and every
name the student chose is renamed in order of appearance (``v0, v1``...; keywords, builtins and
attributes stay); written answers are lowercased, without punctuation, whitespace collapsed.
Unanswered cells (still the release's text) are left out, and so are answers that are honestly
alike: the same as the model answer, or as the answers of :data:`COMMON` or more students (a short
correct function, ``return a * b / 86_400``, comes out the same for most of a class). The rest is
compared with :class:`difflib.SequenceMatcher` over all the pair's answers together, weighted by
length, so long written answers and whole functions weigh most.
"""

from __future__ import annotations

import builtins
import difflib
import io
import itertools
import json
import keyword
import re
import tokenize
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sysdesign.nbgrading.parts import cells, nbgrader_meta, source

THRESHOLD = 0.9
"""Similarity (0 to 1) from which a pair is flagged."""

COMMON = 3
"""An answer shared by this many students (or the model answer) is common, not a sign of copying."""

_KEEP = set(keyword.kwlist) | set(dir(builtins))


def normalise_code(text: str) -> list[str]:
    """Tokens of ``text`` without comments, docstrings and layout, student-chosen names renamed."""
    names: dict[str, str] = {}
    out: list[str] = []
    previous = ""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return normalise_text(text)
    skip = {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
    for tok in tokens:
        if tok.type in skip:
            continue
        if tok.type == tokenize.STRING and previous in ("", ":", "NEWLINE"):
            previous = "NEWLINE"  # a docstring or a bare string statement
            continue
        value = tok.string
        if tok.type == tokenize.NAME and value not in _KEEP and previous != ".":
            value = names.setdefault(value, f"v{len(names)}")
        out.append(value)
        previous = tok.string
    return out


def normalise_text(text: str) -> list[str]:
    """Words of a written answer: lowercased, without punctuation."""
    return re.findall(r"[a-z0-9]+", text.lower())


def answer_tokens(nb: dict, release: dict | None = None) -> dict[str, list[str]]:
    """grade id -> normalised tokens of each answered solution cell of a notebook."""
    blank = {nbgrader_meta(c).get("grade_id"): source(c).strip() for c in cells(release or {})}
    found = {}
    for cell in cells(nb):
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        text = source(cell)
        if (
            not meta.get("solution")
            or not grade_id
            or not text.strip()
            or text.strip() == blank.get(grade_id)
        ):
            continue
        if "raise NotImplementedError()" in text and "YOUR CODE HERE" in text:
            continue
        code = cell.get("cell_type") == "code"
        found[grade_id] = normalise_code(text) if code else normalise_text(text)
    return found


@dataclass(frozen=True)
class Pair:
    """Two students' submissions of one notebook and how alike their answers are."""

    a: str
    b: str
    notebook: str
    similarity: float  # 0 to 1, weighted by answer length
    identical: tuple[str, ...]  # grade ids whose normalised answers are the same
    cells: tuple[str, ...]  # grade ids compared (answered by both)


def compare(
    first: dict[str, list[str]],
    second: dict[str, list[str]],
    usual: dict[str, set[tuple[str, ...]]] | None = None,
) -> tuple[float, list[str], list[str]]:
    """(weighted similarity, identical grade ids, grade ids compared) of two submissions' answers;
    a cell where both answers are one of ``usual[grade_id]`` (honestly common answers) is skipped."""
    usual = usual or {}
    common = [
        g
        for g in sorted(set(first) & set(second))
        if not (first[g] == second[g] and tuple(first[g]) in usual.get(g, set()))
    ]
    total = weight = 0.0
    same = []
    for grade_id in common:
        x, y = first[grade_id], second[grade_id]
        size = float(len(x) + len(y))
        ratio = difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() if size else 1.0
        total += ratio * size
        weight += size
        if x == y:
            same.append(grade_id)
    return (total / weight if weight else 0.0), same, common


def model_answers(path: Path) -> dict:
    """The source notebook with the solution markers removed from its answer cells."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in cells(nb):
        if nbgrader_meta(cell).get("solution"):
            cell["source"] = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", "", source(cell), flags=re.M)
    return nb


def common_answers(
    submissions: Iterable[dict[str, list[str]]], model: dict[str, list[str]]
) -> dict[str, set[tuple[str, ...]]]:
    """grade id -> normalised answers that are honestly common: the model's, and any :data:`COMMON` share."""
    counts: Counter[tuple[str, tuple[str, ...]]] = Counter()
    for answers in submissions:
        counts.update((g, tuple(tokens)) for g, tokens in answers.items())
    usual: dict[str, set[tuple[str, ...]]] = {g: {tuple(tokens)} for g, tokens in model.items()}
    for (g, tokens), n in counts.items():
        if n >= COMMON:
            usual.setdefault(g, set()).add(tokens)
    return usual


def similar_pairs(course: Path, name: str, threshold: float = THRESHOLD) -> list[Pair]:
    """Pairs of submissions of ``name`` at least ``threshold`` alike, most alike first."""
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a number above 0 and at most 1, got {threshold!r}")
    pairs = []
    for source_nb in sorted((course / "solutions" / name).glob("*.ipynb")):
        stem = source_nb.stem
        release_path = course / "exercises" / name / f"{stem}.ipynb"
        release = json.loads(release_path.read_text(encoding="utf-8")) if release_path.is_file() else None
        answers = {}
        for path in sorted((course / "submitted").glob(f"*/{name}/{stem}.ipynb")):
            try:
                answers[path.parts[-3]] = answer_tokens(json.loads(path.read_text(encoding="utf-8")), release)
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
        usual = common_answers(answers.values(), answer_tokens(model_answers(source_nb)))
        for a, b in itertools.combinations(sorted(answers), 2):
            score, same, common = compare(answers[a], answers[b], usual)
            if common and score >= threshold:
                pairs.append(Pair(a, b, stem, score, tuple(same), tuple(common)))
    return sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b))


def side_by_side(course: Path, name: str, pair: Pair, grade_id: str, width: int = 60) -> str:
    """One answer cell of both students, in two columns."""
    texts = []
    for student in (pair.a, pair.b):
        path = course / "submitted" / student / name / f"{pair.notebook}.ipynb"
        cell = next(
            (
                c
                for c in cells(json.loads(path.read_text(encoding="utf-8")))
                if nbgrader_meta(c).get("grade_id") == grade_id
            ),
            {},
        )
        texts.append(source(cell).splitlines())
    lines = [f"{pair.a:<{width}} | {pair.b}", "-" * width + "-+-" + "-" * width]
    for left, right in itertools.zip_longest(*texts, fillvalue=""):
        lines.append(f"{left[:width]:<{width}} | {right[:width]}")
    return "\n".join(lines)
