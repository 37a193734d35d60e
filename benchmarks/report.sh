#!/usr/bin/env bash
# promptgate report against DuckDB on 1,000,000 generated native events and 1,000,000 OTLP
# spans; not part of CI.
# DuckDB comes from PyPI into benchmarks/.work/duckdb-venv.
# usage: benchmarks/report.sh [--events N] [--runs N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
swift build -c release --product promptgate-report >&2
bin=$(swift build -c release --show-bin-path)
venv=$root/benchmarks/.work/duckdb-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
    "duckdb==2.0.0"
fi
python3 "$root/benchmarks/report_vs_duckdb.py" --bin "$bin" --python "$venv/bin/python" "$@"
