"""Which event store to use, read from the environment once.

- ``DATABASE_URL=postgresql://user[:password]@host[:port]/dbname[?schema=name]`` → PostgreSQL.
- otherwise an SQLite file ``kampung.sqlite`` in ``$KAMPUNG_DATA_DIR`` (default ``var/``),
  created on first use.
- ``KAMPUNG_ENCRYPTION_KEY=<base64 AES key>`` (``kampung keys generate``) → every event's state is
  stored encrypted (AES-GCM, the library's ``AESCipher``), on either store.
"""

import binascii
import os
from base64 import b64decode, b64encode
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import psycopg
from eventsourcing.cipher import AESCipher

from application.errors import StoreUnreadable
from domain.errors import InvalidValue

SQLITE_FILE = "kampung.sqlite"
ENCRYPTION_KEY = "KAMPUNG_ENCRYPTION_KEY"
KEY_BYTES = 32  # AES-256 for new keys; AESCipher also takes 16- and 24-byte keys


def postgres_env(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.path.strip("/"):
        raise InvalidValue("DATABASE_URL must look like postgresql://user@host:5432/dbname", "DATABASE_URL")
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parts.path.strip("/")),
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
    }
    schema = parse_qs(parts.query).get("schema")
    if schema:
        env["POSTGRES_SCHEMA"] = schema[0]
    return env


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(environ.get("KAMPUNG_DATA_DIR") or "var")


def store_env(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The eventsourcing environment for the configured store."""
    url = environ.get("DATABASE_URL", "").strip()
    if url:
        env = postgres_env(url)
    else:
        directory = data_dir(environ)
        directory.mkdir(parents=True, exist_ok=True)
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(directory / SQLITE_FILE)}
    env["CREATE_TABLE"] = "y"
    env.update(cipher_env(environ))
    return env


def cipher_env(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The library's cipher settings when ``$KAMPUNG_ENCRYPTION_KEY`` is set (none otherwise)."""
    key = environ.get(ENCRYPTION_KEY, "").strip()
    if not key:
        return {}
    check_key(key)
    return {"CIPHER_TOPIC": "eventsourcing.cipher:AESCipher", "CIPHER_KEY": key}


def check_key(key: str) -> None:
    try:
        size = len(b64decode(key, validate=True))
    except (binascii.Error, ValueError):
        size = 0
    if size not in AESCipher.KEY_SIZES:
        raise InvalidValue(
            "KAMPUNG_ENCRYPTION_KEY must be a base64 AES key of 16, 24 or 32 bytes (kampung keys generate)",
            ENCRYPTION_KEY,
        )


def new_key() -> str:
    return AESCipher.create_key(KEY_BYTES)


def encrypted(env: Mapping[str, str]) -> bool:
    return bool(env.get("CIPHER_KEY"))


class SecretBox:
    """Secrets kept outside the event log (webhook signing secrets), sealed with the store's key
    when it has one (AES-GCM, as the events); a secret kept before the key was set stays readable."""

    SEALED = "aesgcm:"

    def __init__(self, env: Mapping[str, str]):
        self._cipher = AESCipher(dict(env)) if encrypted(env) else None

    def seal(self, secret: str) -> str:
        if self._cipher is None:
            return secret
        return self.SEALED + b64encode(self._cipher.encrypt(secret.encode())).decode("ascii")

    def open(self, kept: str) -> str:
        if not kept.startswith(self.SEALED):
            return kept
        try:
            if self._cipher is None:
                raise ValueError("no key")
            return self._cipher.decrypt(b64decode(kept.removeprefix(self.SEALED))).decode()
        except ValueError:
            raise StoreUnreadable(
                "a webhook secret cannot be read with this configuration: check KAMPUNG_ENCRYPTION_KEY"
            ) from None


# Any fixed number: the PostgreSQL advisory lock that queues processes setting up the store.
STORE_SETUP_LOCK = 0x4B425354


@contextmanager
def store_setup_lock(env: Mapping[str, str]) -> Iterator[None]:
    """Hold a lock while the library creates (or checks) the store's tables and functions. On
    PostgreSQL, processes starting at the same moment (server workers, projection and webhook
    workers) otherwise clash ("tuple concurrently updated"); SQLite serialises this by itself."""
    if env.get("PERSISTENCE_MODULE") != "eventsourcing.postgres":
        yield
        return
    with psycopg.connect(
        dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env.get("POSTGRES_PORT", "5432"),
        user=env["POSTGRES_USER"], password=env.get("POSTGRES_PASSWORD") or None, autocommit=True,
        connect_timeout=10,
    ) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (STORE_SETUP_LOCK,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (STORE_SETUP_LOCK,))


def describe_store(env: Mapping[str, str]) -> str:
    if env["PERSISTENCE_MODULE"] == "eventsourcing.postgres":
        return f"PostgreSQL {env['POSTGRES_USER']}@{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}"
    return f"SQLite {env['SQLITE_DBNAME']}"


def read_model_url(env: Mapping[str, str]) -> str:
    """The SQLAlchemy URL of the read models: the same database as the events."""
    if env["PERSISTENCE_MODULE"] == "eventsourcing.postgres":
        password = f":{quote(env['POSTGRES_PASSWORD'], safe='')}" if env.get("POSTGRES_PASSWORD") else ""
        url = (
            f"postgresql+psycopg://{quote(env['POSTGRES_USER'], safe='')}{password}@{env['POSTGRES_HOST']}:"
            f"{env['POSTGRES_PORT']}/{quote(env['POSTGRES_DBNAME'], safe='')}"
        )
        if env.get("POSTGRES_SCHEMA"):
            url += f"?options=-csearch_path%3D{quote(env['POSTGRES_SCHEMA'], safe='')}"
        return url
    name = env["SQLITE_DBNAME"]
    return "sqlite://" if name == ":memory:" else f"sqlite:///{name}"
