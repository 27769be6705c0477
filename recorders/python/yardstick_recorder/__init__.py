"""Yardstick's Python recorder: publishes a workflow's usage, outcome and override events to
EventBridge with the same contract checks, batching, retries, bounded buffer, pseudonyms and variant
assignment as the TypeScript recorder (docs/instrument.md). Standard library and boto3 only.

>>> from yardstick_recorder import Recorder  # doctest: +SKIP
>>> recorder = Recorder(workflow_id="invoice-triage", source="acme.invoice-bot")  # doctest: +SKIP
>>> with recorder.run() as run:  # doctest: +SKIP
...     run.usage(model="gpt-4o-mini", input_tokens=1200, output_tokens=300, latency_ms=850)
...     run.outcome(status="succeeded", value_usd=4)
>>> recorder.close()  # doctest: +SKIP
"""

from .contract import DETAIL_TYPES, Rejection, load_schemas, validate_detail
from .errors import (
    DropReason, EventsDroppedError, EventTooLargeError, EventValidationError, PiiRefusedError,
    PutEventsRequestError, RecorderConfigError, RecorderError, VariantAssignmentError,
)
from .identity import MIN_SALT_BYTES, assign_variant, create_pseudonymizer
from .pii import looks_like_pii
from .publisher import MAX_BYTES, MAX_ENTRIES, entry_size
from .recorder import DEFAULTS, FlushResult, Recorder, RunScope, default_client

__all__ = [
    "DEFAULTS", "DETAIL_TYPES", "MAX_BYTES", "MAX_ENTRIES", "MIN_SALT_BYTES", "DropReason",
    "EventTooLargeError", "EventValidationError", "EventsDroppedError", "FlushResult", "PiiRefusedError",
    "PutEventsRequestError", "RecorderConfigError", "RecorderError", "Recorder", "Rejection", "RunScope",
    "VariantAssignmentError", "assign_variant", "create_pseudonymizer", "default_client", "entry_size",
    "load_schemas", "looks_like_pii", "validate_detail",
]
__version__ = "0.1.0"
