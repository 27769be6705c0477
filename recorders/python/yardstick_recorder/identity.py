"""Ids the recorder derives: pseudonyms, event ids and variant assignments, by the same rules as the
TypeScript recorder (events/recorder/pseudonymize.ts, assign-variant.ts), so that both languages give
the same pseudonym and put the same run in the same arm (the tests compare them on fixed inputs)."""

import hashlib
import hmac
import math
import os
import re
import time
import uuid

from .errors import RecorderConfigError, VariantAssignmentError

MIN_SALT_BYTES = 16  # a shorter salt makes pseudonyms guessable from a list of known ids
_VARIANT = re.compile(r"^[a-z0-9][a-z0-9._-]*\Z")
_TWO_TO_53 = 2**53


def create_pseudonymizer(salt):
    """A function from a raw id to its pseudonym: HMAC-SHA256 of the id's UTF-8 bytes under the salt
    (a str is taken as its UTF-8 bytes), as 64 hex characters.

    >>> pseudonymize = create_pseudonymizer("a-secret-salt-of-16-bytes-or-more")
    >>> len(pseudonymize("jane.doe@example.com"))
    64
    """
    key = salt.encode("utf-8") if isinstance(salt, str) else bytes(salt or b"")
    if len(key) < MIN_SALT_BYTES:
        raise RecorderConfigError(
            f"pseudonymize_salt must be at least {MIN_SALT_BYTES} bytes (got {len(key)}); keep it secret"
        )

    def pseudonymize(raw_id):
        return hmac.new(key, raw_id.encode("utf-8"), hashlib.sha256).hexdigest()

    return pseudonymize


def valid_variant(name):
    """True for a contract ``variant``: 1-64 characters, ``^[a-z0-9][a-z0-9._-]*$``."""
    return isinstance(name, str) and 1 <= len(name) <= 64 and _VARIANT.match(name) is not None


def assign_variant(run_id, weights):
    """Assigns a run to a variant at random, deterministically: the top 53 bits of the run id's SHA-256
    as u in [0, 1), then the first variant, in the order given, whose running sum of weights exceeds
    u times the total. The same run id and weights always give the same variant, in every language.

    >>> assign_variant("run-42", {"ai": 0.95, "human": 0.05}) in ("ai", "human")
    True
    """
    if not isinstance(run_id, str) or not run_id:
        raise VariantAssignmentError("assign_variant needs a non-empty run_id to hash")
    entries = list((weights or {}).items())
    if not entries:
        raise VariantAssignmentError("assign_variant needs at least one variant with a weight")
    for variant, weight in entries:
        if not valid_variant(variant):
            raise VariantAssignmentError(f'variant "{variant}": must be a valid variant name (1-64 characters)', variant)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight <= 0:
            raise VariantAssignmentError(f'variant "{variant}": weight must be a positive finite number, got {weight}', variant)
    digest = hashlib.sha256(run_id.encode("utf-8")).digest()
    unit = (int.from_bytes(digest[:8], "big") >> 11) / _TWO_TO_53
    total = 0.0
    for _, weight in entries:
        total += weight  # summed in order, as the TypeScript reduce does, for the same rounding
    point = unit * total
    cumulative = 0.0
    for variant, weight in entries:
        cumulative += weight
        if point < cumulative:
            return variant
    return entries[-1][0]  # rounding can leave the last sliver unclaimed: it is the last arm's


def uuid7():
    """A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits; ids sort by creation time."""
    ms = time.time_ns() // 1_000_000
    value = (ms & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))
