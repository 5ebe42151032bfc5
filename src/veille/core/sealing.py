"""Secrets veille must send back to a platform (tokens, app passwords), sealed at rest.

A token to post replies cannot be stored as a digest like an API token: veille needs it
back. It is encrypted (Fernet: AES-128-CBC with an HMAC-SHA256 tag) with a key derived
from the installation's secret key (VEILLE_SECRET_KEY, or the generated one in the data
directory), so a copy of the database alone does not give the tokens away. Keys in
Django's SECRET_KEY_FALLBACKS still open what they sealed, for a key rotation.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"veille: sealed platform secrets"


class UnreadableSecret(ValueError):
    """A sealed secret does not open with this installation's keys."""


def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    fallbacks = getattr(settings, "SECRET_KEY_FALLBACKS", [])
    return MultiFernet([_fernet(key) for key in [settings.SECRET_KEY, *fallbacks]])


def seal(plain: str) -> str:
    """The secret, encrypted and authenticated, as ASCII text to store."""
    return _keys().encrypt(plain.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    """The secret back; UnreadableSecret when the keys changed or the text was altered."""
    if not sealed:
        return ""
    try:
        return _keys().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        raise UnreadableSecret(
            "a stored secret cannot be opened with this installation's secret key "
            "(was VEILLE_SECRET_KEY changed?)"
        ) from None
