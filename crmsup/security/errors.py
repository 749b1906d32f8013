"""Errors raised by the security layer.

Messages never carry key material or plaintext: they name what failed, not what it held.
"""


class CrmsupError(Exception):
    """Base of every error crmsup raises on purpose (as opposed to a bug)."""


class IntegrityFailure(CrmsupError):
    """A ciphertext, wrapped key or signature did not verify: data was changed or moved."""


class WrongPassword(CrmsupError):
    """The password did not open the sealed private keys."""
