"""Fixtures shared by every test folder."""

import pytest


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh VIGIE_HOME for the test, with no master key in the environment."""
    folder = tmp_path / "home"
    monkeypatch.setenv("VIGIE_HOME", str(folder))
    monkeypatch.delenv("VIGIE_MASTER_KEY", raising=False)
    return folder
