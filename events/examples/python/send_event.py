#!/usr/bin/env python3
"""Send one Yardstick workflow run to EventBridge with the Python recorder: a usage event, an outcome, a review.

The recorder (recorders/python, `pip install ./recorders/python`) checks each event against the v1
contract's JSON Schemas, batches to the PutEvents limits, re-sends only failed entries with backoff
and never raises into the workflow. Run from a checkout, this script finds the package without
installing it.

  python3 send_event.py --workflow-id invoice-triage --source acme.invoice-bot
  python3 send_event.py --workflow-id invoice-triage --source acme.invoice-bot \\
      --endpoint-url http://127.0.0.1:4010          # local mode (npm start), no AWS setup needed

User and reviewer ids are pseudonymised with HMAC-SHA256 when YARDSTICK_ID_SALT is set (the same pseudonym as
the TypeScript recorder gives). Prints a JSON summary: {"sent": 3, "failed": [], "runId": ...}.
"""

import argparse
import json
import os
import pathlib
import sys

try:
    import yardstick_recorder
except ImportError:  # a checkout: the package sits in recorders/python
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "recorders" / "python"))
    import yardstick_recorder


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workflow-id", required=True)
    parser.add_argument("--source", default="acme.python-example")
    parser.add_argument("--bus", default=os.environ.get("YARDSTICK_EVENT_BUS", "yardstick"))
    parser.add_argument("--endpoint-url", help="e.g. http://127.0.0.1:4010 for local mode")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"))
    parser.add_argument("--model", default="gpt-4o-mini")
    parser.add_argument("--input-tokens", type=int, default=1200)
    parser.add_argument("--output-tokens", type=int, default=300)
    parser.add_argument("--value-usd", type=float, default=4.0)
    parser.add_argument("--user-id", default="user-4812")
    parser.add_argument("--reviewer-id", default="reviewer-7")
    args = parser.parse_args()

    failed = []

    def on_error(error):
        # A failed call is retried (PutEventsRequestError); anything else means an event was lost.
        if not isinstance(error, yardstick_recorder.PutEventsRequestError):
            failed.append({"error": type(error).__name__, "message": str(error), "eventIds": list(getattr(error, "event_ids", ()))})

    recorder = yardstick_recorder.Recorder(
        workflow_id=args.workflow_id,
        source=args.source,
        event_bus_name=args.bus,
        endpoint_url=args.endpoint_url,
        region_name=args.region,
        pseudonymize_salt=os.environ.get("YARDSTICK_ID_SALT") or None,
        on_error=on_error,
    )
    with recorder.run(user_id=args.user_id) as run:
        run.usage(model=args.model, input_tokens=args.input_tokens, output_tokens=args.output_tokens, latency_ms=850)
        run.override(decision="edited", reason_code="tone", review_ms=40000, reviewer_id=args.reviewer_id)
        run.outcome(status="succeeded", value_usd=args.value_usd, minutes_saved=6)
    result = recorder.close()
    print(json.dumps({"sent": result.sent, "failed": failed, "runId": run.run_id}))
    return 0 if not failed and result.pending == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
