"""The ``flask`` commands: organisers, agenda check/import/export, the setup link."""
from __future__ import annotations

import re

import pytest

from facilitator.accounts.models import User
from facilitator.accounts.operations import valid_setup_token
from facilitator.agenda.loader import load_template, load_template_file
from facilitator.workshops.models import Membership, Role, Workshop
from facilitator.workshops.queries import get_by_code
from tests.conftest import RVR


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args, **kw: runner.invoke(args=list(args), catch_exceptions=False, **kw)


def users(db) -> list[User]:
    db.session.expire_all()
    return db.session.execute(db.select(User)).scalars().all()


# --- organiser create -------------------------------------------------------------------------

def test_organiser_create(cli, db):
    result = cli("organiser", "create", "--email", "Olga@Example.org", "--name", "Olga", "--password", "ein langes Passwort")
    assert result.exit_code == 0, result.output
    assert "olga@example.org" in result.output
    [user] = users(db)
    assert user.email == "olga@example.org" and user.name == "Olga"
    assert user.password_hash != "ein langes Passwort" and user.check_password("ein langes Passwort")


def test_organiser_create_asks_for_the_password_twice(cli, db):
    result = cli("organiser", "create", "--email", "o@example.org", "--name", "O", input="ein langes Passwort\nein langes Passwort\n")
    assert result.exit_code == 0, result.output
    assert users(db)[0].check_password("ein langes Passwort")


def test_organiser_create_adopts_the_demo_and_joins_a_workshop(cli, db, factory, organiser):
    demo = factory.workshop(None)  # created before any account existed
    mine = factory.workshop(organiser, template=None, title="Olgas")
    result = cli("organiser", "create", "--email", "co@example.org", "--name", "Co", "--password", "ein langes Passwort",
                 "--workshop", mine.code.lower())
    assert result.exit_code == 0, result.output
    co = next(u for u in users(db) if u.email == "co@example.org")
    roles = {m.workshop_id: m.role for m in db.session.execute(db.select(Membership).filter_by(user_id=co.id)).scalars()}
    assert roles == {demo.id: Role.organiser, mine.id: Role.organiser}


@pytest.mark.parametrize("args, message", [
    (["--email", "x@example.org", "--name", "X", "--password", "kurz"], "10 characters"),
    (["--email", "olga@example.org", "--name", "X", "--password", "ein langes Passwort"], "exists"),
    (["--email", "y@example.org", "--name", "Y", "--password", "ein langes Passwort", "--workshop", "ZZZZZZ"], "ZZZZZZ"),
])
def test_organiser_create_refuses(cli, db, organiser, args, message):
    before = len(users(db))
    result = cli("organiser", "create", *args)
    assert result.exit_code != 0
    assert message in result.output
    db.session.rollback()  # what the end of the command's app context does with what was not committed
    assert len(users(db)) == before


# --- agenda check / import / export -----------------------------------------------------------

@pytest.mark.parametrize("path", sorted((RVR.parent).glob("*.toml")), ids=lambda p: p.name)
def test_agenda_check_accepts_the_shipped_templates(cli, path):
    result = cli("agenda", "check", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")


def test_agenda_check_names_line_and_field_of_an_error(cli, tmp_path):
    text = RVR.read_text(encoding="utf-8")
    lines = text.split("\n")
    line = next(n for n, l in enumerate(lines, start=1) if l.startswith("duration = 15"))  # Choose your fighter
    lines[line - 1] = 'duration = "fünfzehn"'
    broken = tmp_path / "kaputt.toml"
    broken.write_text("\n".join(lines), encoding="utf-8")

    result = cli("agenda", "check", str(broken))

    assert result.exit_code == 1
    assert f"Zeile {line}" in result.output
    assert "items[3].duration" in result.output
    assert "kaputt.toml" in result.output


def test_agenda_check_reports_toml_syntax_errors_with_the_line(cli, tmp_path):
    broken = tmp_path / "syntax.toml"
    broken.write_text('format_version = 1\n[workshop]\ntitle = "ohne Ende\n', encoding="utf-8")
    result = cli("agenda", "check", str(broken))
    assert result.exit_code == 1
    assert re.search(r"Zeile \d", result.output)


def test_agenda_check_of_a_missing_file(cli, tmp_path):
    result = cli("agenda", "check", str(tmp_path / "gibt-es-nicht.toml"))
    assert result.exit_code == 2


def test_agenda_import_prints_the_join_code(cli, db, organiser):
    result = cli("agenda", "import", str(RVR), "--organiser", organiser.email)
    assert result.exit_code == 0, result.output
    code = result.output.strip()
    workshop = get_by_code(code)
    assert workshop is not None
    assert workshop.title == "1. Online-Werkstatt Strategie Grüne Infrastruktur"
    assert [i.title for i in workshop.items] == [i.title for i in load_template_file(RVR).items]
    membership = db.session.execute(db.select(Membership).filter_by(workshop_id=workshop.id)).scalar_one()
    assert membership.user_id == organiser.id and membership.role is Role.organiser


def test_agenda_import_refuses_an_unknown_organiser_and_a_broken_file(cli, db, tmp_path):
    assert cli("agenda", "import", str(RVR), "--organiser", "nobody@example.org").exit_code != 0
    broken = tmp_path / "broken.toml"
    broken.write_text("format_version = 1\n", encoding="utf-8")
    assert cli("agenda", "import", str(broken)).exit_code != 0
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Workshop.id))) == 0


def test_agenda_export_round_trips(cli, tmp_path):
    code = cli("agenda", "import", str(RVR)).output.strip()

    result = cli("agenda", "export", code)
    assert result.exit_code == 0, result.output
    assert load_template(result.output) == load_template_file(RVR)

    out = tmp_path / "export.toml"
    assert cli("agenda", "export", code.lower(), "-o", str(out)).exit_code == 0
    assert load_template_file(out) == load_template_file(RVR)


def test_agenda_export_after_editing_keeps_the_plan(cli, workshop, clock, db):
    from facilitator.agenda.operations import update_item
    from facilitator.core.clock import now_utc

    update_item(workshop, workshop.items[4], {"duration_s": 15 * 60, "title": "Lange Pause"}, now_utc())
    db.session.commit()
    exported = load_template(cli("agenda", "export", workshop.code).output)
    assert (exported.items[4].title, exported.items[4].duration) == ("Lange Pause", 15)


def test_agenda_export_of_an_unknown_workshop(cli):
    result = cli("agenda", "export", "ZZZZZZ")
    assert result.exit_code == 1
    assert "ZZZZZZ" in result.output


# --- setup-link -------------------------------------------------------------------------------

def test_setup_link_on_a_fresh_database(cli, app):
    result = cli("setup-link", "--base-url", "https://werkstatt.example.org/")
    assert result.exit_code == 0, result.output
    match = re.fullmatch(r"https://werkstatt\.example\.org/setup/(\S+)\n", result.output)
    assert match, result.output
    assert valid_setup_token(match[1]) is not None
    assert app.test_client().get(f"/setup/{match[1]}").status_code == 200


def test_setup_link_refuses_when_an_organiser_exists(cli, organiser):
    result = cli("setup-link")
    assert result.exit_code == 1
    assert "organiser exists" in result.output
    assert "/setup/" not in result.output
