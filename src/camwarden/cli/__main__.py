"""`python -m camwarden.cli` runs the same command as `camwarden`."""

from camwarden.cli.main import app

app()
