"""Obligations as data: obligations.json lists each regime (trigger, clock anchor,
deadline, checklist, sources); this module only evaluates triggers and clocks for one
incident. Adding or changing a regime is an edit of the data file, not of this code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

from vigie.incidents.risk import OUTCOMES

DATA = Path(__file__).with_name("obligations.json")


@cache
def _load() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def load_regimes() -> list[dict]:
    """Every regime shipped, enabled by default or not."""
    return _load()["regimes"]


def regimes_version() -> str:
    return _load()["version"]


@dataclass(frozen=True)
class Clock:
    """One obligation's clock for one incident."""

    regime: dict
    applies: bool
    why: str                      # English, for the terminal
    due: datetime | None          # None: "sans délai" duties with no hour figure
    filed_at: str | None

    def remaining(self, now: datetime) -> timedelta | None:
        return None if self.due is None else self.due - now

    def state(self, now: datetime) -> str:
        if not self.applies:
            return "not triggered"
        if self.filed_at:
            return "filed"
        if self.due is not None and now > self.due:
            return "overdue"
        return "due"


def _triggered(trigger: dict, incident) -> tuple[bool, str]:
    condition, value = trigger["condition"], trigger["value"]
    if condition == "risk_at_least":
        outcome = incident.risk.get("outcome", "high")
        return OUTCOMES.index(outcome) >= OUTCOMES.index(value), f"risk: {outcome}"
    if condition == "role":
        return incident.role == value, f"role: {incident.role}"
    if condition == "health_establishment":
        return incident.health_establishment == value, (
            "health establishment / medical lab" if incident.health_establishment
            else "not a health establishment")
    if condition == "opt_in":
        return value in incident.opt_in, ("turned on" if value in incident.opt_in
                                          else "off by default")
    raise ValueError(f"obligations.json: unknown trigger condition {condition!r}")


def clocks(incident) -> list[Clock]:
    """Every shipped regime's clock (off-by-default regimes stay listed, not triggered)."""
    result = []
    for regime in load_regimes():
        applies, why = _triggered(regime["trigger"], incident)
        hours = regime.get("deadline_hours")
        due = incident.aware_at + timedelta(hours=hours) if hours is not None else None
        filed = next((f["at"] for f in incident.filings if f["regime"] == regime["id"]), None)
        result.append(Clock(regime, applies, why, due, filed))
    return result


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def late_for(incident, regime_id: str, now: datetime) -> bool:
    """True when the regime's hour deadline has passed (delay reasons become mandatory)."""
    for clock in clocks(incident):
        if clock.regime["id"] == regime_id:
            return clock.due is not None and now > clock.due
    return False
