"""Test doubles of an EventBridge client (the recorder's only dependency outside the standard library
and boto3) and a helper to wait for the recorder's background thread without sleeping."""

import pathlib
import threading

REPO = pathlib.Path(__file__).resolve().parents[3]


class AcceptingClient:
    """Accepts every entry; remembers each PutEvents call's entries."""

    def __init__(self, fail=None):
        self.calls = []
        self._fail = fail or (lambda call, index, entry: None)
        self._lock = threading.Lock()

    def put_events(self, Entries):  # noqa: N803 - boto3's keyword
        with self._lock:
            call = len(self.calls)
            self.calls.append(list(Entries))
        results = []
        for index, entry in enumerate(Entries):
            code = self._fail(call, index, entry)
            results.append({"ErrorCode": code, "ErrorMessage": "injected"} if code else {"EventId": f"{call}-{index}"})
        return {"FailedEntryCount": sum(1 for r in results if "ErrorCode" in r), "Entries": results}


class FailingClient:
    """Every call fails as a whole with `error`."""

    def __init__(self, error):
        self.error, self.calls = error, 0

    def put_events(self, Entries):  # noqa: N803
        self.calls += 1
        raise self.error
