"""The incident register: incidents, their hash-chained chronology, affected persons as
keyed hashes, obligations and their clocks, and the art. 33(5) register export."""

from vigie.incidents.db import open_register
from vigie.incidents.register import (
    Incident,
    attach_assessment,
    decide_risk,
    export_register,
    load_incident,
    open_incident,
    override_severity,
    record_event,
    record_facts,
    record_filing,
)
from vigie.incidents.verify import verify_incident

__all__ = ["Incident", "attach_assessment", "decide_risk", "export_register", "load_incident", "open_incident",
           "open_register", "override_severity", "record_event", "record_facts",
           "record_filing", "verify_incident"]
