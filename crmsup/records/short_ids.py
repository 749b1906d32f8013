"""Records named as a person types them: a whole id, or the first 8 or more hex digits of it
(what lists show), unambiguous among the records it is looked for in."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from crmsup.records.errors import NotFound, ValidationFailed

_SHORT_ID = re.compile(r"[0-9a-f]{8,32}")


def prefix_of(ref: str) -> str | None:
    """The hex digits `ref` gives (dashes and case ignored), or None when it is no id."""
    prefix = ref.strip().lower().replace("-", "")
    return prefix if _SHORT_ID.fullmatch(prefix) else None


def find(
    ids: Iterable[uuid.UUID], ref: str | uuid.UUID, what: str, where: str = ""
) -> uuid.UUID | None:
    """The one id of `ids` that `ref` names, or None when none does. ValidationFailed (exit
    3) when `ref` is no id or names several: `what` names the kind of record in messages,
    `where` (e.g. "of associate E100") where it was looked for."""
    if isinstance(ref, uuid.UUID):
        return ref if ref in set(ids) else None
    prefix = prefix_of(ref)
    if prefix is None:
        article = "an" if what[:1] in "aeiou" else "a"
        raise ValidationFailed(
            f"{article} {what} is named by its id, or by the first 8 or more hex digits of it"
        )
    found = [i for i in ids if i.hex.startswith(prefix)]
    if len(found) > 1:
        place = f" {where}" if where else ""
        raise ValidationFailed(f"{ref} names several {what}s{place}: give more of the id")
    return found[0] if found else None


def match(ids: Iterable[uuid.UUID], ref: str | uuid.UUID, what: str, where: str) -> uuid.UUID:
    """As `find`, with NotFound when no id of `ids` is named."""
    found = find(ids, ref, what, where)
    if found is None:
        raise NotFound(f"there is no {what} {ref} {where}")
    return found
