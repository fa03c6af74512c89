"""sysdesign: reference calculations, simulations and widgets for the system design interview course.

Modules: ``units``, ``estimate``, ``availability``, ``reference``, ``course`` (and more, each
importable as ``sysdesign.<module>``). The most used calls are re-exported here.
"""

from . import availability, course, estimate, reference, units
from .availability import downtime, parallel, serial
from .estimate import CHAT_APP, Scenario, bandwidth, connections, storage, traffic
from .units import format_count, format_rate, format_size, parse_size, round_for_speech, say_roughly

__all__ = [
    "availability",
    "course",
    "estimate",
    "reference",
    "units",
    "CHAT_APP",
    "Scenario",
    "bandwidth",
    "connections",
    "downtime",
    "format_count",
    "format_rate",
    "format_size",
    "parallel",
    "parse_size",
    "round_for_speech",
    "say_roughly",
    "serial",
    "storage",
    "traffic",
]
