import json
import re
import unittest

from yardstick_recorder import contract
from yardstick_recorder.pii import looks_like_pii

from .support import REPO

NOW_MS = contract.instant_ms("2026-11-23T12:00:00.000Z")


def usage(**overrides):
    detail = {"schemaVersion": 1, "eventId": "evt-1", "workflowId": "invoice-bot", "occurredAt": "2026-11-23T11:00:00Z",
              "model": "gpt-4o-mini", "inputTokens": 10, "outputTokens": 2, "latencyMs": 5}
    detail.update(overrides)
    return {k: v for k, v in detail.items() if v is not ...}


class ContractTest(unittest.TestCase):
    schemas = contract.load_schemas()

    def check(self, detail, detail_type="ai.workflow.usage"):
        return contract.validate_detail(detail_type, detail, self.schemas, NOW_MS)

    def test_a_valid_event_passes_with_its_instant_canonical_and_unknown_fields_left_out(self):
        cleaned, rejection = self.check(usage(extra="x"))
        self.assertIsNone(rejection)
        self.assertEqual(cleaned["occurredAt"], "2026-11-23T11:00:00.000Z")
        self.assertNotIn("extra", cleaned)

    def test_each_broken_rule_is_refused_with_the_code_and_field_yardstick_quarantines_with(self):
        cases = [
            (usage(schemaVersion=2), "unsupported_schema_version", "schemaVersion"),
            (usage(inputTokens=...), "invalid_field", "inputTokens"),
            (usage(inputTokens=-1), "invalid_field", "inputTokens"),
            (usage(inputTokens=1.5), "invalid_field", "inputTokens"),
            (usage(inputTokens=True), "invalid_field", "inputTokens"),
            (usage(inputTokens=1_000_000_001), "out_of_range", "inputTokens"),
            (usage(inputTokens=10**400), "out_of_range", "inputTokens"),
            (usage(costUsd=float("nan")), "invalid_field", "costUsd"),
            (usage(workflowId="Invoice"), "invalid_field", "workflowId"),
            (usage(workflowId="invoice\n"), "invalid_field", "workflowId"),
            (usage(model="x" * 129), "invalid_field", "model"),
            (usage(userId="alice@example.com"), "pii_suspected", "userId"),
            (usage(occurredAt="2026-02-30T00:00:00Z"), "invalid_field", "occurredAt"),
            (usage(occurredAt="2026-11-23T12:05:01Z"), "occurred_in_future", "occurredAt"),
            (usage(occurredAt="2026-10-18T11:59:59Z"), "too_late", "occurredAt"),
        ]
        for detail, code, field in cases:
            with self.subTest(code=code, field=field, detail=detail.get(field)):
                cleaned, rejection = self.check(detail)
                self.assertIsNone(cleaned)
                self.assertEqual((rejection.code, rejection.field), (code, field))

    def test_lengths_count_utf16_units_as_the_typescript_contract_does(self):
        # 64 astral characters are 128 UTF-16 units: the most a model name may have.
        self.assertIsNone(self.check(usage(model="\U0001F600" * 64))[1])
        self.assertEqual(self.check(usage(model="\U0001F600" * 64 + "x"))[1].code, "invalid_field")

    def test_a_schema_with_a_keyword_the_validator_does_not_implement_is_refused_when_loaded(self):
        with self.assertRaisesRegex(ValueError, "additionalProperties"):
            contract._check_keywords({"type": "object", "additionalProperties": False}, "x")


class PiiRuleTest(unittest.TestCase):
    def test_every_row_of_the_table_in_docs_contract_md_gets_its_verdict(self):
        doc = (REPO / "docs" / "contract.md").read_text("utf-8")
        section = doc[doc.index("<!-- pii-cases:start -->"): doc.index("<!-- pii-cases:end -->")]
        rows = [m.groups() for m in re.finditer(r"^\| `([^`]+)` \| (yes|no) \| .+ \|$", section, re.M)]
        self.assertGreaterEqual(len(rows), 20)
        for value, flagged in rows:
            with self.subTest(value=value):
                self.assertEqual(looks_like_pii(value), flagged == "yes")


if __name__ == "__main__":
    unittest.main()
