"""``sourcetrace schema``: print or write the JSON Schema of the v1 report, generated from the types."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from ..model import json_schema
from .app import app


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


@app.command()
def schema(output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output.")):
    """The JSON Schema of the article report (schema v1)."""
    text = schema_text()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
