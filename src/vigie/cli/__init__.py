"""cli: thin Typer shells over the library; one module per verb, registered in app.py."""
