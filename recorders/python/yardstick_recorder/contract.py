"""The v1 event contract, checked against the JSON Schemas generated from the TypeScript contract
(events/schemas/*.schema.json, shipped in this package) plus the two rules a JSON Schema cannot say:
the personal-data check on ids and the event-time window. Only the JSON-Schema keywords those files
use are implemented (type, const, enum, required, properties, minLength, maxLength, pattern, minimum,
maximum); a schema using another one is refused when it is loaded, so a stale copy cannot pass silently.
Rejection codes are the ones Yardstick quarantines with (docs/contract.md)."""

import datetime
import json
import math
import re
from importlib import resources

from .pii import looks_like_pii

DETAIL_TYPES = ("ai.workflow.usage", "ai.workflow.outcome", "ai.workflow.override")

# events/event-time.ts EventTimeRules; test/e2e/python-recorder.test.ts checks they are equal.
LATENESS_DAYS = 35
FUTURE_SKEW_MS = 5 * 60_000
_DAY_MS = 86_400_000

_PII_FIELDS = ("userId", "reviewerId")
_KNOWN_KEYWORDS = {
    "$schema", "$id", "title", "description", "type", "properties", "required", "const", "enum",
    "format", "minLength", "maxLength", "pattern", "minimum", "maximum",
}
_INSTANT = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z\Z", re.ASCII)


class Rejection:
    """Why an event was refused: a stable ``code``, a ``message`` and the offending ``field``."""

    def __init__(self, code, message, field=None):
        self.code, self.message, self.field = code, message, field

    def __repr__(self):
        return f"Rejection({self.code!r}, {self.message!r}, {self.field!r})"


def _check_keywords(node, where):
    unknown = set(node) - _KNOWN_KEYWORDS
    if unknown:
        raise ValueError(f"{where} uses JSON-Schema keywords this validator does not implement: {sorted(unknown)}")


def _js_pattern(pattern):
    """A JavaScript regex source as Python's re: `$` ends the text (Python's also matches before a
    final newline), and `\\d` is ASCII as in a JavaScript regex without the u flag."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern, re.ASCII)


def load_schemas():
    """The shipped JSON Schemas by detail type, each checked to use only the implemented keywords."""
    schemas = {}
    for detail_type in DETAIL_TYPES:
        text = resources.files(__package__).joinpath("schemas").joinpath(f"{detail_type}.schema.json").read_text("utf-8")
        schema = json.loads(text)
        _check_keywords(schema, detail_type)
        for name, prop in schema["properties"].items():
            _check_keywords(prop, f"{detail_type}.{name}")
            if "pattern" in prop:
                prop = {**prop, "_regex": _js_pattern(prop["pattern"])}
                schema["properties"][name] = prop
        schemas[detail_type] = schema
    return schemas


def _utf16_length(text):
    return len(text.encode("utf-16-le")) // 2  # JavaScript's String length, which zod's min/max count


def _is_number(value):
    if isinstance(value, bool):
        return False
    # An int is always finite (math.isfinite would overflow converting a huge one to float).
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _field_problem(name, prop, value):
    """(code, message) for the first rule `value` breaks, or None."""
    kind = prop.get("type")
    if kind == "string" and not isinstance(value, str):
        return "invalid_field", f"expected string, received {type(value).__name__}"
    if kind in ("number", "integer") and not _is_number(value):
        return "invalid_field", f"expected a finite number, received {value!r}"
    if kind == "integer" and not (isinstance(value, int) or value.is_integer()):
        return "invalid_field", f"expected an integer, received {value!r}"
    if "const" in prop and value != prop["const"]:
        return "invalid_field", f"must be {prop['const']!r}"
    if "enum" in prop and value not in prop["enum"]:
        return "invalid_field", f"must be one of {', '.join(prop['enum'])}"
    if isinstance(value, str):
        if "minLength" in prop and _utf16_length(value) < prop["minLength"]:
            return "invalid_field", f"must have at least {prop['minLength']} characters"
        if "maxLength" in prop and _utf16_length(value) > prop["maxLength"]:
            return "invalid_field", f"must have at most {prop['maxLength']} characters"
        if "_regex" in prop and not prop["_regex"].search(value):
            return "invalid_field", f"must match {prop['pattern']}"
        if name in _PII_FIELDS and looks_like_pii(value):
            return "pii_suspected", "looks like an e-mail address or phone number; send a pseudonymous id instead"
    if _is_number(value):
        if "minimum" in prop and value < prop["minimum"]:
            return "invalid_field", f"must be at least {prop['minimum']}"
        if "maximum" in prop and value > prop["maximum"]:
            return "out_of_range", prop.get("description") or f"must be at most {prop['maximum']}"
    return None


def canonical_instant(iso):
    """The canonical spelling of an instant (events/instant.ts): milliseconds always, finer digits kept
    only when not zero, so re-sends spelling the instant differently are one event."""
    match = _INSTANT.match(iso)
    if not match:
        return iso
    significant = (match.group(2) or "").rstrip("0")
    return f"{match.group(1)}.{significant.ljust(3, '0')}Z"


def instant_ms(iso):
    """Epoch milliseconds of a contract instant, the fraction truncated to milliseconds as Date.parse does."""
    match = _INSTANT.match(iso)
    whole = datetime.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return int(whole.timestamp()) * 1000 + int((match.group(2) or "0")[:3].ljust(3, "0"))


def validate_detail(detail_type, detail, schemas, now_ms):
    """Checks one event's detail. Returns ``(cleaned_detail, None)`` (unknown fields left out, the
    instant canonical, as the TypeScript contract does) or ``(None, Rejection)``."""
    schema = schemas.get(detail_type)
    if schema is None:
        return None, Rejection("unknown_detail_type", f"detail-type {detail_type!r} is not one of {', '.join(DETAIL_TYPES)}")
    if not isinstance(detail, dict):
        return None, Rejection("invalid_field", "the detail must be an object")
    required = set(schema.get("required", ()))
    cleaned = {}
    for name, prop in schema["properties"].items():
        if name not in detail:
            if name in required:
                code = "unsupported_schema_version" if name == "schemaVersion" else "invalid_field"
                return None, Rejection(code, f"{name}: is required", name)
            continue
        problem = _field_problem(name, prop, detail[name])
        if problem:
            code = "unsupported_schema_version" if name == "schemaVersion" else problem[0]
            return None, Rejection(code, f"{name}: {problem[1]}", name)
        cleaned[name] = detail[name]
    cleaned["occurredAt"] = canonical_instant(cleaned["occurredAt"])
    occurred = instant_ms(cleaned["occurredAt"])
    if occurred > now_ms + FUTURE_SKEW_MS:
        return None, Rejection(
            "occurred_in_future",
            f"occurredAt {cleaned['occurredAt']} is more than {FUTURE_SKEW_MS // 60_000} minutes after the event reached the bus",
            "occurredAt",
        )
    if occurred < now_ms - LATENESS_DAYS * _DAY_MS:
        return None, Rejection(
            "too_late",
            f"occurredAt {cleaned['occurredAt']} is more than the accepted lateness window of {LATENESS_DAYS} days",
            "occurredAt",
        )
    return cleaned, None
