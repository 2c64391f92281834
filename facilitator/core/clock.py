"""The one source of "now". Tests freeze it; no code calls datetime.now() directly."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

_frozen: list[datetime] = []  # test-only override stack; production never pushes to it


def now_utc() -> datetime:
    """Current time, UTC-aware, truncated to milliseconds (what databases keep)."""
    if _frozen:
        return _frozen[-1]
    now = datetime.now(timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class FrozenClock:
    """Context manager for tests: ``with FrozenClock(t) as clock: clock.advance(minutes=5)``."""

    def __init__(self, at: datetime):
        self.at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)

    def __enter__(self) -> "FrozenClock":
        _frozen.append(self.at)
        return self

    def __exit__(self, *exc) -> None:
        _frozen.pop()

    def advance(self, **delta) -> datetime:
        self.at = self.at + timedelta(**delta)
        _frozen[-1] = self.at
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at
        _frozen[-1] = at


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything we store is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
