#!/usr/bin/env bash
# The provider fault matrix against a loopback server (not part of CI): 429 with short, long,
# date and garbage Retry-After, 500, 503, a hang past the timeout, malformed and empty bodies,
# dropped connections, drips (a body sent a byte every 100 ms), a 40 MB body, and the key echoed
# at several offsets in errors and answers.
# Prints one row per fault: tries, seconds, and what the call came to.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
swift build --build-tests >&2
PROMPTGATE_FAULT_MATRIX=1 swift test --skip-build --filter FaultMatrixTests 2>&1 \
  | grep -E '^\||^fault-matrix|✘|passed after|failed after'
