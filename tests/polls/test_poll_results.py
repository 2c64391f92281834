"""Poll domain rules without sockets: transitions, kinds, tallies, breakdown, template polls."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

import facilitator.models  # noqa: F401  (every table known: the relationships resolve)
from facilitator.core.errors import InvalidPayload, InvalidState
from facilitator.polls.models import Poll, PollState
from facilitator.polls.operations import check_answer, check_spec
from facilitator.polls.queries import MERGED_GROUP, Ballot, breakdown, tally

NOW = datetime(2022, 11, 30, 12, 0, tzinfo=timezone.utc)


def poll(kind="multiple_choice", options=("A", "B", "C"), state=PollState.open, **fields) -> Poll:
    spec = check_spec({"kind": kind, "options": list(options) if kind not in ("scale", "open_text") else [], **fields})
    return Poll(question="Frage?", state=state, is_live_results=False, is_revealed=False, is_anonymous=True,
                **{k: v for k, v in spec.items() if k != "question"})


def ballot(choices=(), text=None, org_type=None, name=None, hidden=False, n=[0]) -> Ballot:
    n[0] += 1
    return Ballot(id=n[0], participant_id=n[0], choices=list(choices), text=text, is_hidden=hidden, updated_at=NOW,
                  organisation_type=org_type, display_name=name)


# --- transitions ---------------------------------------------------------------------------------

TRANSITIONS = [
    # (state, method, resulting state or error code)
    (PollState.draft, "open", PollState.open),
    (PollState.open, "open", "poll_open"),
    (PollState.closed, "open", "poll_not_draft"),
    (PollState.open, "close", PollState.closed),
    (PollState.draft, "close", "poll_not_open"),
    (PollState.closed, "close", "poll_not_open"),
    (PollState.closed, "reopen", PollState.open),
    (PollState.open, "reopen", "poll_not_closed"),
    (PollState.draft, "reopen", "poll_not_closed"),
]


@pytest.mark.parametrize("state, method, outcome", TRANSITIONS, ids=[f"{s.value}-{m}" for s, m, _o in TRANSITIONS])
def test_transitions(state, method, outcome):
    p = poll(state=state)
    if isinstance(outcome, PollState):
        getattr(p, method)(NOW)
        assert p.state is outcome
    else:
        with pytest.raises(InvalidState) as err:
            getattr(p, method)(NOW)
        assert err.value.code == outcome and p.state is state


@pytest.mark.parametrize("state, live, revealed, public", [
    (PollState.draft, True, False, False),
    (PollState.open, False, False, False),
    (PollState.open, True, False, True),
    (PollState.closed, False, False, False),
    (PollState.closed, False, True, True),
    (PollState.closed, True, False, True),
])
def test_results_are_public_only_when_live_or_revealed(state, live, revealed, public):
    p = poll(state=state)
    p.is_live_results, p.is_revealed = live, revealed
    assert p.results_public is public


@pytest.mark.parametrize("state, code", [(PollState.draft, "poll_not_open"), (PollState.closed, "poll_closed")])
def test_votes_only_while_open(state, code):
    with pytest.raises(InvalidState) as err:
        poll(state=state).require_votes_open()
    assert err.value.code == code


def test_a_draft_has_nothing_to_reveal():
    with pytest.raises(InvalidState) as err:
        poll(state=PollState.draft).reveal(True)
    assert err.value.code == "poll_not_opened"


# --- answers by kind -----------------------------------------------------------------------------

def test_multiple_choice_counts_the_free_answer_against_the_limits():
    p = poll(options=["A", "B", "C", "D"], allow_other=True, min_choices=2, max_choices=3)
    assert check_answer(p, [0], None, None, "Sonstiges") == ([0], "Sonstiges")
    for choices, other, code in [([0], None, "too_few_choices"), ([0, 1, 2], "X", "too_many_choices")]:
        with pytest.raises(InvalidPayload) as err:
            check_answer(p, choices, None, None, other)
        assert err.value.code == code


def test_spec_defaults_and_limits():
    spec = check_spec({"kind": "scale"})
    assert (spec["scale_min"], spec["scale_max"], spec["options"]) == (1, 5, [])
    with pytest.raises(InvalidPayload):
        check_spec({"kind": "scale", "scale_min": 0, "scale_max": 101})  # 102 steps
    assert check_spec({"kind": "scale", "scale_min": 0, "scale_max": 100})["scale_max"] == 100


# --- tallies -------------------------------------------------------------------------------------

def test_choice_tally_with_shares_of_voters_and_other_answers():
    p = poll(allow_other=True)
    result = tally(p, [ballot([0, 1]), ballot([0]), ballot([], "Kirchen"), ballot([2], "Spam", hidden=True)])
    assert [(o["label"], o["count"], o["share"]) for o in result["options"]] == [("A", 2, 0.5), ("B", 1, 0.25),
                                                                                ("C", 1, 0.25)]
    assert result["voters"] == 4
    assert result["other"]["count"] == 2  # a hidden free answer still counts as a vote for "Sonstige"
    assert result["other"]["answers"] == [{"text": "Kirchen"}]
    assert [t["term"] for t in result["other"]["top_terms"]] == ["Kirchen"]


def test_scale_distribution_and_mean():
    p = poll(kind="scale", scale_min=1, scale_max=5)
    result = tally(p, [ballot([5]), ballot([4]), ballot([4]), ballot([1])])
    assert [(d["value"], d["count"]) for d in result["scale"]["distribution"]] == [(1, 1), (2, 0), (3, 0), (4, 2), (5, 1)]
    assert result["scale"]["mean"] == 3.5
    assert tally(p, [])["scale"]["mean"] is None


def test_ranking_by_borda_points_and_average_rank():
    p = poll(kind="ranking", options=["Grün", "Blau", "Grau"])
    result = tally(p, [ballot([0, 1, 2]), ballot([1, 0, 2]), ballot([0, 2, 1])])
    assert [(r["label"], r["points"], r["average_rank"]) for r in result["ranking"]] == [
        ("Grün", 5, 1.33), ("Blau", 3, 2.0), ("Grau", 1, 2.67)]


def test_open_text_word_cloud_leaves_out_hidden_answers():
    p = poll(kind="open_text")
    result = tally(p, [ballot(text="Jugendliche Kultur"), ballot(text="Kultur"), ballot(text="Kultur Spam", hidden=True)],
                   facilitator=True)
    assert result["text"]["count"] == 2 and result["text"]["hidden_count"] == 1
    assert {t["term"]: t["count"] for t in result["text"]["top_terms"]} == {"Kultur": 2, "Jugendliche": 1}
    assert [a["is_hidden"] for a in result["text"]["answers"]].count(True) == 1  # marked for facilitators


# --- breakdown by organisation type --------------------------------------------------------------

@pytest.mark.parametrize("types, groups", [
    (["kommune"] * 3 + ["kreis"] * 3, [("kommune", 3), ("kreis", 3)]),
    (["kommune"] * 4 + ["kreis"] * 2 + [None], [("kommune", 4), (MERGED_GROUP, 3)]),
    # the merged group would hold one person: the smallest shown group joins it
    (["kommune"] * 4 + ["kreis"] * 3 + ["wissenschaft"], [("kommune", 4), (MERGED_GROUP, 4)]),
    (["kommune"] * 2, [(MERGED_GROUP, 2)]),  # too few at all: one group, the same as the total
    ([None] * 3 + ["kommune"] * 3, [("kommune", 3), (None, 3)]),
    ([], []),
])
def test_breakdown_never_shows_a_group_of_fewer_than_three(types, groups):
    p = poll()
    rows = breakdown(p, [ballot([0], org_type=t) for t in types])
    assert [(r["group"], r["voters"]) for r in rows] == groups
    assert all(r["voters"] >= 3 for r in rows) or len(rows) <= 1


def test_breakdown_carries_no_words():
    p = poll(allow_other=True)
    rows = breakdown(p, [ballot([0], "Meine Firma", org_type="wirtschaft") for _ in range(3)])
    assert rows[0]["other"] == {"count": 3, "share": 1.0}
    assert "Meine Firma" not in str(rows)
