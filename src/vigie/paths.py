"""Where Vigie keeps state between commands: the folder named by VIGIE_HOME (default ~/.vigie)."""

import os
from pathlib import Path


def state_folder() -> Path:
    """Where the state folder is, without creating it (for read-only checks)."""
    return Path(os.environ.get("VIGIE_HOME") or Path.home() / ".vigie")


def vigie_home() -> Path:
    """The state folder, created with 0700 permissions if missing."""
    home = state_folder()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    return home


def write_private(path: Path, data: bytes | str) -> None:
    """Write a file holding personal data with 0600 permissions from its first byte."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
