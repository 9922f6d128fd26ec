"""Keyed hash of worker ids (metrics.md §8): models join workers by `worker_key`, never by id.

The key is configuration (CCUS_PSEUDONYM_KEY, read and checked once at the entry point:
ccus/settings.py), never in the repository. For a local lakehouse without it a random key is
created once beside the lakehouse (`_secrets/`, outside every published zone) so that re-runs
give the same keys; an S3 lakehouse requires it.
"""
from __future__ import annotations

import hashlib
import os
import secrets

import pyarrow as pa
import pyarrow.compute as pc

KEY_HEX_CHARS = 20  # 80 bits: collision odds negligible at 3.3 M workers


def load_key(lakehouse, configured: str | None) -> bytes:
    """The configured key (Settings.pseudonym_key, already checked), else the local lakehouse's own."""
    if configured is not None:
        return configured.encode("utf-8")
    if not lakehouse.is_local:
        raise RuntimeError(f"CCUS_PSEUDONYM_KEY must be set for a lakehouse on {lakehouse.root}")
    path = lakehouse.local_path("_secrets/pseudonym.key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    return path.read_text().strip().encode("utf-8")


# The same workers are on site day after day (≈ 0.6 M distinct people in a national month's
# rosters, 0.5 M each day): a run's roster and attendance files repeat the same ids, so their keyed
# hashes are kept for the process and computed once. Bounded: past CACHE_LIMIT ids (≈ 250 MB) the
# cache starts again, so memory stays flat whatever the run.
CACHE_LIMIT = 1_000_000
_known: dict[bytes, dict[str, str]] = {}


def pseudonymise(key: bytes, values: pa.Array) -> pa.Array:
    """HMAC-SHA256 of each value, hex, truncated; computed once per distinct value."""
    encoded = pc.dictionary_encode(values)
    known = _known.setdefault(key, {})
    if len(known) > CACHE_LIMIT:
        known.clear()
    hasher = None
    hashed = []
    for value in encoded.dictionary.to_pylist():
        digest = None if value is None else known.get(value)
        if digest is None and value is not None:
            hasher = hasher or _Hmac(key)
            digest = known[value] = hasher.hex(value.encode("utf-8"))[:KEY_HEX_CHARS]
        hashed.append(digest)
    return pc.take(pa.array(hashed, pa.string()), encoded.indices)


class _Hmac:
    """HMAC-SHA256 (RFC 2104) with the key's inner and outer hash states computed once and
    copied per value: the same digest as hmac.new(key, value, sha256), at half its cost per
    value (hmac.new sets the key up again for each of the millions of ids of a national run)."""

    def __init__(self, key: bytes):
        block = hashlib.sha256().block_size
        if len(key) > block:
            key = hashlib.sha256(key).digest()
        key = key.ljust(block, b"\0")
        self.inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self.outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def hex(self, value: bytes) -> str:
        inner = self.inner.copy()
        inner.update(value)
        outer = self.outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()
