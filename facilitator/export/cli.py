"""``flask workshop …``: commands on one workshop. ``workshop export`` writes its documentation."""
from __future__ import annotations

from pathlib import Path

import click


@click.group(help="Commands on one workshop (by join code): documentation export.")
def workshop():
    pass


@workshop.command("export")
@click.argument("code")
@click.option("--format", "fmt", default="pdf", show_default=True,
              type=click.Choice(["pdf", "docx", "xlsx", "csv", "md", "json"]), help="File format.")
@click.option("-o", "--output", type=click.Path(dir_okay=True, path_type=Path), default=None,
              help="File or folder to write to (default: the export's file name in the current folder).")
@click.option("--named", is_flag=True, help="Include the names participants gave (default: anonymised).")
@click.option("--lang", "locale", default="de", show_default=True, type=click.Choice(["de", "en"]),
              help="Language of the headings.")
def export_workshop(code: str, fmt: str, output: Path | None, named: bool, locale: str):
    """Write the documentation of the workshop CODE (as it ran) in one format."""
    from ..core.errors import DomainError
    from ..workshops.queries import get_by_code
    from . import render

    workshop = get_by_code(code)
    if workshop is None:
        raise click.ClickException(f"no workshop {code}")
    try:
        rendered = render(workshop, fmt, anonymised=not named, locale=locale)
    except DomainError as err:
        raise click.ClickException(err.message)
    target = output or Path(rendered.filename)
    if target.is_dir():
        target = target / rendered.filename
    target.write_bytes(rendered.data)
    click.echo(f"{target} ({len(rendered.data):,} bytes, {'named' if named else 'anonymised'})")
