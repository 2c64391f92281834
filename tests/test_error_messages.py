"""Every refusal a person can meet has a translated message."""
import re
from pathlib import Path

from flask_babel import refresh

from facilitator.core.error_messages import MESSAGES
from facilitator.core.errors import InvalidState

ROOT = Path(__file__).resolve().parent.parent


def codes_in_code_base() -> set[str]:
    source = "\n".join(p.read_text() for p in (ROOT / "facilitator").rglob("*.py"))
    codes = set(re.findall(r'code="([a-z_]+)"', source))
    codes |= set(re.findall(r'^\s+code = "([a-z_]+)"', source, re.M)) - {"error"}
    codes |= {f"workshop_{state}" for state in ("planned", "running", "ended")}  # require_state's f-string
    return codes


def test_every_error_code_has_a_message():
    codes = codes_in_code_base()
    assert {"item_not_pending", "invalid_payload", "no_blitzlicht"} <= codes  # the scan works
    missing = sorted(codes - set(MESSAGES))
    assert not missing, f"add these to facilitator/core/error_messages.py: {missing}"


def test_refusal_is_in_german_by_default_and_english_on_request(app):
    with app.test_request_context("/"):
        error = InvalidState("an item lasts at least one minute", code="duration_too_short").to_dict()
    assert error == {"code": "duration_too_short", "message": "Ein Programmpunkt dauert mindestens eine Minute.",
                     "detail": "an item lasts at least one minute"}
    with app.test_request_context("/?lang=en"):
        refresh()  # the test's app context outlives the request: drop the cached locale
        error = InvalidState("x", code="duration_too_short").to_dict()
    assert error["message"] == "An agenda item lasts at least one minute."


def test_socket_refusal_reaches_the_cockpit_translated(clients, clock):
    fac = clients.connect("organiser")
    ack = fac.emit("agenda.pause", {}, callback=True)
    assert ack["ok"] is False
    assert ack["error"]["code"] == "nothing_running"
    assert ack["error"]["message"] == "Es läuft gerade kein Programmpunkt."
