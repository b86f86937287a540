"""The role "Datenpflege": who may write (import a city's data). Reading stays open to everyone.

The app never holds a plain password, only a reference made from it: PBKDF2-HMAC-SHA256 from the standard library
in one line, ``pbkdf2_sha256$<iterations>$<salt, base64>$<hash, base64>`` (the layout Django and passlib use, so an
administrator recognises it). ``python -m sozialdash passwort`` makes such a line. A check derives the hash from the
typed password with the reference's own salt and iterations and compares with ``hmac.compare_digest``, so the time
it takes says nothing about how much of the hash matched. A reference that is not such a line never lets anyone in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

SCHEME = "pbkdf2_sha256"
ITERATIONS = 600_000
"""OWASP's 2023 figure for PBKDF2-HMAC-SHA256: about a third of a second per check on a small server."""
MIN_ITERATIONS = 1_000
MAX_ITERATIONS = 10_000_000
"""A reference outside these bounds is refused: too few makes guessing cheap, too many would let a mistyped
reference stall the server on every attempt."""
SALT_BYTES = 16


def _derive(password: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """The reference line for ``password`` (a random salt unless one is given)."""
    if not password:
        raise ValueError("Das Passwort ist leer.")
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise ValueError(f"Die Zahl der Runden muss zwischen {MIN_ITERATIONS} und {MAX_ITERATIONS} liegen.")
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    return f"{SCHEME}${iterations}${_b64(salt)}${_b64(_derive(password, salt, iterations))}"


def parse(reference: str) -> tuple[int, bytes, bytes] | None:
    """Iterations, salt and hash of a reference line; None when it is not one."""
    parts = str(reference).strip().split("$")
    if len(parts) != 4 or parts[0] != SCHEME or not parts[1].isdigit():
        return None
    iterations = int(parts[1])
    try:
        salt, digest = (base64.b64decode(part, validate=True) for part in parts[2:])
    except (binascii.Error, ValueError):
        return None
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS or not salt or len(digest) != hashlib.sha256().digest_size:
        return None
    return iterations, salt, digest


def verify(password: str, reference: str) -> bool:
    """Whether ``password`` is the one the reference was made from. False for a malformed reference."""
    parsed = parse(reference)
    if parsed is None or not password:
        return False
    iterations, salt, digest = parsed
    return hmac.compare_digest(_derive(password, salt, iterations), digest)
