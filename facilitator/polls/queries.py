"""Poll views: what each audience sees of an item's polls, a participant's own votes, the summary.

Participants and the projector get a poll's results only while ``poll.results_public`` (live
results, or revealed): otherwise the payload has ``results: null`` — the tallies are not sent,
not merely hidden by CSS. Facilitators always get the results, the text answers with their
moderation state, the breakdown by organisation type and, for named polls, who voted what.

Turnout ("87 von 112 haben abgestimmt"): ``voters`` are the participants with a vote on the
poll; ``eligible`` are the participants online now (a connection seen within the presence
timeout) together with every voter who has left since — so the share never exceeds 100 % and
people who joined in the morning and went home do not count against the poll.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..core.clock import iso, now_utc
from ..core.text import STOP_WORDS_DE, stem, words
from ..extensions import db
from .models import Poll, PollState, PollVote
from .operations import CHOICE_KINDS, polls_of

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
#: Groups of the breakdown by organisation type with fewer people are merged (anonymity).
MIN_GROUP = 3
#: Key of the merged group of the breakdown.
MERGED_GROUP = "weitere"
#: Text answers sent to phones and projector (the most recent); the cockpit gets more, the summary all.
PUBLIC_ANSWERS = 50
FACILITATOR_ANSWERS = 300
CLOUD_TERMS = 30


@dataclass(frozen=True)
class Ballot:
    """A vote with what the views need of its author (a plain record: a flush reads up to
    thousands of them several times a second, ORM objects would cost several times more)."""

    id: int
    participant_id: int
    choices: list
    text: str | None
    is_hidden: bool
    updated_at: datetime | None
    organisation_type: str | None = None
    display_name: str | None = None


#: ``session.info`` key of the ballots read in the current transaction (see :func:`ballots_of`).
_BALLOTS = "polls.ballots"


def ballots_of(poll: Poll) -> list[Ballot]:
    """The poll's votes, read once per database transaction.

    A coalesced flush builds the view for every audience in one transaction; reading the votes
    once instead of once per audience makes a flush at 1,000 votes several times cheaper. Any write
    (flush) and the end of the transaction forget what was read, so a view never sees votes
    older than its own transaction.
    """
    cache = db.session.info.setdefault(_BALLOTS, {})
    if poll.id in cache:
        return cache[poll.id]
    from ..join.models import Participant

    rows = db.session.execute(
        db.select(PollVote.id, PollVote.participant_id, PollVote.choices, PollVote.text, PollVote.is_hidden,
                  PollVote.updated_at, Participant.organisation_type, Participant.display_name)
        .join(Participant, Participant.id == PollVote.participant_id)
        .filter(PollVote.poll_id == poll.id)
        .order_by(PollVote.id)
    ).all()
    cache[poll.id] = ballots = [Ballot(*row) for row in rows]
    return ballots


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_transaction_end")
def _forget_ballots(session, *_args) -> None:
    session.info.pop(_BALLOTS, None)


def voter_ids(poll: Poll) -> set[int]:
    """Who voted (for the turnout, when the results themselves are not to be sent)."""
    return set(db.session.execute(db.select(PollVote.participant_id).filter_by(poll_id=poll.id)).scalars())


def online_participant_ids(workshop_id: int) -> set[int]:
    from ..join.models import Connection
    from ..workshops.queries import PRESENCE_TIMEOUT

    since = now_utc() - PRESENCE_TIMEOUT
    return set(db.session.execute(
        db.select(Connection.participant_id).filter(
            Connection.workshop_id == workshop_id, Connection.seen_at >= since, Connection.participant_id.is_not(None),
        )
    ).scalars())


# --- word cloud ----------------------------------------------------------------------------

@lru_cache(maxsize=8192)
def _terms_of(text: str) -> tuple[tuple[str, str], ...]:
    """(merge key, spelling) of each content word of one answer.

    The same answers are tallied again at every coalesced flush (several times a second, for
    every audience); the German stemmer is pure Python and costs far more than the rest of a
    view, so each distinct answer is stemmed once per process. A pure function's memo: nothing
    another process would need.
    """
    terms = []
    for word in words(text):
        lower = word.casefold()
        if lower in STOP_WORDS_DE or len(lower) < 3 or lower.isdigit():
            continue
        terms.append((stem(lower), word))
    return tuple(terms)


def word_cloud(texts, limit: int = 20) -> list[dict]:
    """``core.text.top_terms`` (same rules, same result), with each answer's terms memoised."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for text in texts:
        for key, word in _terms_of(text or ""):
            counts[key] += 1
            spellings.setdefault(key, Counter())[word] += 1
    return [{"term": spellings[key].most_common(1)[0][0], "count": count} for key, count in counts.most_common(limit)]


# --- tallies -------------------------------------------------------------------------------

def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


def _answers(ballots: list[Ballot], facilitator: bool, limit: int | None) -> list[dict]:
    """Text answers, newest first; hidden ones only for facilitators (marked)."""
    texts = [b for b in ballots if b.text and (facilitator or not b.is_hidden)]
    texts.sort(key=lambda b: (b.updated_at or _EPOCH, b.id), reverse=True)
    if limit is not None:
        texts = texts[:limit]
    if facilitator:
        return [{"vote_id": b.id, "text": b.text, "is_hidden": b.is_hidden} for b in texts]
    return [{"text": b.text} for b in texts]


def _text_block(ballots: list[Ballot], facilitator: bool, limit: int | None) -> dict:
    visible = [b.text for b in ballots if b.text and not b.is_hidden]
    block = {
        "answers": _answers(ballots, facilitator, limit),
        "top_terms": word_cloud(visible, limit=CLOUD_TERMS),
    }
    if facilitator:
        block["hidden_count"] = sum(1 for b in ballots if b.text and b.is_hidden)
    return block


def tally(poll: Poll, ballots: list[Ballot], *, texts: bool = True, facilitator: bool = False,
          answer_limit: int | None = PUBLIC_ANSWERS) -> dict:
    """The results of ``ballots`` by the poll's kind.

    choice polls: ``options`` [{label, count, share of voters}] and ``other`` (the free answers);
    scale: ``scale`` {distribution, mean}; ranking: ``ranking`` [{index, label, average_rank,
    points}] best first (Borda: an option gets n-1 points for a first place … 0 for the last);
    open text: ``text`` {count, answers, top_terms}. ``texts=False`` leaves the texts out
    (breakdown groups: a few people's words would identify them).
    """
    voters = len(ballots)
    result: dict = {"voters": voters}
    if poll.kind in CHOICE_KINDS:
        counts = Counter(c for b in ballots for c in b.choices)
        result["options"] = [
            {"index": i, "label": label, "count": counts.get(i, 0), "share": _share(counts.get(i, 0), voters)}
            for i, label in enumerate(poll.options)
        ]
        if poll.allow_other:
            # a hidden free answer still counts as a vote for "Sonstige"; only its words disappear
            others = [b for b in ballots if b.text]
            result["other"] = {"count": len(others), "share": _share(len(others), voters)}
            if texts:
                result["other"].update(_text_block(others, facilitator, answer_limit))
    elif poll.kind == "scale":
        values = [b.choices[0] for b in ballots if b.choices]
        counts = Counter(values)
        result["scale"] = {
            "distribution": [{"value": v, "count": counts.get(v, 0), "share": _share(counts.get(v, 0), voters)}
                             for v in range(poll.scale_min, poll.scale_max + 1)],
            "mean": round(sum(values) / len(values), 2) if values else None,
        }
    elif poll.kind == "ranking":
        n = len(poll.options)
        rank_sum, points = Counter(), Counter()
        complete = [b.choices for b in ballots if len(b.choices) == n]
        for order in complete:
            for position, index in enumerate(order):
                rank_sum[index] += position + 1
                points[index] += n - 1 - position
        rows = [
            {"index": i, "label": label, "points": points.get(i, 0),
             "average_rank": round(rank_sum[i] / len(complete), 2) if complete else None}
            for i, label in enumerate(poll.options)
        ]
        rows.sort(key=lambda r: (-r["points"], r["index"]))
        result["ranking"] = rows
    elif poll.kind == "open_text":
        result["text"] = {"count": sum(1 for b in ballots if b.text and not b.is_hidden)}
        if texts:
            result["text"].update(_text_block(ballots, facilitator, answer_limit))
    return result


def breakdown(poll: Poll, ballots: list[Ballot]) -> list[dict]:
    """The results per organisation type (``None``: not given). Groups of fewer than
    ``MIN_GROUP`` people are merged into ``"weitere"``; while that merged group itself is too
    small, the next smallest group joins it, so no group of one or two people is ever shown."""
    groups: dict[str | None, list[Ballot]] = {}
    for ballot in ballots:
        groups.setdefault(ballot.organisation_type, []).append(ballot)
    shown = {key: members for key, members in groups.items() if len(members) >= MIN_GROUP}
    merged = [b for key, members in groups.items() if key not in shown for b in members]
    while merged and len(merged) < MIN_GROUP and shown:
        smallest = min(shown, key=lambda key: (len(shown[key]), str(key)))
        merged.extend(shown.pop(smallest))
    # largest first; people who gave no type after those who did
    rows = sorted(shown.items(), key=lambda kv: (-len(kv[1]), kv[0] is None, str(kv[0])))
    if merged:
        rows.append((MERGED_GROUP, merged))
    return [{"group": key, **tally(poll, members, texts=False)} for key, members in rows]


def named_votes(poll: Poll, ballots: list[Ballot]) -> list[dict]:
    """Who voted what, for a named poll: only people who gave a name (facilitators only)."""
    return [
        {"name": b.display_name, "choices": list(b.choices), "text": b.text, "is_hidden": b.is_hidden}
        for b in ballots if b.display_name
    ]


# --- views ---------------------------------------------------------------------------------

def poll_view(poll: Poll, audience: str, ballots: list[Ballot] | None, online: set[int], *,
              voters: set[int] | None = None, answer_limit: int | None = None) -> dict:
    """One poll for ``audience``. ``ballots`` are needed only when results are sent; else
    ``voters`` (the ids of who voted) give the turnout."""
    facilitator = audience == "facilitator"
    view = {
        "id": poll.id, "key": poll.key, "question": poll.question, "kind": poll.kind,
        "options": list(poll.options or []), "allow_other": poll.allow_other,
        "min_choices": poll.min_choices, "max_choices": poll.max_choices,
        "scale_min": poll.scale_min, "scale_max": poll.scale_max, "scale_labels": list(poll.scale_labels or []),
        "state": poll.state.value, "is_anonymous": poll.is_anonymous,
        "is_live_results": poll.is_live_results, "is_revealed": poll.is_revealed,
        "results_public": poll.results_public,
        "turnout": None, "results": None,
    }
    if poll.state is not PollState.draft:
        ids = {b.participant_id for b in ballots} if ballots is not None else (voters or set())
        view["turnout"] = {"voters": len(ids), "eligible": len(online | ids)}
    if ballots is not None and (facilitator or poll.results_public):
        limit = answer_limit or (FACILITATOR_ANSWERS if facilitator else PUBLIC_ANSWERS)
        view["results"] = tally(poll, ballots, facilitator=facilitator, answer_limit=limit)
    if facilitator and ballots is not None:
        view["breakdown"] = breakdown(poll, ballots)
        view["named"] = None if poll.is_anonymous else named_votes(poll, ballots)
        view["opened_at"], view["closed_at"] = iso(poll.opened_at), iso(poll.closed_at)
    return view


def current_poll(polls: list[Poll]) -> Poll | None:
    """The poll the item shows now: the open one, else the one that was active last, else the first."""
    open_polls = [p for p in polls if p.state is PollState.open]
    if open_polls:
        return open_polls[0]
    ran = [p for p in polls if p.state is PollState.closed]
    if ran:
        return max(ran, key=lambda p: (p.closed_at or p.opened_at, p.id))
    return polls[0] if polls else None


def polls_view(workshop, item, audience: str) -> dict:
    """``{polls, current_id}`` for the polls ``item`` shows. Phones and projector see no drafts."""
    polls = polls_of(item)
    if audience != "facilitator":
        polls = [p for p in polls if not p.is_draft]
    online = online_participant_ids(workshop.id) if any(not p.is_draft for p in polls) else set()
    current = current_poll(polls)
    views = []
    for poll in polls:
        if poll.is_draft:  # nobody has voted on it: no turnout, no results
            views.append(poll_view(poll, audience, None, online))
        elif audience == "facilitator" or poll.results_public:
            views.append(poll_view(poll, audience, ballots_of(poll), online))
        else:  # results not public: not even read, only who voted
            views.append(poll_view(poll, audience, None, online, voters=voter_ids(poll)))
    return {"polls": views, "current_id": current.id if current else None}


def attached_view(workshop, item, audience: str) -> dict | None:
    """The polls of an item of another kind (``settings.poll``, e.g. during the RVR Blitzlicht),
    or None when it shows none to this audience (phones and projector do not see drafts)."""
    if item is None or item.kind == "poll":
        return None
    view = polls_view(workshop, item, audience)
    return view if view["polls"] else None


def attached_personal(workshop, item, actor) -> dict | None:
    """My votes on the polls of an item of another kind; None when I have none."""
    if item is None or item.kind == "poll":
        return None
    mine = personal(workshop, item, actor)
    return mine if mine["poll_votes"] else None


def attached_summary(item) -> dict | None:
    if item is None or item.kind == "poll":
        return None
    return summary(item) if polls_of(item) else None


def vote_view(vote: PollVote) -> dict:
    return {
        "id": vote.id, "poll_id": vote.poll_id, "choices": list(vote.choices or []), "text": vote.text,
        "updated_at": iso(vote.updated_at),
    }


def personal(workshop, item, actor) -> dict:
    """``{poll_votes: {poll id: my vote}}`` for the item's polls (what only I may see)."""
    polls = [p for p in polls_of(item) if not p.is_draft]
    votes = db.session.execute(
        db.select(PollVote).filter(PollVote.poll_id.in_([p.id for p in polls]),
                                   PollVote.participant_id == actor.participant_id)
    ).scalars().all() if polls else []
    return {"poll_votes": {str(v.poll_id): vote_view(v) for v in votes}}


def poll_summary(poll: Poll) -> dict:
    """Everything of one poll for the cockpit and the documentation: results with every text
    answer (hidden ones marked), turnout, breakdown by organisation type, named votes."""
    ballots = ballots_of(poll)
    view = poll_view(poll, "facilitator", ballots, online=set(), answer_limit=None)
    view["results"] = tally(poll, ballots, facilitator=True, answer_limit=None)
    view["turnout"] = {"voters": len(ballots)}
    return view


def summary(item) -> dict:
    """The summary of an item's polls (``activity.summary``)."""
    return {"polls": [poll_summary(p) for p in polls_of(item)]}


def workshop_polls(workshop) -> list[dict]:
    """Every poll of the workshop for the setup page (facilitators only: drafts included).

    Each is the facilitator's view of the poll without results or turnout (the setup page lists
    and edits polls, the cockpit runs them) plus ``item_id``, the item that shows it (None for
    a template poll no item names yet); in agenda order, then in each item's order, polls
    without an item last.
    """
    from ..agenda.models import AgendaItem

    rows = db.session.execute(
        db.select(Poll).outerjoin(AgendaItem, AgendaItem.id == Poll.item_id)
        .filter(Poll.workshop_id == workshop.id)
        .order_by(AgendaItem.id.is_(None), AgendaItem.position, Poll.position, Poll.id)
    ).scalars().all()
    return [{**poll_view(poll, "facilitator", None, set()), "item_id": poll.item_id, "turnout": None}
            for poll in rows]
