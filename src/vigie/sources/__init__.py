"""sources: turn any leak (file, archive, dump, database URL) into named Arrow tables.

Public entry: `open_source(path_or_url) -> Source`. One module per format; the
dispatcher in `dispatch.py` picks the reader from the URL scheme, the file's magic
bytes and its extension. A new file format = a new module + one line in dispatch.
"""

from vigie.sources.base import Source, SourceInfo, Table
from vigie.sources.dispatch import open_source

__all__ = ["Source", "SourceInfo", "Table", "open_source"]
