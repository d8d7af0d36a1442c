"""trace: every export carries canaries and keyed marks, so a surfaced leak names its export.

Public entry:
    export_source(src, id_column=, recipient=, purpose=, out=, columns=, options=) -> ExportResult
    trace_leak(leak, alpha=1e-6, registry=RegistryRef(src, id_column) or None)
        -> TraceResult (.attributions, .to_dict(), .summary())
    write_trace(result, out_dir) -> DIR/trace.json (+ summary.txt)
    trace_section(leak) -> the trace.json dict, or None when no export exists (for assess)
    prove(export_id, leak, out_dir) -> DIR/evidence.json (0600) + verify.py
    verify_manifest(open_manifest()) -> (problems, head hash)
State (manifest tables, identity index) lives in the incident register's database, its
tables made by the register's Alembic migrations.
"""

from vigie.trace.export import ExportOptions, ExportResult, export_source
from vigie.trace.manifest import open_manifest, verify_manifest
from vigie.trace.prove import prove
from vigie.trace.trace import TraceResult, trace_leak, trace_section, write_trace

__all__ = ["ExportOptions", "ExportResult", "TraceResult", "export_source", "open_manifest",
           "prove", "trace_leak", "trace_section", "verify_manifest", "write_trace"]
