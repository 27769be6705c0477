"""The Python recorder: builds contract events, checks them, and hands them to the publisher."""

import atexit
import collections
import datetime
import json
import logging
import random as _random
import re
import time
import urllib.parse

from . import contract
from .errors import (
    EventTooLargeError, EventValidationError, PiiRefusedError, RecorderConfigError, RecorderError,
)
from .identity import create_pseudonymizer, uuid7, valid_variant
from .pii import looks_like_pii
from .publisher import MAX_BYTES, Publisher, entry_size

LOGGER = logging.getLogger("yardstick_recorder")
LOCAL_REGION = "us-east-1"  # local mode accepts any region; boto3 only needs one to build a client

# events/recorder/options.ts RecorderDefaults and backoff.ts RetryDefaults, in seconds;
# test/e2e/python-recorder.test.ts checks they are equal.
DEFAULTS = dict(
    event_bus_name="yardstick", max_buffered_events=10_000, flush_interval=1.0, flush_timeout=10.0,
    max_attempts=8, base_delay=0.1, max_delay=10.0,
)

FlushResult = collections.namedtuple("FlushResult", "sent dropped pending")
_PII_FIELDS = ("userId", "reviewerId")
_COMMON = ("event_id", "occurred_at", "run_id", "user_id", "traceparent", "workflow_id", "variant")
_WORKFLOW_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*\Z")


def _camel(name):
    """``input_tokens`` -> ``inputTokens``: Python keywords to the contract's field names."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _iso(value, now_ms):
    if value is None:
        value = datetime.datetime.fromtimestamp(now_ms / 1000, datetime.timezone.utc)
    if isinstance(value, datetime.datetime):
        # A naive datetime is local time, as datetime.now() gives it.
        utc = value.astimezone(datetime.timezone.utc)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    return value  # a string is checked by the contract; anything else is refused there


def _is_local(endpoint_url):
    host = urllib.parse.urlparse(endpoint_url or "").hostname or ""
    return host in ("127.0.0.1", "localhost", "::1")


def default_client(endpoint_url=None, region_name=None):
    """An EventBridge client with one attempt per call (the recorder retries) and 2 s / 5 s timeouts.
    Against local mode's endpoint a missing region or credentials get stand-ins, which it does not check."""
    import boto3
    from botocore.config import Config

    config = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2, read_timeout=5)
    session = boto3.session.Session()
    if not _is_local(endpoint_url):
        return session.client("events", region_name=region_name, endpoint_url=endpoint_url, config=config)
    keys = {} if session.get_credentials() else {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
    return session.client("events", region_name=region_name or session.region_name or LOCAL_REGION,
                          endpoint_url=endpoint_url, config=config, **keys)


class Recorder:
    """Publishes one workflow's usage, outcome and override events to EventBridge.

    Recording never raises into the workflow (unless ``strict``), never waits for the network and
    holds at most ``max_buffered_events`` events; call ``flush()`` before a Lambda handler returns.
    Times are in seconds. Raises ``RecorderConfigError`` for options no event could be sent with.

    >>> recorder = Recorder(workflow_id="invoice-triage", source="acme.invoice-bot")  # doctest: +SKIP
    >>> with recorder.run() as run:  # doctest: +SKIP
    ...     run.usage(model="gpt-4o-mini", input_tokens=1200, output_tokens=300, latency_ms=850)
    ...     run.outcome(status="succeeded", value_usd=4)
    >>> recorder.close()  # doctest: +SKIP
    """

    def __init__(self, workflow_id, source, *, variant=None, event_bus_name=DEFAULTS["event_bus_name"],
                 client=None, endpoint_url=None, region_name=None, pseudonymize_salt=None, validate=True,
                 strict=False, on_error=None, max_buffered_events=DEFAULTS["max_buffered_events"],
                 flush_interval=DEFAULTS["flush_interval"], flush_timeout=DEFAULTS["flush_timeout"],
                 max_attempts=DEFAULTS["max_attempts"], base_delay=DEFAULTS["base_delay"],
                 max_delay=DEFAULTS["max_delay"], now=None, random=None):
        if not isinstance(workflow_id, str) or not 1 <= len(workflow_id) <= 64 or not _WORKFLOW_ID.match(workflow_id):
            raise RecorderConfigError("workflow_id must be lower-case letters, digits, . _ - (<= 64), starting with a letter or digit")
        if variant is not None and not valid_variant(variant):
            raise RecorderConfigError("variant must be lower-case letters, digits, . _ - (<= 64), starting with a letter or digit")
        if not isinstance(source, str) or not 1 <= len(source) <= 256:
            raise RecorderConfigError("source must be a string of 1 to 256 characters, e.g. acme.invoice-bot")
        for name, value in (("max_buffered_events", max_buffered_events), ("max_attempts", max_attempts)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise RecorderConfigError(f"{name} must be a positive integer")
        self.workflow_id, self.source, self.variant = workflow_id, source, variant
        self._bus = event_bus_name
        self._pseudonymize = create_pseudonymizer(pseudonymize_salt) if pseudonymize_salt is not None else None
        self._validate, self._strict = validate, strict
        self._on_error = on_error or (lambda error: LOGGER.warning("%s: %s", type(error).__name__, error))
        self._now = now or (lambda: time.time() * 1000)
        self._flush_timeout = flush_timeout
        self._schemas = contract.load_schemas()
        self._closed = False
        self._publisher = Publisher(
            client or default_client(endpoint_url, region_name), max_buffered_events, flush_interval,
            max_attempts, base_delay, max_delay, random or _random.random, self._report,
        )
        atexit.register(self._at_exit)  # a process that exits without close() still gets one flush

    @property
    def pseudonymizes(self):
        """True when ``user_id`` and ``reviewer_id`` are pseudonymised with a salt before sending."""
        return self._pseudonymize is not None

    def _report(self, error):
        try:
            self._on_error(error)
        except Exception:  # noqa: BLE001 - the callback's own failure must not reach the workflow
            pass

    def usage(self, **fields):
        """Records a model call: ``model``, ``input_tokens``, ``output_tokens``, ``latency_ms`` and
        optionally ``provider``, ``cached_input_tokens``, ``cost_usd``. Returns the event id, or None
        when the event was refused (the reason went to ``on_error``)."""
        return self._record("ai.workflow.usage", fields)

    def outcome(self, **fields):
        """Records how a run ended: ``status`` (succeeded, failed, abandoned) and optionally
        ``value_usd``, ``minutes_saved``, ``quality_score``, ``duration_ms``."""
        return self._record("ai.workflow.outcome", fields)

    def override(self, **fields):
        """Records a human review: ``decision`` (accepted, edited, rejected, escalated) and optionally
        ``reviewer_id``, ``reason_code``, ``review_ms``."""
        return self._record("ai.workflow.override", fields)

    def run(self, run_id=None, user_id=None, variant=None, fail_on_error=True, succeed_on_return=False):
        """A context manager for one workflow run: its events share a run id (a new UUIDv7 unless given),
        the outcome's ``duration_ms`` defaults to the run's duration, and an exception that leaves the
        run without an outcome records a ``failed`` one (then propagates)."""
        return RunScope(self, run_id or uuid7(), user_id, variant, fail_on_error, succeed_on_return)

    def flush(self, timeout=None):
        """Sends everything held and waits for it; returns ``FlushResult(sent, dropped, pending)``. Never raises."""
        return FlushResult(*self._publisher.flush(self._flush_timeout if timeout is None else timeout))

    def close(self, timeout=None):
        """Flushes, gives up on what is left, and refuses further events. Never raises."""
        self._closed = True
        atexit.unregister(self._at_exit)
        return FlushResult(*self._publisher.close(self._flush_timeout if timeout is None else timeout))

    def stats(self):
        """What happened so far: accepted, sent, refused, dropped, retried, requests, buffered."""
        return self._publisher.stats()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _at_exit(self):
        if self._publisher.buffered:
            self._publisher.flush(self._flush_timeout)

    def _record(self, detail_type, fields):
        try:
            event_id, entry, size = self._build(detail_type, fields)
            self._publisher.enqueue(event_id, entry, size)
            return event_id
        except Exception as error:  # noqa: BLE001 - never into the workflow, unless strict
            self._publisher.count_refused()
            reported = error if isinstance(error, RecorderError) else RecorderError(f"event not recorded: {error}")
            if self._strict:
                raise reported from (None if reported is error else error)
            self._report(reported)
            return None

    def _build(self, detail_type, fields):
        fields = {name: value for name, value in fields.items() if value is not None}
        event_id = fields.pop("event_id", None) or uuid7()
        if self._closed:
            raise RecorderError(f"the recorder is closed; event {event_id} was not sent", [event_id])
        now_ms = self._now()
        detail = {
            "schemaVersion": 1,
            "eventId": event_id,
            "workflowId": fields.pop("workflow_id", self.workflow_id),
            "occurredAt": _iso(fields.pop("occurred_at", None), now_ms),
        }
        for name in ("run_id", "user_id", "variant", "traceparent"):
            value = fields.pop(name, self.variant if name == "variant" else None)
            if value is not None:
                detail[_camel(name)] = value
        detail.update((_camel(name), value) for name, value in fields.items())
        for field in _PII_FIELDS:
            value = detail.get(field)
            if not isinstance(value, str):
                continue
            if self._pseudonymize:
                detail[field] = self._pseudonymize(value)
            elif looks_like_pii(value):
                raise PiiRefusedError(field, event_id)
        body = detail
        if self._validate:
            known = self._schemas[detail_type]["properties"]
            unknown = [_snake(name) for name in detail if name not in known]
            if unknown:  # a misspelt keyword would otherwise vanish, as zod strips unknown fields
                raise EventValidationError(
                    f"{detail_type} event refused: unknown field(s) {', '.join(unknown)}", event_id, "invalid_field", unknown[0])
            body, rejection = contract.validate_detail(detail_type, detail, self._schemas, now_ms)
            if rejection:
                raise EventValidationError(
                    f"{detail_type} event refused: {rejection.message}", event_id, rejection.code, rejection.field)
        entry = {
            "Source": self.source,
            "DetailType": detail_type,
            "Detail": json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False),
            "EventBusName": self._bus,
        }
        size = entry_size(entry)
        if size > MAX_BYTES:
            raise EventTooLargeError(event_id, size, MAX_BYTES)
        return event_id, entry, size


def _snake(name):
    return re.sub(r"[A-Z]", lambda match: "_" + match.group(0).lower(), name)


class RunScope:
    """The events of one run, all carrying its ``run_id`` (and ``user_id`` and ``variant``, if given)."""

    def __init__(self, recorder, run_id, user_id, variant, fail_on_error, succeed_on_return):
        self.run_id = run_id
        self._recorder, self._user_id, self._variant = recorder, user_id, variant
        self._fail_on_error, self._succeed_on_return = fail_on_error, succeed_on_return
        self._started = time.monotonic()
        self._outcome_recorded = False

    def _common(self, fields):
        fields = {**fields, "run_id": self.run_id}
        if fields.get("user_id") is None and self._user_id is not None:
            fields["user_id"] = self._user_id
        if fields.get("variant") is None and self._variant is not None:
            fields["variant"] = self._variant
        return fields

    def elapsed_ms(self):
        """Milliseconds since the run started."""
        return max(0, round((time.monotonic() - self._started) * 1000))

    def usage(self, **fields):
        return self._recorder.usage(**self._common(fields))

    def override(self, **fields):
        return self._recorder.override(**self._common(fields))

    def outcome(self, **fields):
        """``duration_ms`` defaults to the time since the run started."""
        self._outcome_recorded = True
        return self._recorder.outcome(**self._common({"duration_ms": self.elapsed_ms(), **fields}))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if not self._outcome_recorded:
            if exc_type is not None and self._fail_on_error:
                self.outcome(status="failed")
            elif exc_type is None and self._succeed_on_return:
                self.outcome(status="succeeded")
        return False
