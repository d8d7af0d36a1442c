"""Temporary files a source needs while it is open (extracted members, transcoded text).

`Scratch` creates its private temp folder on first use; `OwningSource` removes it, and
closes the sources it wraps, when the source is closed.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Callable, Iterator

from vigie.sources.base import Source, SourceInfo, Table


class Scratch:
    """A temp folder (mode 0700, created lazily) removed by `cleanup()`, or at the latest
    when the Scratch is garbage-collected or the interpreter exits (extracted members of
    a leak are personal data: they must not outlive the run)."""

    def __init__(self) -> None:
        self._dir: Path | None = None
        self._finalizer: weakref.finalize | None = None

    def path(self, name: str) -> Path:
        """A path inside the folder; its parent folders are created."""
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="vigie-"))
            self._finalizer = weakref.finalize(self, shutil.rmtree, self._dir, True)
        target = self._dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def cleanup(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._dir = self._finalizer = None


class OwningSource(Source):
    """A source that owns scratch files and child sources and releases them on close."""

    def __init__(self, info: SourceInfo, tables: Callable[[], Iterator[Table]], *,
                 scratch: Scratch | None = None, children: list[Source] | None = None):
        super().__init__(info, tables)
        self._scratch = scratch
        self._children = children or []

    def close(self) -> None:
        for child in self._children:
            child.close()
        self._children = []
        if self._scratch is not None:
            self._scratch.cleanup()
