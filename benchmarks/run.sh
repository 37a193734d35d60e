#!/usr/bin/env bash
# Builds release binaries and runs the benchmarks; not part of CI (it takes minutes).
# usage: benchmarks/run.sh [extra arguments for hook_and_history.py]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/bootstrap.sh"
cd "$root"
swift build -c release --static-swift-stdlib >&2
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
python3 "$root/benchmarks/hook_and_history.py" --bin "$bin" "$@"
