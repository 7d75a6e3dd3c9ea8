"""Secret link tokens (invitations, signing links, calendar feeds).

A token carries at least 256 bits of randomness; only its SHA-256 is stored, so a leaked
database holds no usable link.
"""

import hashlib
import secrets


def token_new() -> tuple[str, str]:
    """A fresh token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
