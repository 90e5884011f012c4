#!/usr/bin/env python3
# ===- test_harness.py - Self-test of the e2e comparison functions --------=== #
#
# The e2e tests are only as good as their comparison: check that it rejects
# perturbed results and accepts results within tolerance, with no compiler.
#
# ===----------------------------------------------------------------------=== #

import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import ATOL, RTOL, E2EFailure, check_top5, compare  # noqa: E402
import run_e2e  # noqa: E402


class CompareTest(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(0)
        self.want = rng.normal(0, 2, (1, 8, 5, 5)).astype(np.float32)

    def test_identical_passes(self):
        self.assertEqual(compare(self.want.copy(), self.want), 0.0)

    def test_within_tolerance_passes(self):
        # Half the allowed error on every element.
        got = self.want + 0.5 * (ATOL + RTOL * np.abs(self.want)) * np.sign(self.want)
        self.assertGreater(compare(got.astype(np.float32), self.want), 0.0)

    def test_single_perturbed_element_fails(self):
        got = self.want.copy()
        got[0, 3, 2, 1] += 10 * (ATOL + RTOL * abs(got[0, 3, 2, 1]))
        with self.assertRaisesRegex(E2EFailure, r"1 of 200 elements.*\[0, 3, 2, 1\]"):
            compare(got, self.want)

    def test_small_absolute_error_near_zero_fails(self):
        want = np.zeros((4,), np.float32)
        got = want.copy()
        got[2] = 3 * ATOL
        with self.assertRaises(E2EFailure):
            compare(got, want)

    def test_shape_mismatch_fails(self):
        with self.assertRaisesRegex(E2EFailure, "shape"):
            compare(self.want.reshape(1, 8, 25), self.want)

    def test_nan_fails(self):
        got = self.want.copy()
        got[0, 0, 0, 0] = np.nan
        with self.assertRaisesRegex(E2EFailure, "non-finite"):
            compare(got, self.want)

    def test_transposed_layout_fails(self):
        # A classic layout bug (NHWC written as NCHW) must not slip through.
        got = np.ascontiguousarray(self.want.transpose(0, 2, 3, 1)).reshape(self.want.shape)
        with self.assertRaises(E2EFailure):
            compare(got, self.want)


class Top5Test(unittest.TestCase):
    def test_same_order_passes(self):
        want = np.array([[0.1, 0.5, 0.2, 0.9, 0.3, 0.05, 0.7]], np.float32)
        check_top5(want * (1 + 1e-5), want)

    def test_swapped_classes_fail(self):
        want = np.array([[0.1, 0.5, 0.2, 0.9, 0.3, 0.05, 0.7]], np.float32)
        got = want.copy()
        got[0, [1, 3]] = got[0, [3, 1]]
        with self.assertRaisesRegex(E2EFailure, "top-5"):
            check_top5(got, want)

    def test_tie_within_tolerance_passes(self):
        want = np.array([[0.9, 0.5, 0.50001, 0.2, 0.1, 0.0]], np.float32)
        got = np.array([[0.9, 0.50002, 0.5, 0.2, 0.1, 0.0]], np.float32)
        check_top5(got, want)

    def test_second_batch_row_checked(self):
        want = np.array([[5, 4, 3, 2, 1, 0], [0, 1, 2, 3, 4, 5]], np.float32)
        got = want.copy()
        got[1] = got[1][::-1]
        with self.assertRaisesRegex(E2EFailure, "row 1"):
            check_top5(got, want)


class IoArgsTest(unittest.TestCase):
    META = {"inputs": [{"name": "image"}], "outputs": [{"name": "probs"}]}

    def test_named_form(self):
        argv, outs = run_e2e.build_io_args(self.META, "/m", "/w", "named")
        self.assertEqual(argv, ["--input", "image=/m/input_0.npy",
                                "--output", "probs=/w/out_0.npy"])
        self.assertEqual(outs, ["/w/out_0.npy"])

    def test_auto_form_single_io_is_positional(self):
        argv, _ = run_e2e.build_io_args(self.META, "/m", "/w", "auto")
        self.assertEqual(argv, ["--input", "/m/input_0.npy", "--output", "/w/out_0.npy"])

    def test_auto_form_multi_io_is_named(self):
        meta = {"inputs": [{"name": "a"}, {"name": "b"}], "outputs": [{"name": "y"}]}
        argv, _ = run_e2e.build_io_args(meta, "/m", "/w", "auto")
        self.assertIn("b=/m/input_1.npy", argv)


if __name__ == "__main__":
    unittest.main(verbosity=2)
