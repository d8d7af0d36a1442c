"""link: which of our patients are in a leak — registry linkage with Splink.

Public entry, for `vigie assess --registry`:
    mapping = classify_table(table, overrides=parse_map(map_option))   # {column: kind}
    registry = standardise(registry_table, mapping, id_column=..., group_column=...)
    leak = standardise(leak_table, leak_mapping)
    result = link_leak_to_registry(leak, registry)                      # LinkResult
    write_affected(result, out_dir); write_review(result, out_dir)
    assessment["registry"] = result.registry_section()
"""

from vigie.link.linkage import LinkResult, link_leak_to_registry
from vigie.link.mapping import classify_table, parse_map
from vigie.link.outputs import write_affected, write_review
from vigie.link.standardise import standardise

__all__ = ["LinkResult", "classify_table", "link_leak_to_registry", "parse_map", "standardise",
           "write_affected", "write_review"]
