#!/usr/bin/env bash
# Builds release binaries and runs the gate throughput benchmark; not part of CI (it installs
# Inspect AI from PyPI and takes minutes).
# usage: benchmarks/run-gate.sh [extra arguments for gate_throughput.py]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/bootstrap.sh"
cd "$root"
swift build -c release --static-swift-stdlib >&2
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
python3 "$root/benchmarks/gate_throughput.py" --bin "$bin" "$@"
