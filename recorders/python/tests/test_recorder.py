import json
import socket
import threading
import unittest

from botocore.exceptions import ClientError

from yardstick_recorder import (
    DropReason, EventsDroppedError, EventTooLargeError, EventValidationError, PiiRefusedError,
    PutEventsRequestError, Recorder, RecorderConfigError,
)

from .support import AcceptingClient, FailingClient


def recorder_with(client, **options):
    errors = []
    recorder = Recorder(workflow_id="invoice-bot", source="acme.test", client=client, on_error=errors.append,
                        base_delay=0.001, max_delay=0.002, **options)
    return recorder, errors


def usage(recorder, **extra):
    return recorder.usage(model="gpt-4o-mini", input_tokens=10, output_tokens=2, latency_ms=5, **extra)


class BatchingTest(unittest.TestCase):
    def test_25_events_go_in_calls_of_at_most_10_entries(self):
        client = AcceptingClient()
        recorder, errors = recorder_with(client)
        for _ in range(25):
            usage(recorder)
        result = recorder.close()
        self.assertEqual((recorder.stats()["sent"], result.dropped, result.pending), (25, 0, 0))
        self.assertEqual(sorted(len(call) for call in client.calls), [5, 10, 10])
        self.assertEqual(errors, [])

    def test_calls_stay_under_256_kb_counted_as_eventbridge_counts(self):
        # Prepare: events of about 100 KB (unchecked: the contract itself bounds every string)
        client = AcceptingClient()
        recorder, _ = recorder_with(client, validate=False)
        # Act
        for _ in range(6):
            usage(recorder, provider="p" * 100_000)
        recorder.close()
        # Assess: two per call, the third would pass 262,144 bytes
        self.assertEqual(recorder.stats()["sent"], 6)
        self.assertEqual([len(call) for call in client.calls], [2, 2, 2])
        for call in client.calls:
            size = sum(len((e["Source"] + e["DetailType"] + e["Detail"]).encode()) for e in call)
            self.assertLessEqual(size, 256 * 1024)

    def test_an_event_over_256_kb_is_refused_on_its_own(self):
        recorder, errors = recorder_with(AcceptingClient(), validate=False)
        self.assertIsNone(usage(recorder, provider="p" * 262_144))
        self.assertIsInstance(errors[-1], EventTooLargeError)
        self.assertGreater(errors[-1].size_bytes, 262_144)
        recorder.close()


class RetryTest(unittest.TestCase):
    def test_only_the_failed_entries_are_sent_again(self):
        client = AcceptingClient(fail=lambda call, index, entry: "ThrottlingException" if call == 0 and index == 1 else None)
        recorder, _ = recorder_with(client)
        ids = [usage(recorder) for _ in range(3)]
        recorder.close()
        self.assertEqual(recorder.stats()["sent"], 3)
        self.assertEqual(len(client.calls), 2)
        self.assertEqual([json.loads(e["Detail"])["eventId"] for e in client.calls[1]], [ids[1]])
        self.assertEqual(recorder.stats()["retried"], 1)

    def test_an_entry_no_retry_can_fix_is_dropped_at_once_and_reported(self):
        client = AcceptingClient(fail=lambda call, index, entry: "MalformedDetail")
        recorder, errors = recorder_with(client)
        event_id = usage(recorder)
        result = recorder.close()
        self.assertEqual((result.sent, result.dropped, len(client.calls)), (0, 1, 1))
        dropped = [e for e in errors if isinstance(e, EventsDroppedError)]
        self.assertEqual((dropped[0].reason, dropped[0].error_code, dropped[0].event_ids),
                         (DropReason.REJECTED, "MalformedDetail", (event_id,)))

    def test_a_failing_endpoint_is_tried_max_attempts_times_then_the_events_are_dropped(self):
        error = ClientError({"Error": {"Code": "InternalException"}, "ResponseMetadata": {"HTTPStatusCode": 500}}, "PutEvents")
        client = FailingClient(error)
        recorder, errors = recorder_with(client, max_attempts=3)
        usage(recorder)
        result = recorder.close()
        self.assertEqual((client.calls, result.dropped), (3, 1))
        self.assertEqual(sum(isinstance(e, PutEventsRequestError) for e in errors), 3)
        self.assertEqual(errors[-1].reason, DropReason.RETRIES_EXHAUSTED)


class BoundedBufferTest(unittest.TestCase):
    def test_with_the_endpoint_down_the_oldest_events_make_room_and_are_counted_and_reported_once(self):
        # Prepare: a real boto3 client against a port nothing listens on
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        errors = []
        recorder = Recorder(workflow_id="invoice-bot", source="acme.test", endpoint_url=f"http://127.0.0.1:{port}",
                            max_buffered_events=5, flush_interval=60, max_attempts=2, base_delay=0.001,
                            on_error=errors.append)
        # Act
        ids = [usage(recorder) for _ in range(8)]
        result = recorder.close(timeout=20)
        # Assess
        stats = recorder.stats()
        self.assertEqual(stats["accepted"], 8)
        full = [e for e in errors if isinstance(e, EventsDroppedError) and e.reason == DropReason.BUFFER_FULL]
        self.assertEqual(len(full), 1)
        self.assertEqual(full[0].event_ids, tuple(ids[:3]))
        exhausted = [e for e in errors if isinstance(e, EventsDroppedError) and e.reason == DropReason.RETRIES_EXHAUSTED]
        self.assertEqual(sorted(i for e in exhausted for i in e.event_ids), sorted(ids[3:]))
        self.assertEqual((stats["dropped"], result.sent, result.pending), (8, 0, 0))


class NeverRaisesTest(unittest.TestCase):
    def test_refused_events_and_a_throwing_callback_never_reach_the_workflow(self):
        def explode(error):
            raise RuntimeError("callback bug")

        recorder = Recorder(workflow_id="invoice-bot", source="acme.test", client=AcceptingClient(), on_error=explode)
        self.assertIsNone(usage(recorder, user_id="alice@example.com"))
        self.assertIsNone(recorder.outcome(status="won"))
        recorder.close()
        self.assertIsNone(usage(recorder))  # closed
        self.assertEqual(recorder.stats()["refused"], 3)

    def test_strict_mode_raises_the_refusal_for_development(self):
        recorder = Recorder(workflow_id="invoice-bot", source="acme.test", client=AcceptingClient(), strict=True)
        with self.assertRaises(PiiRefusedError) as caught:
            usage(recorder, user_id="alice@example.com")
        self.assertNotIn("alice", str(caught.exception))
        recorder.close()

    def test_options_no_event_could_be_sent_with_are_refused_by_the_constructor(self):
        for options in [dict(workflow_id="Invoice"), dict(variant="A B"), dict(source=""), dict(pseudonymize_salt="short"),
                        dict(max_buffered_events=0)]:
            with self.subTest(options=options), self.assertRaises(RecorderConfigError):
                Recorder(**{"workflow_id": "invoice-bot", "source": "acme.test", "client": AcceptingClient(), **options})


class RunTest(unittest.TestCase):
    def test_a_run_shares_its_run_id_and_user_and_an_exception_records_a_failed_outcome(self):
        client = AcceptingClient()
        recorder, _ = recorder_with(client, pseudonymize_salt="a-salt-of-sixteen-bytes")
        with self.assertRaises(ValueError), recorder.run(user_id="jane@example.com", variant="prompt-v2") as run:
            usage(run)
            raise ValueError("the model timed out")
        recorder.close()
        details = [json.loads(e["Detail"]) for call in client.calls for e in call]
        self.assertEqual({d["runId"] for d in details}, {run.run_id})
        self.assertEqual({d["variant"] for d in details}, {"prompt-v2"})
        self.assertNotIn("jane", json.dumps(details))
        self.assertEqual(details[-1]["status"], "failed")
        self.assertIsInstance(details[-1]["durationMs"], int)


if __name__ == "__main__":
    unittest.main()
