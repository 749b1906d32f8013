"""The tamper corpus: each change to the stored trail is caught, at the right sequence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import delete, func, select, update

from crmsup.records.audit_trail.service import verify
from crmsup.records.models import AccountKeys, AuditEntry, AuditHead, User
from crmsup.records.people.associates import get_associate, list_roster
from crmsup.security.audit_chain import Checkpoint, EntryFields, entry_hash, sign
from tests.factories import Org, add_associate


def _busy(org: Org) -> None:
    """A little real activity on top of the org's set-up entries."""
    add_associate(org)
    add_associate(org, "E101", team="Team B", first="Ada", last="Lovelace")
    get_associate(org.db, org.sup_a, "E100")
    list_roster(org.db, org.hr)
    get_associate(org.db, org.sup_b, "E101")


def _head(org: Org) -> int:
    with org.db.transaction() as session:
        return session.scalar(select(func.max(AuditEntry.sequence))) or 0


def _entry(org: Org, sequence: int) -> AuditEntry:
    with org.db.transaction() as session:
        return session.get_one(AuditEntry, sequence)


def _first_signed_by(org: Org, username: str) -> int:
    with org.db.transaction() as session:
        found = session.scalar(
            select(func.min(AuditEntry.sequence)).where(
                AuditEntry.actor_name == username, AuditEntry.signature.is_not(None)
            )
        )
    assert found is not None
    return found


def test_an_untouched_chain_verifies_with_every_kind_of_entry(org: Org) -> None:
    _busy(org)
    verdict = verify(org.db, [Checkpoint(3, _entry(org, 3).entry_hash)])
    assert verdict.ok, verdict.reason
    assert verdict.checked == _head(org)
    with org.db.transaction() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {
        "user.create",
        "org.init",
        "team.create",
        "login",
        "associate.create",
        "associate.view",
        "roster.view",
    } <= actions


def test_an_edited_field_is_caught_at_its_entry(org: Org) -> None:
    _busy(org)
    target = _head(org) - 2
    with org.db.transaction() as session:
        session.execute(
            update(AuditEntry).where(AuditEntry.sequence == target).values(outcome="denied")
        )
    verdict = verify(org.db)
    assert (verdict.ok, verdict.first_bad) == (False, target)
    assert "changed" in (verdict.reason or "")


def test_a_deleted_entry_is_caught(org: Org) -> None:
    _busy(org)
    target = _head(org) // 2
    with org.db.transaction() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.sequence == target))
    verdict = verify(org.db)
    assert (verdict.ok, verdict.first_bad) == (False, target)
    assert "missing" in (verdict.reason or "")


def _make_room(org: Org, after: int) -> None:
    """Renumber the entries after `after` one up, as an inserter must."""
    with org.db.transaction() as session:
        for seq in range(_head(org), after, -1):
            session.execute(
                update(AuditEntry).where(AuditEntry.sequence == seq).values(sequence=seq + 1)
            )


@pytest.mark.parametrize("signed", [True, False])
def test_an_inserted_entry_is_caught(org: Org, signed: bool) -> None:
    _busy(org)
    after = _head(org) - 3
    before = _entry(org, after)
    _make_room(org, after)
    # Posing as HR viewing a file (forged signature), or as an unsigned failed login.
    action = "associate.view" if signed else "login"
    fields = EntryFields(
        after + 1,
        "2026-01-01T00:00:00.000000Z",
        str(org.hr.user_id),
        "hr",
        "ws",
        action,
        "associate",
        None,
        "ok" if signed else "failed",
        "{}",
    )
    digest = entry_hash(before.entry_hash, fields)
    with org.db.transaction() as session:
        session.add(
            AuditEntry(
                sequence=after + 1,
                at=datetime(2026, 1, 1, tzinfo=UTC),
                actor_id=fields.actor_id,
                actor_name="hr",
                workstation="ws",
                action=action,
                entity_type="associate",
                entity_id=None,
                outcome=fields.outcome,
                details="{}",
                previous_hash=before.entry_hash,
                entry_hash=digest,
                signature=sign(Ed25519PrivateKey.generate(), digest) if signed else None,
            )
        )
    verdict = verify(org.db)
    assert not verdict.ok
    # A forged signature fails on the inserted entry itself; an unsigned one is only given
    # away by the next entry, whose number and predecessor no longer fit.
    assert verdict.first_bad == (after + 1 if signed else after + 2), verdict.reason


def test_two_swapped_entries_are_caught(org: Org) -> None:
    _busy(org)
    first = _head(org) - 4
    a, b = _entry(org, first), _entry(org, first + 1)
    columns = (
        "at",
        "actor_id",
        "actor_name",
        "workstation",
        "action",
        "entity_type",
        "entity_id",
        "outcome",
        "details",
        "previous_hash",
        "entry_hash",
        "signature",
    )
    with org.db.transaction() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.sequence.in_([first, first + 1])))
        session.flush()
        for seq, source in ((first, b), (first + 1, a)):
            session.add(AuditEntry(sequence=seq, **{c: getattr(source, c) for c in columns}))
    verdict = verify(org.db)
    assert (verdict.ok, verdict.first_bad) == (False, first)


def test_a_tail_cut_below_a_checkpoint_is_caught(org: Org) -> None:
    _busy(org)
    head = _head(org)
    checkpoint = Checkpoint(head, _entry(org, head).entry_hash)
    keep = head - 3
    kept_hash = _entry(org, keep).entry_hash
    with org.db.transaction() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.sequence > keep))
        session.execute(update(AuditHead).values(sequence=keep, entry_hash=kept_hash))
    assert verify(org.db).ok, "without the checkpoint a clean cut is invisible"
    verdict = verify(org.db, [checkpoint])
    assert (verdict.ok, verdict.first_bad) == (False, keep + 1)
    assert "checkpoint" in (verdict.reason or "")


def test_a_rewritten_chain_no_longer_matches_its_checkpoint(org: Org) -> None:
    _busy(org)
    target = _head(org) - 1
    checkpoint = Checkpoint(target, _entry(org, target).entry_hash)
    with org.db.transaction() as session:
        session.execute(
            update(AuditEntry).where(AuditEntry.sequence == target).values(entry_hash=bytes(32))
        )
    assert verify(org.db, [checkpoint]).first_bad == target


def test_a_replaced_signing_key_is_caught(org: Org) -> None:
    _busy(org)
    forger = Ed25519PrivateKey.generate()
    public = forger.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    with org.db.transaction() as session:
        session.execute(
            update(AccountKeys)
            .where(AccountKeys.user_id == org.sup_a.user_id)
            .values(signing_public=public)
        )
    creation = _creation_of(org, "sup-a")
    verdict = verify(org.db)
    assert (verdict.ok, verdict.first_bad) == (False, creation)
    # Re-signing sup-a's entries with the forged key fails at the first of them.
    with org.db.transaction() as session:
        for entry in session.scalars(
            select(AuditEntry).where(
                AuditEntry.actor_name == "sup-a", AuditEntry.signature.is_not(None)
            )
        ):
            entry.signature = sign(forger, entry.entry_hash)
    assert verify(org.db).first_bad == _first_signed_by(org, "sup-a")


def _creation_of(org: Org, username: str) -> int:
    """The entry that recorded the account's signing key: its enrolment, for an account IT
    made."""
    with org.db.transaction() as session:
        user_id = session.scalars(select(User.id).where(User.username == username)).one()
        return session.scalars(
            select(AuditEntry.sequence).where(
                AuditEntry.action == "user.enrol", AuditEntry.entity_id == str(user_id)
            )
        ).one()
