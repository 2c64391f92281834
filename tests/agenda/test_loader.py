"""Agenda template files: loading, validation errors with line and field, dumping."""
from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from facilitator.agenda.loader import (
    ITEM_KINDS,
    AgendaFileError,
    AgendaTemplate,
    ItemTemplate,
    dump_template,
    list_templates,
    load_template,
    load_template_file,
)

ROOT = Path(__file__).resolve().parents[2]
AGENDAS = ROOT / "agendas"
TEMPLATE_FILES = sorted(AGENDAS.glob("*.toml"))
RVR = AGENDAS / "rvr-gruene-infrastruktur-2022.toml"
NETZWERK = AGENDAS / "netzwerkaustausch-2021.toml"

# Line numbers matter in these tests: keep this text as it is (see the comments on the right).
MINIMAL = """\
format_version = 1

[workshop]
title = "Test-Werkstatt"
starts_at = "09:00"

[[items]]
title = "Begrüßung"
kind = "plenary"
duration = 10

[[items]]
title = "Arbeit in Gruppen"
kind = "breakout"
duration = 60
min_duration = 30
"""
# line 7: first [[items]], line 12: second [[items]], line 15: its duration


def line_of(text: str, needle: str) -> int:
    """1-based line of the only line that contains ``needle``."""
    hits = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} found on lines {hits}"
    return hits[0]


def load_error(text: str, source: str = "<string>") -> AgendaFileError:
    with pytest.raises(AgendaFileError) as info:
        load_template(text, source)
    return info.value


def minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def clock(total_minutes: int) -> str:
    return f"{total_minutes // 60:02d}:{total_minutes % 60:02d}"


def start_times(template: AgendaTemplate) -> list[str]:
    """Nominal start of every item: one after another, a pinned item not before its time."""
    t = minutes(template.workshop.starts_at)
    starts = []
    for item in template.items:
        if item.pinned is not None:
            t = max(t, minutes(item.pinned))
        starts.append(clock(t))
        t += item.duration
    return starts


# --- the shipped templates ------------------------------------------------------------------


def test_template_directory_has_the_shipped_files():
    assert RVR in TEMPLATE_FILES and NETZWERK in TEMPLATE_FILES


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name)
def test_every_template_file_loads(path):
    template = load_template_file(path)
    assert template.format_version == 1
    assert template.items
    for item in template.items:
        assert item.kind in ITEM_KINDS
        assert item.min_duration is not None and 1 <= item.min_duration <= item.duration


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name)
def test_every_template_file_round_trips(path):
    template = load_template_file(path)
    text = dump_template(template)
    again = load_template(text)
    assert again == template
    assert dump_template(again) == text  # stable


def test_rvr_programme_matches_the_seed():
    t = load_template_file(RVR)
    assert t.workshop.title == "1. Online-Werkstatt Strategie Grüne Infrastruktur"
    assert t.workshop.organiser == "Regionalverband Ruhr (RVR)"
    assert t.workshop.date == dt.date(2022, 11, 30)
    assert t.workshop.starts_at == dt.time(9, 30)
    assert t.workshop.timezone == "Europe/Berlin"
    assert t.workshop.format == "online"
    assert len(t.items) == 10
    assert [i.title for i in t.items] == [
        "Begrüßung",
        "Keynote durch RVR & bgmr",
        "Clusterkette „Grüne Infrastruktur“",
        "Choose your fighter",
        "Pause",
        "Arbeit in Themengruppen, Teil 1",
        "Mittagspause",
        "Arbeit in Themengruppen, Teil 2",
        "Blitzlicht",
        "Ausblick und Verabschiedung",
    ]
    assert [i.kind for i in t.items] == [
        "plenary", "keynote", "cluster_chain", "group_choice", "break",
        "breakout", "break", "breakout", "blitzlicht", "outlook",
    ]
    # the published programme, 09:30 to 13:45
    assert start_times(t) == [
        "09:30", "09:40", "09:50", "10:00", "10:15", "10:25", "11:40", "12:10", "13:20", "13:35",
    ]
    end = minutes(t.workshop.starts_at) + sum(i.duration for i in t.items)
    assert clock(end) == "13:45"


def test_rvr_lunch_is_the_only_pinned_item_and_fits():
    t = load_template_file(RVR)
    pinned = [(i.title, i.pinned) for i in t.items if i.pinned is not None]
    assert pinned == [("Mittagspause", dt.time(11, 40))]
    # the items before lunch add up exactly to 11:40, so the plan needs no gap or overlap
    before_lunch = sum(i.duration for i in t.items[:6])
    assert clock(minutes(t.workshop.starts_at) + before_lunch) == "11:40"


def test_rvr_item_settings():
    t = load_template_file(RVR)
    by_title = {i.title: i for i in t.items}
    assert by_title["Clusterkette „Grüne Infrastruktur“"].settings["central_term"] == "Grüne Infrastruktur"
    assert by_title["Choose your fighter"].settings["round"] == 1
    assert by_title["Arbeit in Themengruppen, Teil 1"].settings["round"] == 1
    assert by_title["Arbeit in Themengruppen, Teil 2"].settings["round"] == 2
    assert by_title["Mittagspause"].settings["opens_group_choice_round"] == 2
    blitz = by_title["Blitzlicht"]
    assert blitz.settings["prompt"] == "Was nehme ich heute mit?"
    assert blitz.settings["mood_scale"] is True
    assert blitz.settings["poll"] == "akteure"
    outlook = by_title["Ausblick und Verabschiedung"].notes
    assert "politischen" in outlook and "Herbst 2023" in outlook
    breakout = by_title["Arbeit in Themengruppen, Teil 1"]
    assert breakout.min_duration == 45


def test_rvr_guiding_questions_groups_and_poll():
    t = load_template_file(RVR)
    assert t.workshop.guiding_questions == [
        "Welche Projekte, Strategien und Maßnahmen verfolgen Sie auf der lokalen Ebene?",
        "Welche Ziele können auf die Region übertragen werden?",
        "Wo sehen Sie den dringendsten Handlungsbedarf?",
    ]
    assert len(t.groups) == 5
    assert len({g.name for g in t.groups}) == 5
    for group in t.groups:
        assert 3 <= len(group.goals) <= 5, group.name
        assert group.capacity == 20
        assert group.description
    assert sum(g.capacity for g in t.groups) >= 80  # the reference day has about 80 participants
    [poll] = t.polls
    assert poll.key == "akteure"
    assert poll.question == "Welche Akteur*innen sollten stärker eingebunden werden?"
    assert poll.kind == "multiple_choice"
    assert poll.allow_other is True and poll.max_choices == 3
    assert "Immobilieneigentümer*innen" in poll.options and "Jugendliche" in poll.options
    assert len(poll.options) == 9


def test_rvr_groups_are_marked_as_examples():
    text = RVR.read_text(encoding="utf-8")
    comment = text[: text.index("[[groups]]")].rsplit("# ---", 1)[1]
    assert "EXAMPLES" in comment and "NOT the RVR" in comment


def test_netzwerkaustausch_template():
    t = load_template_file(NETZWERK)
    assert t.workshop.title == "Digitaler Netzwerkaustausch: Kooperative Zusammenarbeit"
    assert t.workshop.date == dt.date(2021, 11, 17)
    assert t.workshop.format == "online"
    assert t.groups == []
    assert [i.kind for i in t.items] == [
        "plenary", "keynote", "keynote", "poll", "plenary", "blitzlicht", "outlook",
    ]
    speakers = [i.settings.get("speaker") for i in t.items if i.kind == "keynote"]
    assert speakers == ["Julia Übelhör", "Manuela Claas"]
    [poll_item] = [i for i in t.items if i.kind == "poll"]
    assert poll_item.settings["poll"] == "akteure"
    assert t.polls[0].key == "akteure"
    total = sum(i.duration for i in t.items)
    assert 100 <= total <= 140


def test_list_templates_sorted_by_slug():
    templates = list_templates(AGENDAS)
    slugs = [slug for slug, _ in templates]
    assert slugs == sorted(p.stem for p in TEMPLATE_FILES)
    assert "rvr-gruene-infrastruktur-2022" in slugs
    assert all(isinstance(t, AgendaTemplate) for _, t in templates)


def test_list_templates_broken_file(tmp_path):
    (tmp_path / "b-good.toml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "a-broken.toml").write_text(MINIMAL.replace("duration = 60", "duration = sechzig"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a template", encoding="utf-8")
    with pytest.raises(AgendaFileError) as info:
        list_templates(tmp_path)
    assert "a-broken.toml" in str(info.value)
    assert [slug for slug, _ in list_templates(tmp_path, skip_invalid=True)] == ["b-good"]
    assert list_templates(tmp_path / "missing") == []


# --- defaults and accepted forms ------------------------------------------------------------


def test_defaults_of_a_minimal_template():
    t = load_template(MINIMAL)
    assert t.workshop.timezone == "Europe/Berlin"
    assert t.workshop.format == "online"
    assert t.workshop.date is None and t.workshop.guiding_questions == []
    assert t.items[0].min_duration == 5  # default: half of 10
    assert t.items[1].min_duration == 30  # given
    assert t.items[0].settings == {} and t.items[0].pinned is None
    assert t.groups == [] and t.polls == []


@pytest.mark.parametrize("duration, expected", [(1, 1), (3, 1), (15, 7), (75, 37)])
def test_default_min_duration(duration, expected):
    t = load_template(MINIMAL.replace("duration = 10", f"duration = {duration}"))
    assert t.items[0].min_duration == expected


def test_clock_times_accept_hh_mm_and_toml_local_times():
    t = load_template(MINIMAL.replace('starts_at = "09:00"', 'starts_at = "9:05"'))
    assert t.workshop.starts_at == dt.time(9, 5)
    t = load_template(MINIMAL.replace('starts_at = "09:00"', "starts_at = 09:05:00"))
    assert t.workshop.starts_at == dt.time(9, 5)
    assert "starts_at = \"09:05\"" in dump_template(t)


@pytest.mark.parametrize("value", ['"25:00"', '"09:60"', '"9.30"', '"0930"', "09:05:30", "10"])
def test_bad_clock_times(value):
    text = MINIMAL.replace('starts_at = "09:00"', f"starts_at = {value}")
    err = load_error(text)
    assert err.field == "workshop.starts_at"
    assert err.line == 5


def test_blank_optional_text_counts_as_missing():
    t = load_template(MINIMAL.replace('title = "Test-Werkstatt"', 'title = "Test-Werkstatt"\nvenue = "  "'))
    assert t.workshop.venue is None


def test_model_validate_fills_min_duration():
    item = ItemTemplate.model_validate({"title": "x", "kind": "break", "duration": 9})
    assert item.min_duration == 4


# --- errors name line and field -------------------------------------------------------------


def test_wrong_type_for_duration_names_exact_line_and_field():
    err = load_error(MINIMAL.replace("duration = 60", 'duration = "zehn"'), "test.toml")
    assert isinstance(err, ValueError)
    assert err.line == 15
    assert err.field == "items[1].duration"
    assert "ganze Zahl" in err.message
    assert str(err) == (
        'test.toml: Zeile 15, Feld items[1].duration (Programmpunkt 2): '
        'Eingabe sollte eine ganze Zahl sein (got "zehn")'
    )


def test_wrong_type_for_duration_in_the_rvr_file():
    text = RVR.read_text(encoding="utf-8").replace("duration = 70\n", 'duration = "siebzig"\n')
    err = load_error(text)
    assert err.line == line_of(text, '"siebzig"')
    assert err.field == "items[7].duration"
    assert f"Zeile {err.line}" in str(err) and "items[7].duration" in str(err)


@pytest.mark.parametrize("value", ["10.0", '"10"', "true"])
def test_duration_is_strictly_an_integer(value):
    err = load_error(MINIMAL.replace("duration = 10", f"duration = {value}"))
    assert (err.line, err.field) == (10, "items[0].duration")


@pytest.mark.parametrize("value, field", [("0", "duration"), ("601", "duration")])
def test_duration_range(value, field):
    err = load_error(MINIMAL.replace("duration = 10", f"duration = {value}"))
    assert (err.line, err.field) == (10, f"items[0].{field}")


def test_unknown_kind():
    err = load_error(MINIMAL.replace('kind = "breakout"', 'kind = "breakuot"'))
    assert (err.line, err.field) == (14, "items[1].kind")
    assert "plenary" in err.message and "custom" in err.message
    assert 'meinten Sie "breakout"' in err.message


def test_unknown_key_in_an_item():
    text = MINIMAL.replace("duration = 10\n", "duration = 10\ncolour = \"rot\"\n")
    err = load_error(text)
    assert err.line == line_of(text, "colour") == 11
    assert err.field == "items[0].colour"
    assert "Unbekanntes Feld" in err.message and "title, kind, duration" in err.message


def test_unknown_key_in_workshop_suggests_the_right_one():
    text = MINIMAL.replace('starts_at = "09:00"', 'start_at = "09:00"')
    err = load_error(text)
    fields = {(i.line, i.field) for i in err.issues}
    assert (5, "workshop.start_at") in fields
    assert (3, "workshop.starts_at") in fields  # missing: points at the [workshop] header
    unknown = next(i for i in err.issues if i.field == "workshop.start_at")
    assert 'meinten Sie "starts_at"' in unknown.message


def test_unknown_top_level_table():
    text = MINIMAL + '\n[extras]\nfoo = 1\n'
    err = load_error(text)
    assert (err.line, err.field) == (line_of(text, "[extras]"), "extras")


def test_missing_title_points_at_the_item_header():
    text = MINIMAL.replace('title = "Arbeit in Gruppen"\n', "")
    err = load_error(text)
    assert (err.line, err.field) == (12, "items[1].title")
    assert 'Pflichtfeld "title" fehlt' in str(err)
    assert "Zeile 12" in str(err)


def test_missing_workshop_table_has_no_line():
    text = MINIMAL.replace('[workshop]\ntitle = "Test-Werkstatt"\nstarts_at = "09:00"\n', "")
    err = load_error(text)
    assert err.field == "workshop" and err.line is None
    assert str(err).startswith("Feld workshop: Pflichtfeld")


def test_no_items():
    err = load_error(MINIMAL.split("[[items]]")[0])
    assert err.field == "items"


def test_toml_syntax_error_names_the_line():
    text = MINIMAL.replace("duration = 60", "duration = ")
    err = load_error(text, "kaputt.toml")
    assert err.line == 15 and err.field is None
    assert str(err).startswith("kaputt.toml: Zeile 15: TOML-Syntaxfehler")
    assert "(at line" not in str(err)


def test_toml_duplicate_key_is_a_syntax_error():
    err = load_error(MINIMAL.replace("duration = 10\n", "duration = 10\nduration = 12\n"))
    assert err.line == 11 and "TOML-Syntaxfehler" in err.message


def test_pinned_out_of_order():
    text = MINIMAL.replace('duration = 10\n', 'duration = 10\npinned = "12:00"\n').replace(
        "min_duration = 30\n", 'min_duration = 30\npinned = "11:00"\n'
    )
    err = load_error(text)
    assert err.field == "items[1].pinned"
    assert err.line == line_of(text, '"11:00"')
    assert "aufsteigen" in err.message


def test_pinned_before_the_start():
    text = MINIMAL.replace('duration = 10\n', 'duration = 10\npinned = "08:30"\n')
    err = load_error(text)
    assert (err.field, err.line) == ("items[0].pinned", 11)
    assert "vor dem Beginn" in err.message


def test_pinned_time_that_cannot_be_reached():
    # 10 min (min 5) of Begrüßung from 09:00 cannot end before 09:05
    text = MINIMAL.replace("min_duration = 30\n", 'min_duration = 30\npinned = "09:03"\n')
    err = load_error(text)
    assert err.field == "items[1].pinned"
    assert "frühestens 09:05" in err.message
    # ... but 09:05 is fine: items before a pin may be shortened down to min_duration
    ok = load_template(MINIMAL.replace("min_duration = 30\n", 'min_duration = 30\npinned = "09:05"\n'))
    assert ok.items[1].pinned == dt.time(9, 5)


POLL = """
[[polls]]
key = "akteure"
question = "Wer fehlt?"
kind = "single_choice"
options = ["A", "B"]
"""


def test_poll_reference_to_missing_key():
    text = MINIMAL.replace("duration = 10\n", 'duration = 10\nsettings = { poll = "akteur" }\n') + POLL
    err = load_error(text)
    assert (err.line, err.field) == (11, "items[0].settings.poll")
    assert '"akteur"' in err.message and "akteure" in err.message


def test_poll_reference_without_polls():
    text = MINIMAL.replace("duration = 10\n", 'duration = 10\nsettings = { poll = "akteure" }\n')
    err = load_error(text)
    assert err.field == "items[0].settings.poll"
    assert "keine [[polls]]" in err.message


def test_poll_reference_found():
    text = MINIMAL.replace("duration = 10\n", 'duration = 10\nsettings = { poll = "akteure" }\n') + POLL
    assert load_template(text).items[0].settings == {"poll": "akteure"}


def test_bad_settings_values():
    text = MINIMAL.replace("min_duration = 30\n", 'min_duration = 30\nsettings = { round = "eins" }\n')
    err = load_error(text)
    assert (err.line, err.field) == (17, "items[1].settings.round")
    text = MINIMAL.replace("min_duration = 30\n", "min_duration = 30\nsettings = { x = { y = 1 } }\n")
    assert load_error(text).field == "items[1].settings.x"


def test_min_duration_larger_than_duration():
    err = load_error(MINIMAL.replace("min_duration = 30", "min_duration = 61"))
    assert (err.line, err.field) == (16, "items[1].min_duration")


def test_duplicate_group_names():
    text = MINIMAL + '\n[[groups]]\nname = "Wasser"\n\n[[groups]]\nname = "wasser"\n'
    err = load_error(text)
    assert err.field == "groups[1].name"
    assert err.line == line_of(text, 'name = "wasser"')


def test_group_fields():
    text = MINIMAL + '\n[[groups]]\nname = "Wasser"\nroom_url = "zoom.us/j/1"\n'
    err = load_error(text)
    assert (err.field, err.line) == ("groups[0].room_url", line_of(text, "room_url"))
    text = MINIMAL + '\n[[groups]]\nname = "Wasser"\ngoals = ["gut", ""]\n'
    assert load_error(text).field == "groups[0].goals[1]"
    group = load_template(MINIMAL + '\n[[groups]]\nname = "Wasser"\n').groups[0]
    assert group.capacity == 20 and group.goals == [] and group.host is None


def test_unknown_timezone_and_format():
    err = load_error(MINIMAL.replace('starts_at = "09:00"', 'starts_at = "09:00"\ntimezone = "Europe/Bochum"'))
    assert (err.field, err.line) == ("workshop.timezone", 6)
    err = load_error(MINIMAL.replace('starts_at = "09:00"', 'starts_at = "09:00"\nformat = "analog"'))
    assert (err.field, err.line) == ("workshop.format", 6)


def test_unsupported_format_version():
    err = load_error(MINIMAL.replace("format_version = 1", "format_version = 2"))
    assert (err.field, err.line) == ("format_version", 1)


def test_all_problems_are_listed_sorted_by_line():
    text = MINIMAL.replace('kind = "plenary"', 'kind = "plenum"').replace("duration = 60", "duration = -1")
    err = load_error(text)
    assert [(i.line, i.field) for i in err.issues] == [(9, "items[0].kind"), (15, "items[1].duration")]
    assert "(und 1 weiterer Fehler)" in str(err)
    assert "\n" not in str(err)


@pytest.mark.parametrize(
    "poll, field",
    [
        ('kind = "multiple_choice"\noptions = []', "options"),
        ('kind = "multiple_choice"\noptions = ["A", "B"]\nmax_choices = 3', "max_choices"),
        ('kind = "multiple_choice"\noptions = ["A", "B", "C"]\nmin_choices = 3\nmax_choices = 2', "min_choices"),
        ('kind = "single_choice"\noptions = ["A", "a"]', "options"),
        ('kind = "single_choice"\noptions = ["A"]\nmax_choices = 1', "max_choices"),
        ('kind = "open_text"\noptions = ["A"]', "options"),
        ('kind = "ranking"\noptions = ["A", "B"]\nallow_other = true', "allow_other"),
        ('kind = "scale"\nscale_min = 5\nscale_max = 1', "scale_max"),
        ('kind = "scale"\nscale_labels = ["a", "b", "c"]', "scale_labels"),
        ('kind = "open_text"\nscale_max = 5', "scale_max"),
        ('kind = "survey"', "kind"),
    ],
)
def test_poll_validation(poll, field):
    text = MINIMAL + f'\n[[polls]]\nkey = "p"\nquestion = "Frage?"\n{poll}\n'
    err = load_error(text)
    assert err.field == f"polls[0].{field}"
    assert err.line is not None and err.line > line_of(text, "[[polls]]")


def test_poll_key_format_and_uniqueness():
    assert load_error(MINIMAL + '\n[[polls]]\nkey = "Akteure"\nquestion = "?"\nkind = "open_text"\n').field == "polls[0].key"
    text = MINIMAL + ('\n[[polls]]\nkey = "p"\nquestion = "?"\nkind = "open_text"\n' * 2)
    assert load_error(text).field == "polls[1].key"


def test_scale_poll_defaults():
    t = load_template(MINIMAL + '\n[[polls]]\nkey = "stimmung"\nquestion = "Wie geht es?"\nkind = "scale"\n')
    assert (t.polls[0].scale_min, t.polls[0].scale_max) == (1, 5)
    assert load_template(dump_template(t)) == t


# --- the line locator -----------------------------------------------------------------------


def test_locator_skips_multiline_strings_and_arrays():
    text = '''\
format_version = 1

[workshop]
title = "T"
starts_at = "09:00"
description = """
[[items]]
duration = 5
"""
guiding_questions = [
    "a",
    [1],
]
timezone = "Mars/Olympus"

[[items]]
title = "A"
kind = "plenary"
duration = 0
'''
    err = load_error(text)
    # neither the fake header and key inside the string nor the nested array line "[1]"
    # are taken for real ones
    assert [(i.line, i.field) for i in err.issues] == [
        (10, "workshop.guiding_questions[1]"),
        (14, "workshop.timezone"),
        (19, "items[0].duration"),
    ]


def test_locator_finds_keys_in_sub_tables_of_items():
    text = MINIMAL + '\n[items.settings]\npoll = "fehlt"\n'
    err = load_error(text)
    assert err.field == "items[1].settings.poll"
    assert err.line == line_of(text, 'poll = "fehlt"')


def test_locator_ignores_comments_and_quoted_keys():
    text = MINIMAL.replace("duration = 60", '# duration = 5\n"duration" = "x" # [[items]]')
    err = load_error(text)
    assert (err.line, err.field) == (line_of(text, '"duration" = "x"'), "items[1].duration")


# --- files and dumping ----------------------------------------------------------------------


def test_load_template_file_names_the_file(tmp_path):
    path = tmp_path / "kaputt.toml"
    path.write_text(MINIMAL.replace("duration = 60", "duration = 6O"), encoding="utf-8")
    with pytest.raises(AgendaFileError) as info:
        load_template_file(path)
    assert info.value.source == str(path)
    assert str(info.value).startswith(f"{path}: Zeile 15")


def test_load_template_file_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(MINIMAL.replace("Begrüßung", "Begr\xfc\xdfung").encode("latin-1"))
    with pytest.raises(AgendaFileError) as info:
        load_template_file(path)
    assert info.value.line == 8 and "UTF-8" in info.value.message


def test_dump_round_trips_awkward_values():
    text = MINIMAL.replace(
        'title = "Begrüßung"',
        'title = "Begrüßung \\"Hallo\\" \\\\ C:\\\\pfad"\n'
        'description = """Zeile 1\n\n  Zeile 3 mit \\"\\"\\" und \'\'\'\n"""\n'
        'notes = "Tab\\tEnde"\n'
        'pinned = "09:00"\n'
        'settings = { "mit leerzeichen" = ["a", 1, 2.5, true], prompt = "Was \\"nehme\\" ich mit?" }',
    )
    t = load_template(text)
    assert t.items[0].description.startswith("Zeile 1\n\n  Zeile 3")
    dumped = dump_template(t)
    assert load_template(dumped) == t
    assert 'pinned = "09:00"' in dumped
    assert "settings = {" in dumped  # settings stay an inline table


def test_dump_leaves_out_defaults():
    dumped = dump_template(load_template(MINIMAL))
    assert "min_duration = 5" not in dumped  # default of duration 10
    assert "min_duration = 30" not in dumped  # default of duration 60 as well
    assert "settings" not in dumped and "pinned" not in dumped and "organiser" not in dumped
    assert "[[groups]]" not in dumped and "[[polls]]" not in dumped


def test_dump_keeps_non_default_min_duration():
    t = load_template(MINIMAL.replace("min_duration = 30", "min_duration = 45"))
    dumped = dump_template(t)
    assert "min_duration = 45" in dumped
    assert load_template(dumped).items[1].min_duration == 45


def test_loader_imports_nothing_from_flask_or_the_app():
    source = (ROOT / "facilitator" / "agenda" / "loader.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "facilitator", "sqlalchemy", "flask_sqlalchemy"}


def test_readme_example_is_a_valid_template():
    readme = (AGENDAS / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    t = load_template(example)
    assert start_times(t)[-2:] == ["10:00", "10:10"]
    assert clock(minutes(t.workshop.starts_at) + sum(i.duration for i in t.items)) == "10:30"
    assert t.items[-1].settings["poll"] == t.polls[0].key


def test_agenda_file_error_from_a_plain_message():
    err = AgendaFileError("Vorlage fehlt", "x.toml", line=3, field="workshop")
    assert (err.line, err.field, err.message) == (3, "workshop", "Vorlage fehlt")
    assert str(err) == "x.toml: Zeile 3, Feld workshop: Vorlage fehlt"
