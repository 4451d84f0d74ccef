"""Deterministic identifiers.

Most objects get a UUIDv4-looking id hashed from the seed. Journal intents and documents get a
UUIDv7-looking id whose timestamp is the creation time and whose random bits (masked by a hash of
the timestamp) encode where the object lives, so an intent generated on demand can be found from
its id alone without an index. Clients must treat every id as opaque.
"""

from __future__ import annotations

import hashlib
import uuid

KIND_INTENT = 1
KIND_DOCUMENT = 2
LAYER_BULK = 0  # derived on demand from (period, seq)
LAYER_STORED = 1  # materialised (invoices, payments, advance(), ...); seq indexes a list


def _h(*parts: object, size: int = 16) -> bytes:
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=size).digest()


def uuid4(*parts: object) -> str:
    """A UUIDv4-looking id derived from `parts`."""
    return str(uuid.UUID(bytes=_h("uuid4", *parts), version=4))


def _mask(seed: int, ts_ms: int) -> int:
    return int.from_bytes(_h("mask", seed, ts_ms, size=10), "big") & ((1 << 74) - 1)


def _check(seed: int, kind: int, tenant: int, layer: int, period_idx: int, seq: int) -> int:
    return int.from_bytes(_h("check", seed, kind, tenant, layer, period_idx, seq, size=4), "big") & 0x3FFFFF


def encode(seed: int, kind: int, tenant: int, layer: int, period_idx: int, seq: int, ts_ms: int) -> str:
    """A UUIDv7-looking id carrying (kind, tenant, layer, period index, seq)."""
    rand_a = (kind << 8) | (tenant << 4) | layer
    rand_b = (period_idx << 46) | (seq << 22) | _check(seed, kind, tenant, layer, period_idx, seq)
    payload = ((rand_a << 62) | rand_b) ^ _mask(seed, ts_ms)
    rand_a, rand_b = payload >> 62, payload & ((1 << 62) - 1)
    value = (ts_ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=value))


def decode(seed: int, text: str) -> tuple[int, int, int, int, int] | None:
    """(kind, tenant, layer, period_idx, seq) of an `encode`d id, or None if it is not one of ours."""
    try:
        value = uuid.UUID(text).int
    except (ValueError, AttributeError, TypeError):
        return None
    if str(uuid.UUID(int=value)) != text or (value >> 76) & 0xF != 7 or (value >> 62) & 0b11 != 0b10:
        return None
    ts_ms = value >> 80
    payload = ((((value >> 64) & 0xFFF) << 62) | (value & ((1 << 62) - 1))) ^ _mask(seed, ts_ms)
    rand_a, rand_b = payload >> 62, payload & ((1 << 62) - 1)
    kind, tenant, layer = rand_a >> 8, (rand_a >> 4) & 0xF, rand_a & 0xF
    period_idx, seq, check = rand_b >> 46, (rand_b >> 22) & 0xFFFFFF, rand_b & 0x3FFFFF
    if check != _check(seed, kind, tenant, layer, period_idx, seq):
        return None
    return kind, tenant, layer, period_idx, seq
