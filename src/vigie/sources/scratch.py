"""Temporary files a source needs while it is open (extracted members, transcoded text).

`Scratch` creates its private temp folder on first use; `OwningSource` removes it, and
closes the sources it wraps, when the source is closed.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from vigie.sources.base import Source, SourceInfo, Table


class Scratch:
    """A temp folder (mode 0700, created lazily) removed by `cleanup()`."""

    def __init__(self) -> None:
        self._dir: Path | None = None

    def path(self, name: str) -> Path:
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="vigie-"))
        return self._dir / name

    def cleanup(self) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


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
