"""sysdesign: reference calculations, simulations and widgets for the system design interview course.

Modules, each importable as ``sysdesign.<module>`` (and loaded on first use):

- the method: ``framework`` (phases, minutes, practice problems), ``requirements``, ``estimate``
  (the back-of-envelope template), ``units``, ``availability``, ``api``, ``components`` (the
  ``Architecture`` graph), ``schema``, ``tradeoffs``, ``reference`` (the cheat sheet),
  ``measure`` (cheat-sheet figures timed on this machine), ``course`` (lessons and problem sets);
- case studies: ``shortener``, ``pastebin``, ``ratelimiter``, ``feed``, ``typeahead``,
  ``filesync``, ``geo``, ``vclock``, ``video``;
- toolbox: ``ids`` (auto-increment, ticket servers, UUIDs, Snowflake layouts under clock skew),
  ``geoindex`` (geohash grid and neighbours, quadtrees, radius search), ``sketches`` (trie top-k
  memory, Bloom filters against their formula, count-min, HyperLogLog);
- ``interview``: the mock interview that talks back (phase prompts, decisions, deterministic
  probes and pushback, a rubric score per phase and the level it suggests);
- ``sim``: seeded simulations (``abr``, ``antientropy``, ``caching``, ``cache_policy``, ``cdn``,
  ``conflicts``, ``coordination``, ``crawler``, ``expiration``, ``failure``, ``fanout``,
  ``notify``, ``pagination``, ``payments``, ``quorum``, ``ratelimit``, ``replication``,
  ``scheduler``, ``sharding``, ``transactions``, ``workload``);
- ``widgets``: the lessons' explorers; ``questions`` (checked questions, shown by
  ``widgets.question.ask``) and ``progress`` (answers and self-check results, kept locally);
- grading: ``grading`` (checks used by the exercises' tests), ``nbgrading`` (the grading engine
  over nbgrader), ``selfcheck`` (the check inside an exercise notebook) and ``cli`` (the
  ``sysdesign`` command).

The most used calls are re-exported here. Everything loads on first use, so that
``import sysdesign.grading`` in a grading kernel does not pay for pandas and plotly.
"""

from __future__ import annotations

import importlib
from typing import Any

_MODULES = (
    "api",
    "availability",
    "cli",
    "components",
    "course",
    "estimate",
    "feed",
    "filesync",
    "framework",
    "geo",
    "geoindex",
    "grading",
    "ids",
    "interview",
    "measure",
    "nbgrading",
    "pastebin",
    "progress",
    "questions",
    "ratelimiter",
    "reference",
    "requirements",
    "schema",
    "selfcheck",
    "shortener",
    "sim",
    "sketches",
    "tradeoffs",
    "typeahead",
    "units",
    "vclock",
    "video",
    "widgets",
)
_FUNCTIONS = {
    "CHAT_APP": "estimate",
    "Scenario": "estimate",
    "bandwidth": "estimate",
    "connections": "estimate",
    "storage": "estimate",
    "traffic": "estimate",
    "downtime": "availability",
    "parallel": "availability",
    "serial": "availability",
    "format_count": "units",
    "format_rate": "units",
    "format_size": "units",
    "parse_size": "units",
    "round_for_speech": "units",
    "say_roughly": "units",
}

__all__ = [*_MODULES, *_FUNCTIONS]


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _FUNCTIONS:
        return getattr(importlib.import_module(f".{_FUNCTIONS[name]}", __name__), name)
    raise AttributeError(f"module 'sysdesign' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
