#!/usr/bin/env bash
# Checks formatting against the checked-in .swift-format; `--fix` rewrites files in place.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --fix ]; then
  swift format --in-place --recursive Package.swift Sources Tests
fi
output=$(swift format lint --strict --recursive Package.swift Sources Tests 2>&1) || true
if [ -n "$output" ]; then
  echo "$output" >&2
  echo "lint: run scripts/lint.sh --fix" >&2
  exit 1
fi
