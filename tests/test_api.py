"""The REST API under /api/v1: its OpenAPI document, workshops and agendas, commands, and its errors."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from facilitator.agenda.loader import load_template, load_template_file
from facilitator.core.api import ENDPOINTS
from facilitator.extensions import db as _db
from facilitator.workshops.models import Workshop
from tests.conftest import RVR

API = "/api/v1"


def fingerprint() -> dict:
    """Every row of every table."""
    _db.session.expire_all()
    with _db.engine.connect() as conn:
        return {t.name: sorted(tuple(map(repr, r)) for r in conn.execute(t.select()).all())
                for t in _db.metadata.sorted_tables}


def agenda_url(workshop, rest="") -> str:
    return f"{API}/workshops/{workshop.code}/agenda{rest}"


def instant(text: str) -> datetime:
    """An ISO time from the API (``Z`` or an offset) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def titles(agenda: dict) -> list[str]:
    return [i["title"] for i in agenda["items"]]


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.status_code, response.data)
    assert response.is_json
    body = response.get_json()
    assert body["ok"] is False
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def organiser_http(clients):
    return clients.http("organiser")


# --- the OpenAPI document ---------------------------------------------------------------------

def test_openapi_document_is_valid_openapi_3_1(client_anonymous):
    from openapi_spec_validator import validate

    response = client_anonymous.get(f"{API}/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1")
    validate(doc)


@pytest.fixture
def client_anonymous(app):
    return app.test_client()


def flask_rule_to_openapi(rule: str) -> str:
    import re

    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def test_every_api_route_is_registered_and_documented(app, client_anonymous):
    doc = client_anonymous.get(f"{API}/openapi.json").get_json()
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    registered = {(API + ep.rule, ep.method) for ep in ENDPOINTS}
    routes = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules() if rule.rule.startswith(API + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    # every Flask route under /api/v1 went through @endpoint (so it is described) and vice versa
    assert routes == registered
    assert documented == {(flask_rule_to_openapi(rule), method.lower()) for rule, method in registered}


def test_documented_request_bodies_and_commands(client_anonymous):
    from facilitator.core.commands import REGISTRY

    doc = client_anonymous.get(f"{API}/openapi.json").get_json()
    for ep in ENDPOINTS:
        operation = doc["paths"][flask_rule_to_openapi(API + ep.rule)][ep.method.lower()]
        assert operation["summary"]
        assert str(ep.status) in operation["responses"]
        if ep.body is not None:
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.rsplit("/", 1)[-1] in doc["components"]["schemas"]
        if ep.command:
            assert ep.command in REGISTRY
            assert operation["x-command"] == ep.command


def test_openapi_and_templates_need_no_login(client_anonymous):
    assert client_anonymous.get(f"{API}/openapi.json").status_code == 200
    templates = client_anonymous.get(f"{API}/templates").get_json()["templates"]
    slugs = {t["slug"]: t for t in templates}
    assert slugs["rvr-gruene-infrastruktur-2022"]["items"] == 10
    assert slugs["rvr-gruene-infrastruktur-2022"]["groups"] == 5


# --- workshops --------------------------------------------------------------------------------

def test_list_workshops_shows_only_mine(clients, workshop):
    mine = clients.http("organiser").get(f"{API}/workshops").get_json()
    assert mine["ok"]
    assert [(w["code"], w["role"]) for w in mine["workshops"]] == [(workshop.code, "organiser")]
    assert mine["workshops"][0]["title"] == "1. Online-Werkstatt Strategie Grüne Infrastruktur"

    theirs = clients.http("other_facilitator").get(f"{API}/workshops").get_json()
    assert workshop.code not in [w["code"] for w in theirs["workshops"]]
    assert [w["title"] for w in theirs["workshops"]] == ["Andere Werkstatt"]


def test_create_blank_workshop(organiser_http, db):
    response = organiser_http.post(f"{API}/workshops", json={"title": "Netzwerktreffen"})
    assert response.status_code == 201
    created = response.get_json()["workshop"]
    assert created["title"] == "Netzwerktreffen" and created["role"] == "organiser" and created["state"] == "planned"
    agenda = organiser_http.get(agenda_url(Workshop(code=created["code"]))).get_json()["agenda"]
    assert agenda["items"] == []
    codes = [w["code"] for w in organiser_http.get(f"{API}/workshops").get_json()["workshops"]]
    assert created["code"] in codes


@pytest.mark.parametrize("title", [None, "RVR Werkstatt 2"])
def test_create_workshop_from_a_template(organiser_http, title):
    body = {"template": "rvr-gruene-infrastruktur-2022"} | ({"title": title} if title else {})
    response = organiser_http.post(f"{API}/workshops", json=body)
    assert response.status_code == 201, response.data
    created = response.get_json()["workshop"]
    assert created["title"] == (title or "1. Online-Werkstatt Strategie Grüne Infrastruktur")
    assert created["date"] == "2022-11-30"
    agenda = organiser_http.get(f"{API}/workshops/{created['code']}/agenda").get_json()["agenda"]
    assert titles(agenda) == [i.title for i in load_template_file(RVR).items]
    assert agenda["day_starts_at"] == "09:30"


@pytest.mark.parametrize("body, status, code", [
    ({"template": "gibt-es-nicht"}, 404, "template_not_found"),
    ({"title": ""}, 422, "invalid_payload"),
    ({"title": "x" * 201}, 422, "invalid_payload"),
    ({"title": "Ok", "colour": "green"}, 422, "invalid_payload"),
    (["Ok"], 422, "invalid_payload"),
])
def test_create_workshop_refuses_bad_input_and_creates_nothing(organiser_http, body, status, code):
    before = fingerprint()
    error_of(organiser_http.post(f"{API}/workshops", json=body), status, code)
    assert fingerprint() == before


# --- the agenda -------------------------------------------------------------------------------

def test_get_workshop_and_agenda(organiser_http, workshop):
    whole = organiser_http.get(f"{API}/workshops/{workshop.code}").get_json()
    assert whole["workshop"]["code"] == workshop.code
    agenda = organiser_http.get(agenda_url(workshop)).get_json()["agenda"]
    assert agenda == whole["agenda"]
    assert instant(agenda["planned_end"]) == utc(2022, 11, 30, 12, 45)  # 13:45 in Berlin
    assert agenda["drift_s"] == 0
    assert agenda["items"][6]["pinned_at"] == "11:40"
    assert agenda["items"][0]["notes"]  # organisers see the notes


def test_add_item_at_the_end_and_at_a_position(organiser_http, workshop):
    response = organiser_http.post(agenda_url(workshop, "/items"), json={"title": "Kaffee", "kind": "break", "duration": 10})
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert body["ok"] and isinstance(body["item_id"], int)
    assert titles(body["agenda"])[-1] == "Kaffee"
    assert body["agenda"]["items"][-1]["id"] == body["item_id"]
    assert instant(body["agenda"]["planned_end"]) == utc(2022, 11, 30, 12, 55)

    response = organiser_http.post(agenda_url(workshop, "/items"),
                                   json={"title": "Warm-up", "duration": 5, "position": 1, "pinned_at": "09:40"})
    agenda = response.get_json()["agenda"]
    assert titles(agenda)[:3] == ["Begrüßung", "Warm-up", "Keynote durch RVR & bgmr"]
    assert agenda["items"][1]["pinned_at"] == "09:40"
    assert agenda["items"][1]["kind"] == "plenary"


def test_update_item(organiser_http, workshop):
    pause = next(i for i in workshop.items if i.title == "Pause")
    response = organiser_http.patch(agenda_url(workshop, f"/items/{pause.id}"), json={"duration": 15, "title": "Kaffeepause"})
    assert response.status_code == 200, response.data
    row = next(i for i in response.get_json()["agenda"]["items"] if i["id"] == pause.id)
    assert (row["title"], row["duration_s"], row["planned_duration_s"]) == ("Kaffeepause", 900, 900)


def test_update_item_takes_the_id_from_the_path(organiser_http, workshop):
    pause, lunch = workshop.items[4], workshop.items[6]
    response = organiser_http.patch(agenda_url(workshop, f"/items/{pause.id}"), json={"item_id": lunch.id, "title": "Kurz"})
    assert response.status_code == 200
    items = {i["id"]: i["title"] for i in response.get_json()["agenda"]["items"]}
    assert items[pause.id] == "Kurz" and items[lunch.id] == "Mittagspause"


def test_remove_item(organiser_http, workshop):
    pause = workshop.items[4]
    response = organiser_http.delete(agenda_url(workshop, f"/items/{pause.id}"))
    assert response.status_code == 200
    agenda = response.get_json()["agenda"]
    assert "Pause" not in titles(agenda)
    assert [i["position"] for i in agenda["items"]] == list(range(9))


def test_reorder(organiser_http, workshop):
    ids = [i.id for i in workshop.items]
    new_order = ids[:4] + [ids[5], ids[4]] + ids[6:]
    response = organiser_http.put(agenda_url(workshop, "/order"), json={"item_ids": new_order})
    assert response.status_code == 200
    assert [i["id"] for i in response.get_json()["agenda"]["items"]] == new_order


def test_set_the_day(organiser_http, workshop):
    response = organiser_http.patch(agenda_url(workshop, "/day"), json={"starts_at": "09:00", "date": "2022-12-01"})
    assert response.status_code == 200
    agenda = response.get_json()["agenda"]
    assert agenda["day_starts_at"] == "09:00"
    assert instant(agenda["items"][0]["planned_start"]) == utc(2022, 12, 1, 8, 0)


def test_export_agenda_as_toml(organiser_http, workshop):
    response = organiser_http.get(f"{API}/workshops/{workshop.code}/agenda.toml")
    assert response.status_code == 200
    assert response.mimetype == "application/toml"
    assert load_template(response.get_data(as_text=True)) == load_template_file(RVR)


# --- commands ---------------------------------------------------------------------------------

def test_run_a_command(organiser_http, workshop, clock):
    clock.advance(minutes=5)  # 09:30, on time
    response = organiser_http.post(f"{API}/workshops/{workshop.code}/commands/day.start", json={})
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"]
    assert body["agenda"]["current_id"] == workshop.items[0].id

    clock.advance(minutes=12)
    body = organiser_http.post(f"{API}/workshops/{workshop.code}/commands/agenda.extend", json={"minutes": 5}).get_json()
    assert body["agenda"]["items"][0]["duration_s"] == 15 * 60
    assert body["agenda"]["drift_s"] == 5 * 60


def test_command_without_body(organiser_http, workshop, clock):
    response = organiser_http.post(f"{API}/workshops/{workshop.code}/commands/day.start")
    assert response.status_code == 200


def test_commands_reach_the_sockets(clients, workshop, clock):
    from tests.conftest import events

    phone = clients.connect("participant")
    phone.get_received()
    clients.http("organiser").post(f"{API}/workshops/{workshop.code}/commands/broadcast.send", json={"text": "Hallo"})
    got = events(phone, "broadcast.sent")
    assert [m["data"]["text"] for _n, m in got] == ["Hallo"]
    assert got[0][1]["seq"] == 1


@pytest.mark.parametrize("command, status, code", [
    ("agenda.next", 409, "workshop_planned"),
    ("agenda.pause", 409, "nothing_running"),
    ("agenda.explode", 404, "unknown_command"),
])
def test_refused_command_changes_nothing(organiser_http, workshop, command, status, code):
    before = fingerprint()
    error_of(organiser_http.post(f"{API}/workshops/{workshop.code}/commands/{command}", json={}), status, code)
    assert fingerprint() == before


# --- errors -----------------------------------------------------------------------------------

def every_workshop_request(workshop):
    """(method, url, json) for every workshop route, with a valid body."""
    item = workshop.items[4].id
    ids = [i.id for i in workshop.items]
    base = f"{API}/workshops/{workshop.code}"
    return [
        ("get", base, None),
        ("get", f"{base}/agenda", None),
        ("get", f"{base}/agenda.toml", None),
        ("post", f"{base}/agenda/items", {"title": "Kaffee", "duration": 10}),
        ("patch", f"{base}/agenda/items/{item}", {"title": "Neu"}),
        ("delete", f"{base}/agenda/items/{item}", None),
        ("put", f"{base}/agenda/order", {"item_ids": list(reversed(ids))}),
        ("patch", f"{base}/agenda/day", {"starts_at": "09:00"}),
        ("post", f"{base}/commands/day.start", {}),
        ("get", f"{base}/exports", None),
        ("post", f"{base}/exports", {"format": "md"}),
        ("get", f"{base}/exports/1", None),
        ("get", f"{base}/exports/1/download", None),
    ]


def test_every_workshop_route_is_in_the_error_sweep(workshop):
    swept = {(m.upper(), url) for m, url, _ in every_workshop_request(workshop)}
    code_routes = {(ep.method, ep.rule) for ep in ENDPOINTS if "<code>" in ep.rule}
    assert len(code_routes) == len(swept)


@pytest.mark.parametrize("role, status, code", [
    ("anonymous", 401, "not_authenticated"),
    ("participant", 401, "not_authenticated"),    # a participant cookie is no login
    ("screen", 401, "not_authenticated"),
    ("other_facilitator", 403, "forbidden"),
])
def test_workshop_routes_refuse_who_may_not_and_change_nothing(clients, workshop, role, status, code):
    http = clients.http(role)
    before = fingerprint()
    for method, url, body in every_workshop_request(workshop):
        response = getattr(http, method)(url, json=body) if body is not None else getattr(http, method)(url)
        error_of(response, status, code)
    assert fingerprint() == before


@pytest.mark.parametrize("method, url", [("get", f"{API}/workshops"), ("post", f"{API}/workshops")])
def test_workshop_list_and_create_need_login(client_anonymous, method, url):
    before = fingerprint()
    error_of(getattr(client_anonymous, method)(url, json={"title": "X"}), 401, "not_authenticated")
    assert fingerprint() == before


def test_unknown_workshop_is_404(organiser_http, workshop):
    before = fingerprint()
    ghost = Workshop(code="ZZZZZZ")
    for method, url, body in every_workshop_request(workshop):
        url = url.replace(workshop.code, ghost.code)
        response = getattr(organiser_http, method)(url, json=body) if body is not None else getattr(organiser_http, method)(url)
        error_of(response, 404, "workshop_not_found")
    assert fingerprint() == before


@pytest.mark.parametrize("method, rest, body", [
    ("post", "/items", {"title": "Kaffee"}),                           # duration missing
    ("post", "/items", {"title": "Kaffee", "duration": 0}),            # out of range
    ("post", "/items", {"title": "Kaffee", "duration": "zehn"}),       # wrong type
    ("post", "/items", {"title": "Kaffee", "duration": 10, "x": 1}),   # unknown field
    ("post", "/items", ["Kaffee"]),                                    # not an object
    ("post", "/items", None),                                          # no body at all
    ("patch", "/items/{item}", {}),                                    # nothing to change
    ("patch", "/items/{item}", {"duration": 601}),
    ("patch", "/items/{item}", {"kind": "party"}),
    ("put", "/order", {"item_ids": "alle"}),
    ("put", "/order", {}),
    ("patch", "/day", {"starts_at": "25:00"}),
])
def test_invalid_payload_is_422_and_changes_nothing(organiser_http, workshop, method, rest, body):
    url = agenda_url(workshop, rest.format(item=workshop.items[4].id))
    before = fingerprint()
    response = getattr(organiser_http, method)(url, json=body) if body is not None else getattr(organiser_http, method)(url)
    error = error_of(response, 422, "invalid_payload")
    if isinstance(body, dict) and body:
        assert error["details"]["fields"]
    assert fingerprint() == before


def test_domain_refusals_have_their_codes(organiser_http, workshop, clock):
    organiser_http.post(f"{API}/workshops/{workshop.code}/commands/day.start")
    running = workshop.items[0].id
    before = fingerprint()
    error_of(organiser_http.delete(agenda_url(workshop, f"/items/{running}")), 409, "item_not_pending")
    error_of(organiser_http.delete(agenda_url(workshop, "/items/999999")), 404, "item_not_found")
    error_of(organiser_http.patch(agenda_url(workshop, "/day"), json={"starts_at": "09:00"}), 409, "workshop_running")
    assert fingerprint() == before


def test_item_of_another_workshop_is_not_found(clients, factory, organiser, workshop):
    other = factory.workshop(organiser, title="Zweite")
    foreign = other.items[4].id
    http = clients.http("organiser")
    before = fingerprint()
    error_of(http.delete(agenda_url(workshop, f"/items/{foreign}")), 404, "item_not_found")
    error_of(http.patch(agenda_url(workshop, f"/items/{foreign}"), json={"title": "x"}), 404, "item_not_found")
    assert fingerprint() == before


def test_unknown_api_path_and_wrong_method_answer_json(organiser_http, workshop):
    error_of(organiser_http.get(f"{API}/nothing-here"), 404, "not_found")
    error_of(organiser_http.delete(f"{API}/workshops"), 405, "method_not_allowed")
