#!/usr/bin/env python3
"""Send one Yardstick workflow run to EventBridge with boto3: a usage event, an outcome, a review.

The events follow the v1 contract (events/schemas/*.schema.json). PutEvents takes at most 10
entries and 256 KB per call and may fail single entries (FailedEntryCount > 0): this script sends
in batches of 10 and re-sends only the failed entries, with full-jitter backoff. Each event keeps
its eventId across re-sends, so Yardstick counts it once.

  python3 send_event.py --workflow-id invoice-triage --source acme.invoice-bot
  python3 send_event.py --workflow-id invoice-triage --source acme.invoice-bot \\
      --endpoint-url http://127.0.0.1:4010          # local mode (npm start), no AWS setup needed

User and reviewer ids are pseudonymised with HMAC-SHA256 when YARDSTICK_ID_SALT is set (the same pseudonym as
the TypeScript recorder gives). Prints a JSON summary: {"sent": 3, "failed": [], "runId": ...}.
"""

import argparse
import datetime
import hashlib
import hmac
import json
import os
import random
import sys
import time
import urllib.parse
import uuid

import boto3
from botocore.exceptions import BotoCoreError, ClientError

MAX_ENTRIES = 10
LOCAL_REGION = "us-east-1"  # any region works against local mode; boto3 only needs one to build a client
MAX_BYTES = 256 * 1024
# Entry errors that a retry cannot fix.
PERMANENT = {"InvalidArgument", "MalformedDetail", "ResourceNotFoundException", "AccessDeniedException",
             "NotAuthorizedForSourceException", "NotAuthorizedForDetailTypeException", "ValidationException"}


def now_iso():
    """Event time as ISO-8601 UTC with milliseconds, e.g. 2026-11-23T10:15:00.123Z."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def pseudonym(raw_id):
    """HMAC-SHA256 of the id under YARDSTICK_ID_SALT; never send raw e-mail addresses or phone numbers."""
    salt = os.environ.get("YARDSTICK_ID_SALT")
    if not salt:
        return raw_id
    return hmac.new(salt.encode(), raw_id.encode(), hashlib.sha256).hexdigest()


def entry_size(entry):
    """An entry's size as EventBridge counts it: UTF-8 bytes of Source, DetailType and Detail."""
    return sum(len(entry[key].encode("utf-8")) for key in ("Source", "DetailType", "Detail"))


def put_events(client, entries, max_attempts=5, base_delay=0.1, max_delay=5.0):
    """Sends entries in PutEvents calls of <= 10 entries and <= 256 KB; retries only failed entries."""
    failed = []
    sent = 0
    batches, batch, size = [], [], 0
    for entry in entries:
        if entry_size(entry) > MAX_BYTES:
            raise ValueError("entry over the 256 KB PutEvents limit")
        if len(batch) == MAX_ENTRIES or size + entry_size(entry) > MAX_BYTES:
            batches.append(batch)
            batch, size = [], 0
        batch.append(entry)
        size += entry_size(entry)
    if batch:
        batches.append(batch)

    for pending in batches:
        for attempt in range(1, max_attempts + 1):
            try:
                response = client.put_events(Entries=pending)
                results = response["Entries"]
            except ClientError as error:  # the whole call failed (throttling, 5xx, validation)
                results = [{"ErrorCode": error.response["Error"]["Code"], "ErrorMessage": str(error)}] * len(pending)
            except BotoCoreError as error:  # no answer at all (connection refused, timeout)
                results = [{"ErrorCode": type(error).__name__, "ErrorMessage": str(error)}] * len(pending)
            retry = []
            for entry, result in zip(pending, results):
                code = result.get("ErrorCode")
                if not code:
                    sent += 1
                elif code in PERMANENT or attempt == max_attempts:
                    failed.append({"eventId": json.loads(entry["Detail"])["eventId"], "errorCode": code})
                else:
                    retry.append(entry)
            if not retry:
                break
            pending = retry
            time.sleep(random.uniform(0, min(max_delay, base_delay * 2 ** (attempt - 1))))  # full jitter
    return sent, failed


def is_local(endpoint_url):
    """True for local mode's endpoint (127.0.0.1, localhost), which accepts any region and credentials."""
    host = urllib.parse.urlparse(endpoint_url or "").hostname or ""
    return host in ("127.0.0.1", "localhost", "::1")


def events_client(endpoint_url, region):
    """An EventBridge client; against the local endpoint a missing region or credentials get stand-ins,
    so the documented local command works in a shell with no AWS configuration (boto3 would raise
    NoRegionError or NoCredentialsError, though the local endpoint checks neither)."""
    session = boto3.session.Session()
    if not is_local(endpoint_url):
        return session.client("events", region_name=region, endpoint_url=endpoint_url)
    credentials = session.get_credentials()
    keys = {} if credentials else {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
    return session.client("events", region_name=region or session.region_name or LOCAL_REGION,
                          endpoint_url=endpoint_url, **keys)


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

    client = events_client(args.endpoint_url, args.region)
    run_id = f"py-{uuid.uuid4()}"
    common = {"schemaVersion": 1, "workflowId": args.workflow_id, "runId": run_id, "userId": pseudonym(args.user_id)}
    events = [
        ("ai.workflow.usage", {"model": args.model, "inputTokens": args.input_tokens,
                               "outputTokens": args.output_tokens, "latencyMs": 850}),
        ("ai.workflow.outcome", {"status": "succeeded", "valueUsd": args.value_usd, "minutesSaved": 6}),
        ("ai.workflow.override", {"decision": "edited", "reasonCode": "tone", "reviewMs": 40000,
                                  "reviewerId": pseudonym(args.reviewer_id)}),
    ]
    entries = [
        {
            "EventBusName": args.bus,
            "Source": args.source,
            "DetailType": detail_type,
            "Detail": json.dumps({**common, "eventId": str(uuid.uuid4()), "occurredAt": now_iso(), **fields},
                                 separators=(",", ":")),
        }
        for detail_type, fields in events
    ]
    sent, failed = put_events(client, entries)
    print(json.dumps({"sent": sent, "failed": failed, "runId": run_id}))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
