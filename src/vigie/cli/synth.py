"""vigie synth — placeholder until its issue lands (replaced by the real module)."""

import typer


def register(app: typer.Typer) -> None:
    pass
