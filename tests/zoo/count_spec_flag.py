#!/usr/bin/env python3
"""Counts the kernel specs of a `kiln compile --dump` kernel list
(02-kernels.txt) that carry a `key=value` line, and fails below a minimum:
a check that a compile option really selected the kernels it names."""
import argparse
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("kernels", help="02-kernels.txt from kiln compile --dump")
    ap.add_argument("line", help="the spec line to count, e.g. zero_skip_pointwise=1")
    ap.add_argument("--at-least", type=int, default=1)
    args = ap.parse_args()
    try:
        with open(args.kernels, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        print(f"count_spec_flag: cannot read {args.kernels}: {e}", file=sys.stderr)
        return 1
    n = sum(1 for line in lines if line.strip() == args.line)
    kinds = sum(1 for line in lines if line.startswith("kind="))
    print(f"{n} of {kinds} kernel specs have '{args.line}' (want >= {args.at_least})")
    return 0 if n >= args.at_least else 1


if __name__ == "__main__":
    sys.exit(main())
