#!/usr/bin/env bash
# Seeded mutation fuzzing of the mapping and case-file parsers (not part of CI).
# usage: benchmarks/fuzz-parsers.sh [INPUTS_PER_PARSER (default 100000)] [SEED (default 20261201)]
# Prints, per parser, the inputs tried, accepted and refused, and the slowest input. A crash stops
# the run; the last line of $log names the parser, seed and the input block it was in.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
budget=${1:-100000}
seed=${2:-20261201}
log=$(mktemp "${TMPDIR:-/tmp}/promptgate-fuzz-XXXXXX")
swift build --build-tests >&2
if ! PROMPTGATE_FUZZ=$budget PROMPTGATE_FUZZ_SEED=$seed PROMPTGATE_FUZZ_LOG=$log \
  swift test --skip-build --filter ParserFuzzTests 2>&1 | grep -E '^fuzz |✘|passed|failed'; then
  echo "fuzz-parsers: the run failed; the last input block: $(tail -1 "$log")" >&2
  exit 1
fi
rm -f "$log"
