"""Bearer tokens: read from a file once, kept only as digests, compared in constant time.

The token file holds one token per line (blank lines and # comments ignored), so a farm
can give each kiosk row its own token and revoke one by deleting its line. A token must be
at least MIN_TOKEN_CHARS long: the farm's only lock is this secret.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

MIN_TOKEN_CHARS = 16
MAX_TOKEN_FILE_BYTES = 64 * 1024


class TokenFileError(ValueError):
    """The token file cannot be used; str() is one line naming it and why."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def read_tokens(path: str | os.PathLike) -> list[str]:
    """The tokens in `path`; TokenFileError if it is missing, odd, empty or too weak."""
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise TokenFileError(f"{path} is not a regular file")
        if info.st_size > MAX_TOKEN_FILE_BYTES:
            raise TokenFileError(f"{path} is larger than {MAX_TOKEN_FILE_BYTES} bytes")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise TokenFileError(f"the token file {path} cannot be read ({error})") from None
    tokens = [line.strip() for line in text.splitlines()
              if line.strip() and not line.strip().startswith("#")]
    if not tokens:
        raise TokenFileError(f"the token file {path} holds no token")
    short = [n for n, token in enumerate(tokens, 1) if len(token) < MIN_TOKEN_CHARS]
    if short:
        raise TokenFileError(f"the token file {path}: token {short[0]} is shorter than "
                             f"{MIN_TOKEN_CHARS} characters")
    return tokens


def read_token(path: str | os.PathLike) -> str:
    """The kiosk's side: the first token in the file."""
    return read_tokens(path)[0]


def token_index(header: str | None, digests: tuple[str, ...]) -> int | None:
    """Which accepted token an `Authorization` header carries (its index), or None.

    Every accepted digest is compared, each with hmac.compare_digest, whatever matched
    first: how long the check takes says nothing about how close a guess came.
    """
    if not header or not digests:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    presented = digest(token.strip())
    found = None
    for index, accepted in enumerate(digests):
        if hmac.compare_digest(presented, accepted) and found is None:
            found = index
    return found
