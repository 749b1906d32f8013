"""Pure rules of policies and acknowledgements: business time, the acknowledgement deadline,
which version is current, what a publication may hold. No database.

Business time is wall-clock time in the configured zone, Monday to Friday between opening
and closing: an acknowledgement due "2 business hours" after a publication at 17:30 on a
Friday is due on Monday at 09:30 (local time, whatever the UTC offset did over the weekend).
Public holidays are not known to the app and count as working days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from crmsup.records.dates import is_working_day
from crmsup.records.errors import ValidationFailed
from crmsup.records.validation import name
from crmsup.security.permissions import Role

#: The defaults HR's settings start from (DESIGN.md: regulations acknowledged within 2
#: business hours).
DEFAULT_ACK_MINUTES = 120
DEFAULT_ZONE = "Europe/Paris"
DEFAULT_OPENS = 8 * 60
DEFAULT_CLOSES = 18 * 60
#: Accounts that must acknowledge every new version (others may, and are not chased).
MUST_ACKNOWLEDGE = (Role.HR, Role.SITE_MANAGER, Role.SUPERVISOR)
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_BODY = 200_000
#: Longest acknowledgement window HR may set: one working week of 24-hour days.
MAX_ACK_MINUTES = 7 * 24 * 60
MAX_RETIRE_REASON = 2_000


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """Opening hours, Monday to Friday, in minutes after local midnight."""

    zone: str = DEFAULT_ZONE
    opens: int = DEFAULT_OPENS
    closes: int = DEFAULT_CLOSES

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


def check_hours(hours: BusinessHours, ack_minutes: int) -> BusinessHours:
    """`hours` when they make sense (a known zone, opening before closing within the day)
    and the window is 1 minute to a week; else ValidationFailed."""
    if hours.zone not in available_timezones():
        raise ValidationFailed(f"{hours.zone!r} is not a time zone name (say Europe/Paris)")
    if not 0 <= hours.opens < hours.closes <= 24 * 60:
        raise ValidationFailed("business hours open before they close, within one day")
    if not 1 <= ack_minutes <= MAX_ACK_MINUTES:
        raise ValidationFailed(
            f"the acknowledgement window is 1 to {MAX_ACK_MINUTES} business minutes"
        )
    return hours


def _local(at: datetime, hours: BusinessHours) -> datetime:
    if at.tzinfo is None:
        raise ValueError("business time needs an aware datetime")
    try:
        return at.astimezone(hours.tz).replace(tzinfo=None)
    except ZoneInfoNotFoundError:  # pragma: no cover - check_hours refuses unknown zones
        raise ValidationFailed(f"{hours.zone!r} is not a time zone name") from None


def _at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(minutes=minute)


def _utc(local: datetime, hours: BusinessHours) -> datetime:
    return local.replace(tzinfo=hours.tz).astimezone(UTC)


def add_business_minutes(start: datetime, minutes: int, hours: BusinessHours) -> datetime:
    """The instant (UTC) when `minutes` (≥ 1) of business time have passed since `start`.

    Promised: the result lies within business hours (closing time included) and
    `business_minutes_between(start, result) == minutes`; adding a then b equals adding a + b.
    """
    if minutes < 1:
        raise ValueError("add at least one business minute")
    local = _local(start, hours)
    day, left = local.date(), timedelta(minutes=minutes)
    begin = max(local, _at(day, hours.opens))
    while True:
        end = _at(day, hours.closes)
        if is_working_day(day) and begin < end:
            if left <= end - begin:
                return _utc(begin + left, hours)
            left -= end - begin
        day += timedelta(days=1)
        begin = _at(day, hours.opens)


def business_minutes_between(start: datetime, end: datetime, hours: BusinessHours) -> int:
    """Whole business minutes from `start` to `end` (0 when `end` is not later)."""
    first, last = _local(start, hours), _local(end, hours)
    total = timedelta()
    day = first.date()
    while day <= last.date():
        if is_working_day(day):
            begin = max(first, _at(day, hours.opens))
            finish = min(last, _at(day, hours.closes))
            if finish > begin:
                total += finish - begin
        day += timedelta(days=1)
    return int(total.total_seconds() // 60)


def acknowledge_by(
    published_at: datetime, effective_on: date, ack_minutes: int, hours: BusinessHours
) -> datetime:
    """When a version must be acknowledged: `ack_minutes` of business time after the later of
    its publication and the start of its first day in force (local midnight)."""
    in_force = _at(effective_on, 0).replace(tzinfo=hours.tz)
    return add_business_minutes(max(published_at, in_force), ack_minutes, hours)


V = TypeVar("V")


def current_versions(
    versions: Iterable[tuple[object, int, date, V]], today: date
) -> dict[object, V]:
    """{policy: the value of its current version} from (policy, number, effective_on, value):
    the newest version in force on `today` (latest effective date, then highest number).
    A policy whose every version starts later has none yet."""
    best: dict[object, tuple[date, int, V]] = {}
    for policy, number, effective_on, value in versions:
        if effective_on > today:
            continue
        held = best.get(policy)
        if held is None or (effective_on, number) > (held[0], held[1]):
            best[policy] = (effective_on, number, value)
    return {policy: value for policy, (_, _, value) in best.items()}


def clean_publication(
    title: str, body: str | None, document: bytes | None, document_name: str | None
) -> tuple[str, str | None]:
    """The title and body to store; a version has a body, a document, or both."""
    clean_title = name(title, "policy title")
    text = None if body is None or not body.strip() else body.strip()
    if text is not None and len(text) > MAX_BODY:
        raise ValidationFailed(f"a policy's text is at most {MAX_BODY} characters")
    if document is not None:
        if not document:
            raise ValidationFailed("the attached document is empty")
        if len(document) > MAX_DOCUMENT_BYTES:
            raise ValidationFailed("the attached document is larger than 20 MiB")
        name(document_name or "", "document's file name", max_length=255)
    if text is None and document is None:
        raise ValidationFailed("a policy version needs its text or an attached document")
    return clean_title, text


def clean_retirement(reason: str, on: date, today: date) -> str:
    """The reason to store for a retirement from `on`: required, and `on` not before
    `today` (a retirement never reaches back over acknowledgements already owed)."""
    text = name(reason, "reason for retiring the policy", max_length=MAX_RETIRE_REASON)
    if on < today:
        raise ValidationFailed(
            f"a policy is retired from today ({today:%Y-%m-%d}) or a later day, "
            f"not from {on:%Y-%m-%d}"
        )
    return text
