"""Errors a user sees: one line naming the file and, where it applies, the line or byte offset.

Messages never carry a raw value from the input (a leak is personal data): say where
and what is wrong, never what the bytes were.
"""

import os


class VigieError(Exception):
    """Base of every error the CLI turns into one clear line and a non-zero exit."""

    exit_code = 1


class UsageError(VigieError):
    """The command was called wrongly (exit 2)."""

    exit_code = 2


class InputError(VigieError):
    """An input Vigie cannot read: names the file and the place."""

    def __init__(self, path: str | os.PathLike[str], message: str, *, line: int | None = None,
                 offset: int | None = None):
        self.path = str(path)
        self.message = message
        self.line = line
        self.offset = offset
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f": line {self.line}"
        elif self.offset is not None:
            where += f": byte {self.offset}"
        return f"{where}: {self.message}"
