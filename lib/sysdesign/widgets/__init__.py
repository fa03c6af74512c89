"""Explorers: thin ipywidgets views over the library. One function per explorer, each returning an ``Explorer``."""

from ._base import Explorer

__all__ = ["Explorer"]
