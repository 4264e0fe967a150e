"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

A secret is ``whsec_`` followed by the base64 of random bytes. A delivery carries three headers:
``webhook-id`` (the event's CloudEvent id, the same on every retry, so a receiver can drop
duplicates), ``webhook-timestamp`` (unix seconds of this attempt) and ``webhook-signature``
(``v1,`` + base64 of HMAC-SHA256 over ``{id}.{timestamp}.{body}`` keyed with the secret's
decoded bytes). Any Standard Webhooks library verifies them, e.g. Python's ``standardwebhooks``:
``Webhook(secret).verify(body, headers)``.
"""

import base64
import binascii
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the spec asks for 24 to 64


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_…`` secret: its base64 part, decoded."""
    encoded = secret[len(SECRET_PREFIX):] if secret.startswith(SECRET_PREFIX) else secret
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error:
        raise ValueError("not a whsec_ secret") from None
    if not key:
        raise ValueError("not a whsec_ secret")
    return key


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
