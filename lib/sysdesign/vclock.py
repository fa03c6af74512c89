"""Vector clocks: how a replicated key-value store tells an overwrite from a conflict.

A vector clock maps a node name to a counter: how many writes to this key that node has
coordinated. A missing node counts as 0. Clock ``a`` happened *before* ``b`` when no counter of
``a`` is larger than the matching counter of ``b`` and at least one is smaller; then ``b`` may
simply replace ``a``. When each clock has a counter larger than the other's, the writes were
*concurrent*: two clients wrote from the same version through different coordinators, which
happens even under strict quorums (Kleppmann, DDIA ch. 5, "Detecting Concurrent Writes"), or, with
sloppy quorums, on both sides of a partition. The store keeps both versions (siblings) and lets a
reader or a merge rule reconcile them.

:func:`random_pairs` makes seeded pairs of clocks that cover every outcome, for grading a
learner's own ``compare``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import _check

ORDERS = ("before", "after", "concurrent", "equal")
"""What :func:`compare` can say about clock ``a`` relative to clock ``b``."""

MAX_COUNTER = 10**12


def _clock(name: str, clock: object) -> dict[str, int]:
    if not isinstance(clock, Mapping):
        raise TypeError(f"{name} must be a mapping of node -> counter, got {type(clock).__name__}")
    out: dict[str, int] = {}
    for node, count in clock.items():
        if not isinstance(node, str) or not node:
            raise TypeError(f"{name}: node names must be non-empty strings, got {node!r}")
        x = _check.number(f"{name}[{node!r}]", count, low=0, high=MAX_COUNTER)
        if x != int(x):
            raise ValueError(f"{name}[{node!r}] must be a whole number, got {count!r}")
        out[node] = int(x)
    return out


def compare(a: Mapping[str, int], b: Mapping[str, int]) -> str:
    """How clock ``a`` relates to clock ``b``: "before", "after", "concurrent" or "equal".

    >>> compare({"x": 1}, {"x": 2})
    'before'
    >>> compare({"x": 2, "y": 1}, {"x": 2})
    'after'
    >>> compare({"x": 2}, {"x": 1, "y": 1})
    'concurrent'
    >>> compare({"x": 1, "y": 0}, {"x": 1})
    'equal'
    """
    left, right = _clock("a", a), _clock("b", b)
    nodes = set(left) | set(right)
    smaller = any(left.get(n, 0) < right.get(n, 0) for n in nodes)
    larger = any(left.get(n, 0) > right.get(n, 0) for n in nodes)
    if smaller and larger:
        return "concurrent"
    if smaller:
        return "before"
    if larger:
        return "after"
    return "equal"


def increment(clock: Mapping[str, int], node: str) -> dict[str, int]:
    """A new clock: ``clock`` after ``node`` coordinates one more write (its counter + 1).

    >>> increment({"x": 1}, "y")
    {'x': 1, 'y': 1}
    """
    out = _clock("clock", clock)
    if not isinstance(node, str) or not node:
        raise TypeError(f"node must be a non-empty string, got {node!r}")
    out[node] = out.get(node, 0) + 1
    return out


def merge(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    """The clock of a version that reconciles ``a`` and ``b``: the larger counter of each node.

    Increment it on the node that writes the reconciled value, so it comes *after* both.

    >>> merge({"x": 2, "y": 1}, {"x": 1, "z": 3})
    {'x': 2, 'y': 1, 'z': 3}
    >>> compare(increment(merge({"x": 2}, {"y": 1}), "x"), {"y": 1})
    'after'
    """
    left, right = _clock("a", a), _clock("b", b)
    return {n: max(left.get(n, 0), right.get(n, 0)) for n in sorted(set(left) | set(right))}


def random_pairs(
    n_pairs: int = 40, nodes: tuple[str, ...] = ("a", "b", "c"), seed: int = 0
) -> list[tuple[dict[str, int], dict[str, int], str]]:
    """Seeded ``(a, b, compare(a, b))`` triples, about a quarter of each order, for testing a compare.

    Clocks omit some zero counters (a node that never wrote may be missing), so a compare that
    assumes both clocks list the same nodes gets some of them wrong.

    >>> pairs = random_pairs(8, seed=1)
    >>> sorted({order for _, _, order in pairs}) == sorted(ORDERS)
    True
    >>> all(compare(a, b) == order for a, b, order in pairs)
    True
    """
    n = int(_check.number("n_pairs", n_pairs, low=4, high=10_000))
    if not isinstance(nodes, tuple) or not all(isinstance(x, str) and x for x in nodes):
        raise TypeError(f"nodes must be a tuple of non-empty strings, got {nodes!r}")
    if len(set(nodes)) < 2:
        raise ValueError(f"nodes must name at least 2 distinct nodes (concurrency needs two), got {nodes!r}")
    rng = np.random.default_rng(seed)
    out: list[tuple[dict[str, int], dict[str, int], str]] = []
    for i in range(n):
        want = ORDERS[i % len(ORDERS)]
        base = rng.integers(0, 4, size=len(nodes))
        other = base.copy()
        j, k = rng.choice(len(nodes), size=2, replace=False)
        if want in ("before", "concurrent"):
            other[j] += rng.integers(1, 3)
        if want == "after":
            base[j] += rng.integers(1, 3)
        if want == "concurrent":
            base[k] += rng.integers(1, 3)
        a = {x: int(c) for x, c in zip(nodes, base, strict=True) if c or rng.random() < 0.5}
        b = {x: int(c) for x, c in zip(nodes, other, strict=True) if c or rng.random() < 0.5}
        out.append((a, b, compare(a, b)))
    return out
