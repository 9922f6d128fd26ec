"""Keyed hash of worker ids (metrics.md §8): models join workers by `worker_key`, never by id.

The key is configuration (CCUS_PSEUDONYM_KEY), never in the repository. For a local lakehouse
without the variable a random key is created once beside the lakehouse (`_secrets/`, outside
every published zone) so that re-runs give the same keys; an S3 lakehouse requires the variable.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets

import pyarrow as pa
import pyarrow.compute as pc

KEY_ENV = "CCUS_PSEUDONYM_KEY"
KEY_HEX_CHARS = 20  # 80 bits: collision odds negligible at 3.3 M workers


def load_key(lakehouse) -> bytes:
    value = os.environ.get(KEY_ENV)
    if value:
        return value.encode("utf-8")
    if not lakehouse.is_local:
        raise RuntimeError(f"{KEY_ENV} must be set for a lakehouse on {lakehouse.root}")
    path = lakehouse.local_path("_secrets/pseudonym.key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    return path.read_text().strip().encode("utf-8")


def pseudonymise(key: bytes, values: pa.Array) -> pa.Array:
    """HMAC-SHA256 of each value, hex, truncated; computed once per distinct value."""
    encoded = pc.dictionary_encode(values)
    dictionary = encoded.dictionary.to_pylist()
    hashed = pa.array(
        [None if v is None else hmac.new(key, v.encode("utf-8"), hashlib.sha256).hexdigest()[:KEY_HEX_CHARS]
         for v in dictionary], pa.string())
    return pc.take(hashed, encoded.indices)
