"""Errors the recorder reports. None of them is raised into the workflow by default: they go to the
``on_error`` callback. With ``strict=True`` the ones about a single event (invalid, personal data, too
large) are raised by ``usage()``, ``outcome()`` and ``override()`` instead."""


class RecorderError(Exception):
    """Base class of every error the recorder reports; ``event_ids`` names the events concerned."""

    def __init__(self, message, event_ids=()):
        super().__init__(message)
        self.event_ids = tuple(event_ids)


class RecorderConfigError(RecorderError):
    """The recorder's options are wrong; raised by ``Recorder(...)``, since no event could be sent."""


class EventValidationError(RecorderError):
    """An event breaks the contract; ``field`` names the offending field and ``code`` the rejection."""

    def __init__(self, message, event_id, code, field=None):
        super().__init__(message, [event_id])
        self.code = code
        self.field = field


class PiiRefusedError(RecorderError):
    """``userId`` or ``reviewerId`` looks like an e-mail address or phone number and no salt is
    configured to pseudonymise it. The message names the field, never the value."""

    def __init__(self, field, event_id):
        super().__init__(
            f"{field} looks like an e-mail address or phone number; the event was not sent. "
            "Configure pseudonymize_salt or send a pseudonymous id.",
            [event_id],
        )
        self.field = field


class EventTooLargeError(RecorderError):
    """An entry is larger than the 256 KB PutEvents allows, counted as EventBridge counts it."""

    def __init__(self, event_id, size_bytes, limit_bytes):
        super().__init__(
            f"event {event_id} is {size_bytes} bytes as EventBridge counts it (Source + DetailType + "
            f"Detail), over the PutEvents limit of {limit_bytes} bytes per entry; it was not sent",
            [event_id],
        )
        self.size_bytes = size_bytes
        self.limit_bytes = limit_bytes


class DropReason:
    """Why events were given up on (the same names as the TypeScript recorder's)."""

    BUFFER_FULL = "buffer_full"  # the buffer was full: the oldest events made room
    RETRIES_EXHAUSTED = "retries_exhausted"  # every attempt failed with a retryable error
    REJECTED = "rejected"  # EventBridge refused the entry with an error retrying cannot fix
    CLOSED = "closed"  # the recorder was closed before they could be sent


class EventsDroppedError(RecorderError):
    """Events accepted by the recorder that will never be delivered; ``count`` of them, for ``reason``."""

    def __init__(self, reason, event_ids, error_code=None, error_message=None):
        why = f" ({error_code}: {error_message or ''})" if error_code else ""
        super().__init__(f"{len(event_ids)} event(s) dropped: {reason}{why}", event_ids)
        self.reason = reason
        self.count = len(event_ids)
        self.error_code = error_code


class PutEventsRequestError(RecorderError):
    """A PutEvents call failed as a whole (network, throttling, 5xx); its entries will be retried."""

    def __init__(self, event_ids, attempt, cause):
        super().__init__(
            f"PutEvents failed for {len(event_ids)} event(s) on attempt {attempt}: {cause}", event_ids
        )
        self.attempt = attempt
        self.__cause__ = cause


class VariantAssignmentError(RecorderError):
    """``assign_variant`` cannot assign the run: raised, not reported, since it is a mistake in the code."""

    def __init__(self, message, variant=None):
        super().__init__(message)
        self.variant = variant
