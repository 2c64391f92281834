"""``flask`` commands: organisers, agenda import/export, the setup link."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from .extensions import db


def register_cli(app) -> None:
    app.cli.add_command(organiser)
    app.cli.add_command(agenda)
    app.cli.add_command(setup_link)
    app.cli.add_command(docs)
    from .export import retention_cli  # noqa: F401  (adds purge-expired and delete to "flask workshop")
    from .export.cli import workshop

    app.cli.add_command(workshop)


@click.group(help="Organiser accounts.")
def organiser():
    pass


@organiser.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option(help="At least 10 characters.")
@click.option("--workshop", "workshop_code", default=None, help="Also make them organiser of this workshop (join code).")
def create_organiser(email: str, name: str, password: str, workshop_code: str | None):
    """Create an organiser account (the password is stored hashed)."""
    from .accounts.operations import adopt_ownerless_workshops, create_user
    from .core.errors import DomainError
    from .workshops.models import Role
    from .workshops.operations import add_member
    from .workshops.queries import get_by_code

    if len(password) < 10:
        raise click.BadParameter("at least 10 characters", param_hint="--password")
    try:
        user = create_user(email, name, password, is_admin=True)
    except DomainError as err:
        raise click.ClickException(err.message)
    adopt_ownerless_workshops(user)
    if workshop_code:
        workshop = get_by_code(workshop_code)
        if workshop is None:
            raise click.ClickException(f"no workshop {workshop_code}")
        add_member(workshop, user, Role.organiser)
    db.session.commit()
    click.echo(f"created organiser {user.email}")


@click.group(help="Agenda templates (TOML, see agendas/README.md).")
def agenda():
    pass


@agenda.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check_agenda(path: Path):
    """Validate an agenda file; prints the line and field of the first error."""
    from .agenda.loader import AgendaFileError, load_template_file

    try:
        template = load_template_file(path)
    except AgendaFileError as err:
        raise click.ClickException(str(err))
    click.echo(f"ok: {template.workshop.title} ({len(template.items)} items, {len(template.groups)} groups)")


@agenda.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organiser", "email", default=None, help="E-mail of the organiser who owns the new workshop.")
def import_agenda(path: Path, email: str | None):
    """Create a workshop from an agenda file; prints its join code."""
    from .accounts.operations import find_user
    from .agenda.loader import AgendaFileError, load_template_file
    from .workshops.operations import create_from_template

    try:
        template = load_template_file(path)
    except AgendaFileError as err:
        raise click.ClickException(str(err))
    owner = find_user(email) if email else None
    if email and owner is None:
        raise click.ClickException(f"no organiser {email}")
    workshop = create_from_template(owner, template)
    db.session.commit()
    click.echo(workshop.code)


@agenda.command("export")
@click.argument("code")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export_agenda(code: str, output: Path | None):
    """Write a workshop's agenda as TOML (to stdout or --output)."""
    from .agenda.loader import dump_template
    from .workshops.operations import template_of
    from .workshops.queries import get_by_code

    workshop = get_by_code(code)
    if workshop is None:
        raise click.ClickException(f"no workshop {code}")
    text = dump_template(template_of(workshop))
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@click.command("setup-link")
@click.option("--base-url", default="http://127.0.0.1:5000")
def setup_link(base_url: str):
    """Print a one-time link to create the first organiser (only while none exists)."""
    from .core.bootstrap import new_setup_token

    token = new_setup_token()
    if token is None:
        raise click.ClickException("an organiser exists already; use 'flask organiser create'")
    click.echo(f"{base_url.rstrip('/')}/setup/{token}")


@click.group(help="Documentation generated from the code.")
def docs():
    pass


@docs.command("api")
def docs_api():
    """Rewrite the command reference in docs/api.md from the intent registry."""
    from .core.apidoc import update_file
    path = Path(current_app.root_path).parent / "docs" / "api.md"
    click.echo("updated" if update_file(path) else "up to date")
