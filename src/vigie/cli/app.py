"""The `vigie` command: registers each verb's module and turns errors into one clear line.

Exit codes: 0 success, 1 an input that cannot be read (or another Vigie error),
2 bad usage. Unexpected exceptions print their type only: their message could carry a
raw value from a leak. Set VIGIE_DEBUG=1 to get the traceback.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

from vigie.cli.console import err_console
from vigie.errors import VigieError

app = typer.Typer(
    name="vigie",
    help="What a leak of patient data exposes, about whom, from where — and who to tell.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)



@app.callback()
def _root() -> None:
    """What a leak of patient data exposes, about whom, from where — and who to tell."""


# Each module defines `register(app)`. A new verb = a new module + one line here.
COMMAND_MODULES = [
    "vigie.cli.synth",
    "vigie.cli.inspect",
    "vigie.cli.assess",
    "vigie.cli.incident",
    "vigie.cli.notify",
    "vigie.cli.export",
    "vigie.cli.trace",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Console entry point. Typer handles usage errors (exit 2) and --help itself."""
    try:
        app()
    except VigieError as exc:
        err_console.print(f"vigie: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last line of defence, see module docstring
        if os.environ.get("VIGIE_DEBUG"):
            raise
        err_console.print(
            f"vigie: internal error ({type(exc).__name__}); set VIGIE_DEBUG=1 for details",
            markup=False, highlight=False)
        sys.exit(1)
