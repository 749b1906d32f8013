from __future__ import annotations

import dataclasses
import json
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from crmsup.security import statements
from crmsup.security.errors import IntegrityFailure
from crmsup.security.recovery import new_recovery_key
from crmsup.security.statements import ROOT, Statement
from crmsup.security.user_keys import UserKeys


def _statement(**changes: object) -> Statement:
    public = UserKeys.generate().public()
    base = Statement(
        account=str(uuid.uuid4()),
        username="sup-a",
        role="supervisor",
        site=str(uuid.uuid4()),
        exchange_public=public.exchange,
        signing_public=public.signing,
        serial=1,
        issued_at="2026-12-08T09:00:00+00:00",
        signer=str(uuid.uuid4()),
        teams=tuple(sorted(str(uuid.uuid4()) for _ in range(2))),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_statement_survives_its_bytes_and_verifies_under_its_signer_only() -> None:
    holder, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    statement = _statement()
    signature = statements.sign(statement, holder)
    again = statements.decode(statement.encode())
    assert again == statement
    assert statements.verify(again, signature, statements.public_bytes(holder))
    assert not statements.verify(again, signature, statements.public_bytes(other))
    assert not statements.verify(again, b"\x00" * 64, statements.public_bytes(holder))


_CHANGES = {
    "account": str(uuid.uuid4()),
    "username": "it-admin",
    "role": "hr",
    "site": None,
    "teams": (),
    "sites": (str(uuid.uuid4()),),
    "exchange_public": b"\x01" * 32,
    "signing_public": b"\x02" * 32,
    "serial": 2,
    "issued_at": "2027-01-01T00:00:00+00:00",
    "signer": ROOT,
    "previous": b"\x03" * 32,
}


@pytest.mark.parametrize("name", sorted(_CHANGES))
def test_changing_any_field_breaks_the_signature(name: str) -> None:
    holder = Ed25519PrivateKey.generate()
    statement = _statement()
    signature = statements.sign(statement, holder)
    changed = dataclasses.replace(statement, **{name: _CHANGES[name]})  # type: ignore[arg-type]
    assert changed.encode() != statement.encode()
    assert not statements.verify(changed, signature, statements.public_bytes(holder))


def test_bytes_that_are_not_a_canonical_statement_are_refused() -> None:
    statement = _statement()
    body = json.loads(statement.encode())
    with pytest.raises(IntegrityFailure, match="canonical"):
        statements.decode(json.dumps(body, indent=1).encode())
    with pytest.raises(IntegrityFailure, match="malformed"):
        statements.decode(b"not json")
    with pytest.raises(IntegrityFailure, match="malformed"):
        statements.decode(json.dumps({**body, "v": 2}).encode())
    with pytest.raises(IntegrityFailure, match="malformed"):
        statements.decode(json.dumps({**body, "serial": 0}, sort_keys=True).encode())
    del body["role"]
    with pytest.raises(IntegrityFailure, match="malformed"):
        statements.decode(json.dumps(body, sort_keys=True).encode())


def test_teams_must_be_given_sorted_so_that_equal_statements_have_equal_bytes() -> None:
    with pytest.raises(ValueError, match="sorted"):
        _statement(teams=("b", "a"))
    with pytest.raises(ValueError, match="32 bytes"):
        _statement(exchange_public=b"short")


def test_a_successor_counts_up_and_names_the_statement_it_replaces() -> None:
    first = _statement()
    second = first.succeeded_by(teams=())
    assert (second.serial, second.previous, second.teams) == (2, first.digest(), ())
    assert second.account == first.account
    assert second.digest() != first.digest()


def test_the_root_key_comes_from_the_recovery_key_and_from_nothing_else() -> None:
    recovery = new_recovery_key()
    first = statements.public_bytes(statements.root_signing_key(recovery))
    again = statements.public_bytes(statements.root_signing_key(recovery))
    other = statements.public_bytes(statements.root_signing_key(new_recovery_key()))
    assert first == again
    assert first != other


def test_a_fingerprint_is_short_enough_to_read_aloud_and_names_both_keys() -> None:
    statement = _statement()
    code = statements.fingerprint(statement)
    assert len(code) == 24
    assert code.count("-") == 4
    assert code == statements.fingerprint((statement.exchange_public, statement.signing_public))
    assert code != statements.fingerprint((statement.exchange_public, b"\x00" * 32))


_ids = st.uuids().map(str)


@given(
    username=st.text(min_size=1, max_size=40),
    teams=st.lists(_ids, max_size=5, unique=True).map(lambda t: tuple(sorted(t))),
    serial=st.integers(min_value=1, max_value=2**40),
)
def test_any_statement_round_trips(username: str, teams: tuple[str, ...], serial: int) -> None:
    statement = _statement(username=username, teams=teams, serial=serial)
    assert statements.decode(statement.encode()) == statement
