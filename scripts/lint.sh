#!/usr/bin/env bash
# The style check `make lint` and CI run: swift-format's rules (.swift-format, with every
# formatting difference an error) and no line over 120 columns. Lines inside multi-line
# string literals are test data or help text whose columns matter, so they are exempt.
# Columns are characters, not bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Sources Tests Benchmarks Fuzz Plugins edge Package.swift)
python3 scripts/check-layers.py
swift-format lint --strict --recursive --parallel "${paths[@]}"
long=$(find "${paths[@]}" -name '*.swift' -print0 | xargs -0 python3 -c '
import sys
for path in sys.argv[1:]:
    inside = False
    for number, line in enumerate(open(path, encoding="utf-8").read().split("\n"), 1):
        if not inside and len(line) > 120:
            print(f"{path}:{number}: {len(line)} columns")
        if line.count("\"\"\"") % 2 == 1:
            inside = not inside
')
if [ -n "$long" ]; then
    printf '%s\n' "$long" >&2
    echo "lint: lines over 120 columns (make format fixes most; break the rest by hand)" >&2
    exit 1
fi
echo "lint: swift-format clean, no line over 120 columns"
