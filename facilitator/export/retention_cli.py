"""``flask workshop purge-expired`` and ``flask workshop delete``: retention and deletion from the
command line (cron). Added to the ``workshop`` group of ``facilitator/export/cli.py`` on import."""
from __future__ import annotations

import click

from ..extensions import db
from .cli import workshop


@click.command("purge-expired")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
def purge_expired(dry_run: bool):
    """Delete the personal data of workshops past their retention date (see docs/retention.md).

    Safe to run daily from cron: a workshop is purged once; its anonymous content is kept.
    """
    from .retention import expired_workshops, purge_personal_data

    workshops = expired_workshops()
    if not workshops:
        click.echo("no workshop past its retention date")
        return
    for workshop in workshops:
        report = purge_personal_data(workshop, dry_run=dry_run)
        click.echo(f"{'would purge' if dry_run else 'purged'} {report.code} ({report.title}), kept until "
                   f"{report.retention_date.isoformat()}: {report.participants} participants, "
                   f"{report.author_links} author links, {report.connections} connections, {report.exports} exports")
        if not dry_run:
            db.session.commit()  # one workshop at a time: a failure later leaves the earlier ones done
    if dry_run:
        db.session.rollback()


@click.command("delete")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_workshop_command(code: str, yes: bool):
    """Delete a workshop (join code) with everything in it. Organiser accounts stay."""
    from ..workshops.queries import get_by_code
    from .retention import delete_workshop

    workshop = get_by_code(code)
    if workshop is None:
        raise click.ClickException(f"no workshop {code}")
    title, code = workshop.title, workshop.code
    if not yes:
        click.confirm(f"Delete {code} ({title}) and all its data? This cannot be undone.", abort=True)
    delete_workshop(workshop)
    db.session.commit()
    click.echo(f"deleted {code} ({title})")


workshop.add_command(purge_expired)
workshop.add_command(delete_workshop_command)
