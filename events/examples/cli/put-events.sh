#!/usr/bin/env bash
# Sends one Yardstick workflow run (a usage event and its outcome) with the AWS CLI v2.
#
#   events/examples/cli/put-events.sh invoice-triage acme.invoice-bot
#   ENDPOINT_URL=http://127.0.0.1:4010 events/examples/cli/put-events.sh invoice-triage   # local mode
#
# Environment:
#   YARDSTICK_EVENT_BUS  the bus name or ARN (default: yardstick)
#   ENDPOINT_URL         an endpoint override, e.g. local mode's http://127.0.0.1:4010
#   RUN_ID               re-send a run: the same run keeps its eventIds and occurredAt and counts once
#   OCCURRED_AT          the run's instant (default: now, or the instant a default RUN_ID carries)
#   AWS_CLI              the aws executable (default: aws)
#
# Detail is a JSON document passed as a string, so its quotes are escaped inside the entries file.
# Prints the PutEvents response, and the run id on stderr; exits 1 when FailedEntryCount is not 0
# (re-run with the same RUN_ID to re-send: entries that were accepted the first time are recognised
# as duplicates). A duplicate must be the same event: a new occurredAt under the same eventId is a
# conflict, so the default run id carries its instant and a re-send reads it back from there.
set -euo pipefail

workflow_id="${1:?usage: put-events.sh WORKFLOW_ID [SOURCE]}"
source_name="${2:-acme.cli-example}"
bus="${YARDSTICK_EVENT_BUS:-yardstick}"
if [ -n "${RUN_ID:-}" ]; then
  run_id="$RUN_ID"
  # cli-20261207T094623Z-...: the instant this script wrote into the run id when it made it.
  if [ -z "${OCCURRED_AT:-}" ] && [[ "$run_id" =~ ^cli-([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z- ]]; then
    m=("${BASH_REMATCH[@]}")
    OCCURRED_AT="${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z"
  fi
  occurred_at="${OCCURRED_AT:?RUN_ID $run_id carries no instant: set OCCURRED_AT to that of the first send}"
else
  occurred_at="${OCCURRED_AT:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"
  run_id="cli-${occurred_at//[-:]/}-$$-$RANDOM"
fi
echo "run $run_id occurredAt $occurred_at (re-send: RUN_ID=$run_id $0 $*)" >&2

entries="$(mktemp)"
trap 'rm -f "$entries"' EXIT
cat >"$entries" <<JSON
[
  {
    "EventBusName": "$bus",
    "Source": "$source_name",
    "DetailType": "ai.workflow.usage",
    "Detail": "{\"schemaVersion\":1,\"eventId\":\"$run_id.usage\",\"workflowId\":\"$workflow_id\",\"runId\":\"$run_id\",\"occurredAt\":\"$occurred_at\",\"model\":\"gpt-4o-mini\",\"provider\":\"openai\",\"inputTokens\":1200,\"outputTokens\":300,\"latencyMs\":850}"
  },
  {
    "EventBusName": "$bus",
    "Source": "$source_name",
    "DetailType": "ai.workflow.outcome",
    "Detail": "{\"schemaVersion\":1,\"eventId\":\"$run_id.outcome\",\"workflowId\":\"$workflow_id\",\"runId\":\"$run_id\",\"occurredAt\":\"$occurred_at\",\"status\":\"succeeded\",\"valueUsd\":4,\"minutesSaved\":6}"
  }
]
JSON

endpoint=()
[ -n "${ENDPOINT_URL:-}" ] && endpoint=(--endpoint-url "$ENDPOINT_URL")

response="$("${AWS_CLI:-aws}" events put-events --entries "file://$entries" "${endpoint[@]}" --output json)"
echo "$response"
grep -q '"FailedEntryCount": 0' <<<"$response"
