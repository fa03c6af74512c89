"""Search autocomplete (typeahead): a trie over a query-frequency table with the top suggestions
stored at every node, and what storing them saves per keystroke and costs in memory.

A suggestion list for a prefix is the ``k`` most frequent logged queries that start with it,
most frequent first, ties broken alphabetically (:func:`top_k`, the reference every other
function here agrees with). Two ways to serve it from a trie:

* ``"scan"``: walk down to the prefix's node, then visit its whole subtree to collect and rank
  every query below it. Nothing extra is stored, but a short prefix ("s") has a huge subtree.
* ``"precompute"``: an offline job stores the top ``k`` at every node; a lookup walks down to the
  node and reads its list. Every lookup costs ``len(prefix) + 1`` node visits; the price is
  ``k`` stored entries per node, rebuilt whenever the counts change.

:func:`query_log` makes a seeded synthetic query log (query -> count, Zipf-like counts) so the
lesson, the problem set and the tests all rank the same data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import _check

STRATEGIES = ("precompute", "scan")
"""How a lookup gets its suggestions: read the stored list, or rank the subtree on the spot."""

MAX_K = 100
MAX_QUERIES = 200_000
DEFAULT_ENTRY_BYTES = 8
"""Bytes per stored suggestion when a node keeps references (ids) to queries, not the text."""

_SYLLABLES = (
    "ba", "be", "ca", "co", "da", "de", "fa", "fi", "ga", "go", "ha", "ho", "ka", "ki", "la", "lo",
    "ma", "mi", "na", "no", "pa", "pe", "ra", "ri", "sa", "so", "ta", "to", "va", "vi", "za", "zo",
)  # fmt: skip


def _whole(name: str, value: object, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)


def _counts(counts: object) -> dict[str, int]:
    if not isinstance(counts, Mapping):
        raise TypeError(f"counts must be a mapping of query -> count, got {type(counts).__name__}")
    if len(counts) > MAX_QUERIES:
        raise ValueError(f"counts must hold at most {MAX_QUERIES:,} queries, got {len(counts):,}")
    out: dict[str, int] = {}
    for query, count in counts.items():
        if not isinstance(query, str) or not query:
            raise TypeError(f"counts: every query must be a non-empty string, got {query!r}")
        out[query] = _whole(f"counts[{query!r}]", count, 0, 10**15)
    return out


def _prefix(prefix: object) -> str:
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a string, got {prefix!r}")
    return prefix


def _rank_key(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def query_log(n_queries: int = 2_000, seed: int = 0, exponent: float = 1.0) -> dict[str, int]:
    """A seeded synthetic query log: ``n_queries`` distinct queries -> how often each was searched.

    Queries are one or two made-up words of 2-4 syllables; counts follow a Zipf-like curve
    (the query of popularity rank ``i`` is searched about ``100_000 / i**exponent`` times).

    >>> log = query_log(500, seed=1)
    >>> len(log), max(log.values())
    (500, 100000)
    >>> log == query_log(500, seed=1)
    True
    """
    n = _whole("n_queries", n_queries, 1, MAX_QUERIES)
    s = _check.number("exponent", exponent, low=0, high=5)
    rng = np.random.default_rng(seed)
    queries: dict[str, None] = {}
    while len(queries) < n:
        batch = n - len(queries)
        lengths = rng.integers(2, 5, size=(batch, 2))
        two_words = rng.random(batch) < 0.4
        picks = rng.integers(0, len(_SYLLABLES), size=(batch, 8))
        for i in range(batch):
            first = "".join(_SYLLABLES[j] for j in picks[i, : lengths[i, 0]])
            text = first
            if two_words[i]:
                text += " " + "".join(_SYLLABLES[j] for j in picks[i, 4 : 4 + lengths[i, 1]])
            queries.setdefault(text, None)
            if len(queries) >= n:
                break
    ranks = np.arange(1, n + 1, dtype=np.float64)
    counts = np.maximum(1, np.round(100_000 / ranks**s)).astype(np.int64)
    order = rng.permutation(n)
    names = list(queries)
    return {names[i]: int(counts[r]) for r, i in enumerate(order)}


def top_k(counts: Mapping[str, int], prefix: str, k: int = 5) -> list[str]:
    """The ``k`` most frequent queries starting with ``prefix``: highest count first, ties alphabetical.

    The reference answer, by brute force over the whole table (no trie).

    >>> top_k({"cat": 5, "car": 9, "cart": 9, "dog": 20}, "ca", 2)
    ['car', 'cart']
    >>> top_k({"cat": 5}, "x")
    []
    """
    table = _counts(counts)
    p = _prefix(prefix)
    kk = _whole("k", k, 1, MAX_K)
    matches = [(q, c) for q, c in table.items() if q.startswith(p)]
    matches.sort(key=_rank_key)
    return [q for q, _ in matches[:kk]]


def mismatches(answer: object, expected: Sequence[str]) -> int:
    """How many places a suggestion list ``answer`` differs from ``expected``: positions holding
    another query, plus entries missing or extra. 0 means the same list in the same order.

    >>> mismatches(["car", "cart"], ["car", "cart"]), mismatches(["cart", "car"], ["car", "cart"])
    (0, 2)
    >>> mismatches(["car"], ["car", "cart", "cat"])
    2
    """
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Sequence):
        raise TypeError(f"answer must be a list of query strings, got {answer!r}")
    got, want = list(answer), list(expected)
    differ = sum(1 for a, b in zip(got, want, strict=False) if not (isinstance(a, str) and a == b))
    return differ + abs(len(got) - len(want))


def topk_memory(n_nodes: float, k: int, bytes_per_entry: float = DEFAULT_ENTRY_BYTES) -> float:
    """Bytes to store ``k`` suggestions at each of ``n_nodes`` trie nodes (an upper bound: a node
    near the leaves may have fewer than ``k`` queries below it).

    >>> topk_memory(1e6, 10, 8)    # 1 M nodes x 10 entries x 8 B = 80 MB
    80000000.0
    """
    n = _check.number("n_nodes", n_nodes, low=0)
    kk = _whole("k", k, 1, MAX_K)
    b = _check.number("bytes_per_entry", bytes_per_entry, low_open=True, low=0)
    return float(n * kk * b)


class TypeaheadIndex:
    """A trie over a query-frequency table, with the top ``k`` queries precomputed at every node.

    >>> index = TypeaheadIndex({"cat": 5, "car": 9, "cart": 9, "dog": 20}, k=2)
    >>> index.suggest("ca"), index.suggest("ca", strategy="scan")
    (['car', 'cart'], ['car', 'cart'])
    >>> index.n_nodes    # root, c, ca, cat, car, cart, d, do, dog
    9
    >>> index.visited("c", "precompute"), index.visited("c", "scan")
    (2, 6)
    """

    def __init__(self, counts: Mapping[str, int], k: int = 5) -> None:
        table = _counts(counts)
        self.k = _whole("k", k, 1, MAX_K)
        self._children: list[dict[str, int]] = [{}]
        self._query: list[str | None] = [None]
        self._count: list[int] = [0]
        for query, count in table.items():
            node = 0
            for ch in query:
                nxt = self._children[node].get(ch)
                if nxt is None:
                    nxt = len(self._children)
                    self._children[node][ch] = nxt
                    self._children.append({})
                    self._query.append(None)
                    self._count.append(0)
                node = nxt
            self._query[node] = query
            self._count[node] = count
        # Children always get larger ids than their parent, so a reverse sweep is a post-order.
        self._top: list[list[tuple[str, int]]] = [[] for _ in self._children]
        self._size: list[int] = [1] * len(self._children)
        for node in range(len(self._children) - 1, -1, -1):
            found: list[tuple[str, int]] = []
            own = self._query[node]
            if own is not None:
                found.append((own, self._count[node]))
            for child in self._children[node].values():
                found.extend(self._top[child])
                self._size[node] += self._size[child]
            found.sort(key=_rank_key)
            self._top[node] = found[: self.k]

    def __repr__(self) -> str:
        return f"TypeaheadIndex(n_nodes={self.n_nodes}, k={self.k})"

    @property
    def n_nodes(self) -> int:
        """Nodes in the trie, the root included."""
        return len(self._children)

    @property
    def stored_entries(self) -> int:
        """Suggestions stored over all nodes (at most ``k`` each)."""
        return sum(len(t) for t in self._top)

    def memory_bytes(self, bytes_per_entry: float = DEFAULT_ENTRY_BYTES) -> float:
        """Bytes the precomputed lists take: stored entries times ``bytes_per_entry``."""
        b = _check.number("bytes_per_entry", bytes_per_entry, low_open=True, low=0)
        return float(self.stored_entries * b)

    def _walk(self, prefix: str) -> tuple[int | None, int]:
        """The prefix's node (None when no query starts with it) and the nodes visited to get there."""
        node, visited = 0, 1
        for ch in prefix:
            nxt = self._children[node].get(ch)
            if nxt is None:
                return None, visited
            node, visited = nxt, visited + 1
        return node, visited

    def subtree_size(self, prefix: str) -> int:
        """Nodes at and below the prefix's node (0 when no query starts with the prefix)."""
        node, _ = self._walk(_prefix(prefix))
        return 0 if node is None else self._size[node]

    def suggest(self, prefix: str, strategy: str = "precompute") -> list[str]:
        """The top ``k`` queries for ``prefix``, read from the stored list or found by a subtree scan."""
        p = _prefix(prefix)
        _check.choice("strategy", strategy, STRATEGIES)
        node, _ = self._walk(p)
        if node is None:
            return []
        if strategy == "precompute":
            return [q for q, _ in self._top[node]]
        found: list[tuple[str, int]] = []
        stack = [node]
        while stack:
            here = stack.pop()
            own = self._query[here]
            if own is not None:
                found.append((own, self._count[here]))
            stack.extend(self._children[here].values())
        found.sort(key=_rank_key)
        return [q for q, _ in found[: self.k]]

    def visited(self, prefix: str, strategy: str = "precompute") -> int:
        """Trie nodes one lookup touches: the walk from the root (``len(prefix) + 1`` nodes), plus,
        for ``"scan"``, every node below the prefix's node."""
        p = _prefix(prefix)
        _check.choice("strategy", strategy, STRATEGIES)
        node, walked = self._walk(p)
        if node is None or strategy == "precompute":
            return walked
        return walked + self._size[node] - 1

    def cost_table(self, prefixes: Sequence[str]) -> list[dict[str, object]]:
        """One row per prefix: nodes visited with each strategy, and the suggestions."""
        return [
            {
                "prefix": p,
                "precompute": self.visited(p, "precompute"),
                "scan": self.visited(p, "scan"),
                "suggestions": ", ".join(self.suggest(p)),
            }
            for p in prefixes
        ]


def build(counts: Mapping[str, int], k: int = 5) -> TypeaheadIndex:
    """A :class:`TypeaheadIndex` over ``counts`` with the top ``k`` stored per node.

    >>> build(query_log(300, seed=2), k=3).suggest("ba") == top_k(query_log(300, seed=2), "ba", 3)
    True
    """
    return TypeaheadIndex(counts, k)


def visited_nodes(index: TypeaheadIndex, prefix: str, strategy: str) -> int:
    """Nodes one lookup of ``prefix`` touches with ``strategy`` ("precompute" or "scan").

    >>> index = build({"cat": 5, "car": 9, "cart": 9}, k=2)
    >>> visited_nodes(index, "ca", "precompute"), visited_nodes(index, "ca", "scan")
    (3, 6)
    """
    if not isinstance(index, TypeaheadIndex):
        raise TypeError(f"index must be a TypeaheadIndex, got {type(index).__name__}")
    return index.visited(prefix, strategy)
