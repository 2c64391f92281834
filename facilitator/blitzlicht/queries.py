"""Blitzlicht views: the wall for each audience, a participant's own statement, the summary."""
from __future__ import annotations

from collections import Counter

from ..core.activities import is_input_open
from ..core.clock import iso
from ..core.text import top_terms
from ..extensions import db
from .models import Statement
from .operations import mood_scale


def statements_of(item, include_hidden: bool = False) -> list[Statement]:
    query = db.select(Statement).filter_by(item_id=item.id).order_by(Statement.created_at, Statement.id)
    if not include_hidden:
        query = query.filter_by(is_hidden=False)
    return db.session.execute(query).scalars().all()


def mood_distribution(item, statements) -> dict[str, int] | None:
    scale = mood_scale(item)
    if scale is None:
        return None
    counts = Counter(s.mood for s in statements if s.mood is not None)
    return {str(value): counts.get(value, 0) for value in range(scale[0], scale[1] + 1)}


def statement_view(statement: Statement, with_moderation: bool = False) -> dict:
    view = {"id": statement.id, "text": statement.text, "mood": statement.mood, "created_at": iso(statement.created_at)}
    if with_moderation:
        view["is_hidden"] = statement.is_hidden
    return view


def view(workshop, item, audience: str) -> dict:
    """The wall. Hidden statements reach nobody but the facilitators (marked there)."""
    facilitator = audience == "facilitator"
    statements = statements_of(item, include_hidden=facilitator)
    visible = [s for s in statements if not s.is_hidden]
    scale = mood_scale(item)
    spotlight_id = (item.activity_state or {}).get("spotlight_id")
    spotlight = next((s for s in visible if s.id == spotlight_id), None)
    return {
        "prompt": (item.settings or {}).get("prompt") or item.title,
        "mood_scale": list(scale) if scale else None,
        "is_open": is_input_open(item),
        "statements": [statement_view(s, facilitator) for s in statements],
        "count": len(visible),
        "hidden_count": len(statements) - len(visible) if facilitator else None,
        "spotlight": statement_view(spotlight) if spotlight else None,
        "moods": mood_distribution(item, visible),
        "top_terms": top_terms((s.text for s in visible), limit=15),
    }


def personal(workshop, item, actor) -> dict:
    statement = db.session.execute(
        db.select(Statement).filter_by(item_id=item.id, participant_id=actor.participant_id)
    ).scalar_one_or_none()
    return {"statement": statement_view(statement) if statement else None}


def summary(item) -> dict:
    """For the cockpit and the documentation: every statement (hidden ones marked), counts, moods, terms."""
    statements = statements_of(item, include_hidden=True)
    visible = [s for s in statements if not s.is_hidden]
    return {
        "prompt": (item.settings or {}).get("prompt") or item.title,
        "statements": [statement_view(s, with_moderation=True) for s in statements],
        "count": len(visible),
        "hidden_count": len(statements) - len(visible),
        "moods": mood_distribution(item, visible),
        "top_terms": top_terms((s.text for s in visible), limit=20),
    }
