import re
import unittest

from yardstick_recorder import RecorderConfigError, VariantAssignmentError, assign_variant, create_pseudonymizer
from yardstick_recorder.identity import uuid7


class PseudonymTest(unittest.TestCase):
    def test_the_same_id_and_salt_give_the_same_64_hex_pseudonym_and_another_salt_another(self):
        first = create_pseudonymizer("a-salt-of-sixteen-bytes")
        self.assertEqual(first("jane@example.com"), first("jane@example.com"))
        self.assertRegex(first("jane@example.com"), r"^[0-9a-f]{64}$")
        self.assertNotEqual(first("jane@example.com"), create_pseudonymizer("another-salt-16-bytes")("jane@example.com"))

    def test_a_salt_shorter_than_16_bytes_is_refused(self):
        with self.assertRaisesRegex(RecorderConfigError, "at least 16 bytes"):
            create_pseudonymizer("short")


class AssignVariantTest(unittest.TestCase):
    def test_100000_run_ids_land_within_half_a_percentage_point_of_the_weights(self):
        counts = {"ai": 0, "human": 0}
        for i in range(100_000):
            counts[assign_variant(f"run-{i}", {"ai": 0.95, "human": 0.05})] += 1
        self.assertAlmostEqual(counts["human"] / 100_000, 0.05, delta=0.005)

    def test_weights_or_names_no_run_can_be_assigned_with_are_refused(self):
        for run_id, weights in [("", {"ai": 1}), ("r", {}), ("r", {"ai": 0}), ("r", {"ai": float("inf")}),
                                ("r", {"AI": 1}), ("r", {"ai": True})]:
            with self.subTest(run_id=run_id, weights=weights), self.assertRaises(VariantAssignmentError):
                assign_variant(run_id, weights)


class EventIdTest(unittest.TestCase):
    def test_event_ids_are_uuidv7_and_sort_by_creation(self):
        ids = [uuid7() for _ in range(50)]
        for value in ids:
            self.assertRegex(value, r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        self.assertEqual([i[:13] for i in ids], sorted(i[:13] for i in ids))


if __name__ == "__main__":
    unittest.main()
