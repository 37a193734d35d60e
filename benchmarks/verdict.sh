#!/usr/bin/env bash
# The verdict's benchmark (not in CI): false-alarm and detection rates, with 95% intervals, and
# calls per gate against a plain `repeat: 3` gate, for the scenarios of issue 11.
#
# 1. verdict-simulation: GATES (default 1,000) simulated gates per scenario through the verdict
#    code itself (VerdictRule, Resampling's cap and disagreement rule, the exact tests).
# 2. BINARY_GATES (default 100) gates per scenario through promptgate-gate, `--refresh` each
#    time, with an exec harness that answers right 80% of the time at random (scenario (a)).
#
# usage: benchmarks/verdict.sh [GATES] [BINARY_GATES]   (debug build; CONFIG=release for -c release)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gates=${1:-1000}
binary_gates=${2:-100}
config=${CONFIG:-debug}
cd "$root"
swift build -c "$config" --product promptgate-gate >&2
swift build -c "$config" --target verdict-simulation >&2 || true
bin=$(swift build -c "$config" --show-bin-path)
if [ ! -x "$bin/verdict-simulation" ]; then swift build -c "$config" >&2; fi

if [ "$gates" -gt 0 ]; then
  echo "== simulated gates (verdict-simulation $gates) =="
  "$bin/verdict-simulation" "$gates"
fi

[ "$binary_gates" -gt 0 ] || exit 0
echo
echo "== gates through promptgate-gate ($binary_gates per scenario, --refresh) =="
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A copy of the binary, so that a rebuild during the run cannot swap it.
mkdir -p "$work/bin"
cp "$bin/promptgate-gate" "$work/bin/"
bin="$work/bin"
repo="$work/repo"
mkdir -p "$repo/prompts" "$repo/evals"
cd "$repo"
git init -q -b main
git config user.name bench && git config user.email bench@example.com
printf 'Answer the question.\n' >prompts/system.md
cat >evals/harness.sh <<'HARNESS'
#!/usr/bin/env bash
# Right 80% of the time at random; always wrong for a case the prompt names `broken: ID`.
input=$(cat)
id=$(printf '%s' "$input" | sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p')
if grep -qx "broken: $id" "$PROMPTGATE_BEHAVIOR_DIR/prompts/system.md"; then
  echo wrong
elif (( RANDOM % 100 < 80 )); then
  echo right
else
  echo wrong
fi
HARNESS
: >evals/cases.jsonl
for i in 0 1 2 3 4 5 6 7 8 9; do
  printf '{"id": "c%d", "vars": {"q": "%d"}, "assert": [{"type": "contains", "value": "right"}]}\n' \
    "$i" "$i" >>evals/cases.jsonl
done
cat >promptgate.yaml <<'MAPPING'
behaviors:
  bot:
    prompt: [prompts/*.md]
    model: {value: sim-model}
providers:
  harness: {type: exec, command: [bash, evals/harness.sh], concurrency: 8, timeout: 20}
evalSets:
  smoke:
    tier: fast
    provider: harness
    files: [evals/harness.sh]
    cases: evals/cases.jsonl
    repeat: 3
    protects: {bot: [prompt]}
MAPPING
git add -A && git commit -q -m base
base=$(git rev-parse HEAD)
printf 'Answer the question politely.\n' >prompts/system.md
git commit -q -am harmless
harmless=$(git rev-parse HEAD)
git checkout -q "$base"
printf 'Answer the question.\nbroken: c0\n' >prompts/system.md
git commit -q -am broken
broken=$(git rev-parse HEAD)

run_scenario() {
  local name=$1 head=$2 changed=$3 failed=0 calls=0 i
  for ((i = 0; i < binary_gates; i++)); do
    local out
    out=$("$bin/promptgate-gate" "$base..$head" --refresh --store "$work/store" --format json || true)
    read -r status made < <(printf '%s' "$out" | python3 -c \
      'import json,sys; d=json.load(sys.stdin); print(d["status"], d["calls"])')
    [ "$status" = regressed ] && failed=$((failed + 1))
    calls=$((calls + made))
  done
  python3 - "$name" "$failed" "$binary_gates" "$calls" "$changed" <<'REPORT'
import math, sys
name, failed, n, calls, changed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
p = failed / n
z = 1.959964
centre = (p + z * z / (2 * n)) / (1 + z * z / n)
half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
label = "caught" if changed else "false alarms"
plain = 2 * 10 * 3
print(f"{name}: {label} {100 * p:.2f}% [95% {100 * max(0, centre - half):.2f}%–{100 * min(1, centre + half):.2f}%], "
      f"calls/gate {calls / n:.1f} (plain repeat 3: {plain}, x{calls / n / plain:.2f})")
REPORT
}
run_scenario "(a) binary, 10 cases, 20% noise, harmless" "$harmless" 0
run_scenario "(a) binary, 10 cases, 20% noise, one case always fails" "$broken" 1
