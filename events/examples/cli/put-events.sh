#!/usr/bin/env bash
# Sends one Yardstick workflow run (a usage event and its outcome) with the AWS CLI v2.
#
#   events/examples/cli/put-events.sh invoice-triage acme.invoice-bot
#   ENDPOINT_URL=http://127.0.0.1:4010 events/examples/cli/put-events.sh invoice-triage   # local mode
#
# Environment:
#   YARDSTICK_EVENT_BUS  the bus name or ARN (default: yardstick)
#   ENDPOINT_URL         an endpoint override, e.g. local mode's http://127.0.0.1:4010
#   RUN_ID               reuse a run id: the same run re-sent keeps its eventIds and counts once
#   AWS_CLI              the aws executable (default: aws)
#
# Detail is a JSON document passed as a string, so its quotes are escaped inside the entries file.
# Prints the PutEvents response; exits 1 when FailedEntryCount is not 0 (re-run with the same RUN_ID
# to re-send: entries that were accepted the first time are recognised as duplicates).
set -euo pipefail

workflow_id="${1:?usage: put-events.sh WORKFLOW_ID [SOURCE]}"
source_name="${2:-acme.cli-example}"
bus="${YARDSTICK_EVENT_BUS:-yardstick}"
occurred_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
run_id="${RUN_ID:-cli-$(date -u +%Y%m%dT%H%M%S)-$$-$RANDOM}"

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
