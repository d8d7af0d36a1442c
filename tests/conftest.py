"""Fixtures shared by every test folder."""

from datetime import datetime, timedelta, timezone

import pytest


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh VIGIE_HOME for the test, with no master key in the environment."""
    folder = tmp_path / "home"
    monkeypatch.setenv("VIGIE_HOME", str(folder))
    monkeypatch.delenv("VIGIE_MASTER_KEY", raising=False)
    return folder


def moment_ago(**delta: float) -> datetime:
    """An aware UTC time that far before now, to the minute (`hours=2`, `days=5`): no test
    compares a fixed date with the wall clock, so the suite passes whatever the date."""
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    return now - timedelta(**delta)


@pytest.fixture
def ago():
    """`ago(hours=2)`: see moment_ago."""
    return moment_ago
