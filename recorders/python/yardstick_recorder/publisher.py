"""The recorder's delivery engine: a bounded buffer, PutEvents batches (<= 10 entries, <= 256 KB), sent
by one background thread when a batch is full, every ``flush_interval`` and on ``flush()``; failed
entries alone are re-sent after a full-jitter backoff. It never raises: problems go to ``report``.
The same behaviour as events/recorder/publisher.ts, with one request in flight at a time."""

import collections
import threading
import time

from .errors import DropReason, EventsDroppedError, PutEventsRequestError

# events/recorder/entry-size.ts PutEventsLimits; test/e2e/python-recorder.test.ts checks they are equal.
MAX_ENTRIES = 10
MAX_BYTES = 256 * 1024

# Drops for room within this many seconds of the first are reported together: one report per burst.
OVERFLOW_REPORT_WINDOW = 1.0

# Per-entry codes that a retry cannot fix (the TypeScript recorder's list).
PERMANENT_ENTRY_ERRORS = frozenset({
    "InvalidArgument", "MalformedDetail", "ResourceNotFoundException", "AccessDeniedException",
    "NotAuthorizedForSourceException", "NotAuthorizedForDetailTypeException", "ValidationException",
})


def entry_size(entry):
    """An entry's size as EventBridge computes it: 14 bytes for ``Time`` when set, plus the UTF-8 bytes
    of ``Source``, ``DetailType``, ``Detail`` and each of ``Resources``.

    >>> entry_size({"Source": "acme.bot", "DetailType": "ai.workflow.usage", "Detail": "{}"})
    27
    """
    utf8 = lambda value: len(value.encode("utf-8")) if value else 0  # noqa: E731
    return (
        (14 if entry.get("Time") is not None else 0)
        + utf8(entry.get("Source")) + utf8(entry.get("DetailType")) + utf8(entry.get("Detail"))
        + sum(utf8(resource) for resource in entry.get("Resources") or ())
    )


def take_batch(items, max_entries=MAX_ENTRIES, max_bytes=MAX_BYTES):
    """Removes and returns the next PutEvents batch from the front of ``items`` (a deque of objects
    with a ``size``): at most ``max_entries`` entries and ``max_bytes`` in total, in order."""
    batch, total = [], 0
    while items and len(batch) < max_entries and total + items[0].size <= max_bytes:
        total += items[0].size
        batch.append(items.popleft())
    return batch


def full_jitter_delay(attempt, base_delay, max_delay, random):
    """A uniformly random delay in [0, min(max_delay, base_delay * 2^(attempt - 1))), in seconds."""
    return random() * min(max_delay, base_delay * 2 ** max(0, attempt - 1))


def _request_failure(error):
    """(retryable, code, message) for a PutEvents call that failed as a whole."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):  # botocore ClientError: EventBridge answered with an error
        code = response.get("Error", {}).get("Code", type(error).__name__)
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        throttled = any(word in code for word in ("Throttl", "TooManyRequests", "LimitExceeded"))
        retryable = throttled or status is None or status >= 500 or status == 429
        return retryable and code not in PERMANENT_ENTRY_ERRORS, code, str(error)
    # No answer at all: connection refused, reset, timeout, DNS.
    return True, type(error).__name__, str(error)


class _Queued:
    __slots__ = ("seq", "event_id", "entry", "size", "attempts", "ready_at", "queued_at")

    def __init__(self, seq, event_id, entry, size, queued_at):
        self.seq, self.event_id, self.entry, self.size = seq, event_id, entry, size
        self.attempts, self.ready_at, self.queued_at = 0, 0.0, queued_at


class Publisher:
    def __init__(self, client, max_buffered_events, flush_interval, max_attempts, base_delay, max_delay,
                 random, report, clock=time.monotonic):
        self._client = client
        self._max_buffered = max_buffered_events
        self._flush_interval = flush_interval
        self._max_attempts, self._base_delay, self._max_delay = max_attempts, base_delay, max_delay
        self._random, self._report, self._clock = random, report, clock
        self._cond = threading.Condition()
        self._ready = collections.deque()  # ready to send, oldest first
        self._delayed = []  # waiting for a retry's backoff, oldest first
        self._in_flight = 0
        self._overflow = []  # event ids dropped for room since the last report: one report per burst
        self._overflow_since = 0.0
        self._flushing = 0
        self._stopping = False
        self._seq = 0
        self.counts = dict(accepted=0, sent=0, refused=0, dropped=0, retried=0, requests=0)
        self._thread = threading.Thread(target=self._work, name="yardstick-recorder", daemon=True)
        self._thread.start()

    @property
    def buffered(self):
        return len(self._ready) + len(self._delayed) + self._in_flight

    def stats(self):
        with self._cond:
            return {**self.counts, "buffered": self.buffered}

    def count_refused(self):
        with self._cond:
            self.counts["refused"] += 1

    def enqueue(self, event_id, entry, size):
        """Buffers one entry, dropping the oldest held when full (the newest when all are in flight)."""
        with self._cond:
            self.counts["accepted"] += 1
            item = _Queued(self._seq, event_id, entry, size, self._clock())
            self._seq += 1
            while self.buffered >= self._max_buffered:
                oldest = self._remove_oldest()
                self.counts["dropped"] += 1
                if not self._overflow:
                    self._overflow_since = self._clock()
                self._overflow.append((oldest or item).event_id)
                if oldest is None:
                    self._cond.notify_all()
                    return
            self._ready.append(item)
            self._cond.notify_all()

    def flush(self, timeout):
        """Sends everything held, waits for retries, and returns when nothing is held or after
        ``timeout`` seconds: ``(sent, dropped, pending)`` during the flush."""
        deadline = self._clock() + timeout
        with self._cond:
            before = (self.counts["sent"], self.counts["dropped"])
            self._flushing += 1
            self._cond.notify_all()
            try:
                while self.buffered > 0 and self._clock() < deadline and self._thread.is_alive():
                    self._cond.wait(deadline - self._clock())
            finally:
                self._flushing -= 1
            return self.counts["sent"] - before[0], self.counts["dropped"] - before[1], self.buffered

    def close(self, timeout):
        """Flushes, gives up on whatever is left (reason ``closed``) and stops the thread, waiting for it
        (and its last reports) within the same ``timeout``."""
        deadline = self._clock() + timeout
        sent, dropped, _ = self.flush(timeout)
        with self._cond:
            left = list(self._delayed) + list(self._ready)
            self._delayed.clear()
            self._ready.clear()
            self._stopping = True
            self.counts["dropped"] += len(left)
            self._cond.notify_all()
        if left:
            self._report(EventsDroppedError(DropReason.CLOSED, [item.event_id for item in left]))
        self._thread.join(max(0.0, deadline - self._clock()))
        with self._cond:
            return sent, dropped + len(left), self.buffered

    def _remove_oldest(self):
        ready = self._ready[0] if self._ready else None
        delayed = self._delayed[0] if self._delayed else None
        if ready and (delayed is None or ready.seq < delayed.seq):
            return self._ready.popleft()
        return self._delayed.pop(0) if delayed else None

    def _promote_due(self, now):
        due = [item for item in self._delayed if item.ready_at <= now]
        if due:
            self._delayed = [item for item in self._delayed if item.ready_at > now]
            self._ready = collections.deque(sorted([*self._ready, *due], key=lambda item: item.seq))

    def _next_batch(self):
        """Under the lock: the batch to send now, or the seconds to wait before looking again."""
        now = self._clock()
        self._promote_due(now)
        if self._ready:
            full = len(self._ready) >= MAX_ENTRIES or sum(item.size for item in self._ready) > MAX_BYTES
            partial_due = self._flushing or self._ready[0].queued_at + self._flush_interval <= now
            if full or partial_due:
                return take_batch(self._ready), None
        waits = [item.ready_at - now for item in self._delayed]
        if self._overflow:
            waits.append(self._overflow_since + OVERFLOW_REPORT_WINDOW - now)
        if self._ready:
            waits.append(self._ready[0].queued_at + self._flush_interval - now)
        return None, max(0.0, min(waits)) if waits else None

    def _work(self):
        while True:
            reports = []
            try:
                with self._cond:
                    batch, wait = self._next_batch()
                    burst_over = self._overflow_since + OVERFLOW_REPORT_WINDOW <= self._clock()
                    if self._overflow and (burst_over or self._flushing or self._stopping):
                        reports.append(EventsDroppedError(DropReason.BUFFER_FULL, self._overflow))
                        self._overflow = []
                    if batch:
                        self._in_flight += len(batch)
                        self.counts["requests"] += 1
                    done = not batch and self._stopping and self.buffered == 0
                    if not batch and not reports and not done:
                        self._cond.wait(wait)
                        continue
                for error in reports:
                    self._report(error)
                if batch:
                    self._send(batch)
                if done:
                    return
            except Exception as error:  # noqa: BLE001 - a bug here must not kill delivery silently
                self._report(error)

    def _send(self, batch):
        for item in batch:
            item.attempts += 1
        reports, retry, failure = [], [], None
        try:
            response = self._client.put_events(Entries=[item.entry for item in batch])
            results = response.get("Entries") or []
        except Exception as error:  # noqa: BLE001 - never into the workflow
            retryable, code, message = _request_failure(error)
            results = None
            if retryable:
                attempt = max(item.attempts for item in batch)
                reports.append(PutEventsRequestError([item.event_id for item in batch], attempt, error))
                retry, failure = list(batch), (code, message)
            else:
                reports.append(self._drop(batch, DropReason.REJECTED, code, message))
        if results is not None:
            rejected = {}
            for index, item in enumerate(batch):
                result = results[index] if index < len(results) else {}
                if result.get("EventId") and not result.get("ErrorCode"):
                    self.counts["sent"] += 1
                    continue
                code = result.get("ErrorCode") or "MissingResult"
                if code in PERMANENT_ENTRY_ERRORS:
                    rejected.setdefault(code, (result.get("ErrorMessage") or "", []))[1].append(item)
                else:
                    retry.append(item)
                    failure = failure or (code, result.get("ErrorMessage") or "no result for this entry")
            for code, (message, items) in rejected.items():
                reports.append(self._drop(items, DropReason.REJECTED, code, message))
        with self._cond:
            self._in_flight -= len(batch)
            if retry:
                reports.extend(self._schedule_retry(retry, failure))
            self._cond.notify_all()
        for error in reports:
            self._report(error)

    def _drop(self, items, reason, code=None, message=None):
        with self._cond:
            self.counts["dropped"] += len(items)
        return EventsDroppedError(reason, [item.event_id for item in items], code, message)

    def _schedule_retry(self, items, failure):
        """Under the lock: re-queues the failed entries after a backoff, or drops the exhausted ones."""
        reports = []
        exhausted = [item for item in items if item.attempts >= self._max_attempts]
        if exhausted:
            self.counts["dropped"] += len(exhausted)
            reports.append(EventsDroppedError(
                DropReason.RETRIES_EXHAUSTED, [item.event_id for item in exhausted], *failure))
        again = [item for item in items if item.attempts < self._max_attempts]
        if again:
            attempt = max(item.attempts for item in again)
            ready_at = self._clock() + full_jitter_delay(attempt, self._base_delay, self._max_delay, self._random)
            for item in again:
                item.ready_at = ready_at
                self.counts["retried"] += 1
            self._delayed = sorted([*self._delayed, *again], key=lambda item: item.seq)
        return reports
