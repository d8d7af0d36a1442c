"""link: which of our patients are in a leak — registry linkage with Splink.

Public entry: `standardise(table, {column: kind})` on both sides, then
`link_leak_to_registry(leak, registry) -> LinkResult`, then `write_affected` / `write_review`.
"""

from vigie.link.linkage import LinkResult, link_leak_to_registry
from vigie.link.outputs import write_affected, write_review
from vigie.link.standardise import standardise

__all__ = ["LinkResult", "link_leak_to_registry", "standardise", "write_affected", "write_review"]
