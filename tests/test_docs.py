"""Sweeps: the API documentation is generated from the registry and must be current."""
from pathlib import Path

from facilitator.core.apidoc import generated_part, render_commands
from facilitator.core.commands import REGISTRY

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def test_command_reference_is_up_to_date(app):
    assert generated_part(API_DOC) == render_commands(), "run `flask --app app docs api` and commit docs/api.md"


def test_every_command_is_documented_with_roles_and_errors(app):
    text = API_DOC.read_text(encoding="utf-8")
    for name, cmd in REGISTRY.items():
        section = text.split(f"### `{name}`", 1)
        assert len(section) == 2, f"{name} missing in docs/api.md"
        body = section[1].split("### ", 1)[0]
        for role in cmd.roles:
            assert f"`{role}`" in body
        for code in cmd.errors:
            assert f"`{code}`" in body


def test_every_command_has_a_summary_and_an_example_that_parses(app):
    from facilitator.core.commands import NoPayload

    for name, cmd in REGISTRY.items():
        assert cmd.summary and cmd.summary != name, f"{name} needs a docstring"
        if cmd.payload is not NoPayload and not any(str(v).startswith("$") for v in cmd.example.values()):
            cmd.payload.model_validate(cmd.example)


def test_every_event_in_the_code_is_documented():
    """Every event name the server emits or listens to (outside the command registry) is in docs/api.md."""
    import re

    text = API_DOC.read_text(encoding="utf-8")
    source = "\n".join(p.read_text() for p in (API_DOC.parent.parent / "facilitator").rglob("*.py"))
    names = set(re.findall(r'(?:publish|emit|on_event)\(\s*"([a-z_]+\.[a-z_.]+)"', source))
    names |= set(re.findall(r'emit_unsequenced\([^,]+,\s*"([a-z_]+\.[a-z_.]+)"', source))
    assert {"workshop.state", "sync.snapshot", "presence.ping"} <= names  # the scan works
    missing = sorted(n for n in names if f"`{n}`" not in text)
    assert not missing, f"undocumented events: {missing}"
