"""Explorers: thin ipywidgets views over the library, one function per explorer returning an ``Explorer``."""

from ._base import Explorer

__all__ = ["Explorer"]
