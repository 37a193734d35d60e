#!/usr/bin/env bash
# The README's first command: builds PromptGate, makes the example repository, and shows its
# behavior versions, a diff, the selection, and commits through the pre-commit hook: one the gate
# lets through and one it catches.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/bootstrap.sh"
(cd "$root" && swift build)
bin=$(cd "$root" && swift build --show-bin-path)
demo=$("$root/scripts/make-example.sh" "${1:-$root/examples/demo}")
export PATH="$bin:$PATH"
export GIT_AUTHOR_NAME="Example Author" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="Example Author" GIT_COMMITTER_EMAIL="author@example.com"
export GIT_AUTHOR_DATE="2026-01-09T12:00:00Z" GIT_COMMITTER_DATE="2026-01-09T12:00:00Z"
cd "$demo"

show() {
  local shown=() word
  for word in "$@"; do
    case $word in *" "*) shown+=("\"$word\"") ;; *) shown+=("$word") ;; esac
  done
  printf '\n$ %s\n' "${shown[*]}"
  "$@"
}

echo "Example repository: $demo"
show git log --oneline
show promptgate version
show promptgate diff HEAD~2 HEAD~1 --exit-code && echo "(no behavior changed: the reformat is not a change)"
show promptgate diff HEAD~1 HEAD
show promptgate select HEAD~1 HEAD
show promptgate diff --staged
show promptgate select --staged --tier fast
show promptgate version --staged --behavior support-agent --format env
show promptgate install-hooks
# The staged model change selects support-smoke: the hook runs it on the staged behaviour and on
# HEAD's, finds no regression, and lets the commit through.
show git commit -q -m "Move support to gpt-4o"
show git log --oneline -1

# A prompt edit that drops the refund rule: the gate catches it, and so does the hook.
sed -i 's/^Offer a refund only when.*/Offer store credit; never promise a refund./' \
  prompts/support/system.md
git add prompts/support/system.md
show promptgate gate --staged --tier fast || echo "(exit $?: the gate caught the regression)"
show git commit -q -m "Prefer store credit" || echo "(exit $?: the hook refused the commit)"
git reset -q HEAD -- prompts/support/system.md
git checkout -q -- prompts/support/system.md

# The release tier on the last commit: results already stored are read, not run again.
show promptgate gate HEAD~1 HEAD --tier release

# Release what passed, then a change no fast set protects slips through the hook (retrieval
# fetches one article). Roll the behavior back to the last release: every component restored,
# the proof that the working tree has the release's id, and a commit whose gate makes no call.
show promptgate release
sed -i 's/top_k: 8/top_k: 1/' config/retrieval.yaml
show git commit -q -a -m "Fetch one article"
show promptgate rollback support-agent --to previous --dry-run
show promptgate rollback support-agent --to previous --commit
show git log -1 --format=%B
show promptgate version --behavior support-agent

# Production: the app logs one native JSONL event per request, stamped with the behavior id it
# was deployed with (docs/telemetry.md): a day on the version that slipped through
# (HEAD~1), then a day on the rolled-back one (HEAD, the release's id).
mkdir -p telemetry
rm -f telemetry/requests.jsonl
for day in 1 2; do
  rev=$([ "$day" = 1 ] && echo HEAD~1 || echo HEAD)
  eval "$(promptgate version --rev "$rev" --behavior support-agent --format env)"
  model=$(git show "$rev:config/llm.yaml" | sed -n 's/^  model: //p' | head -1)
  start=$((1767225600000 + (day - 1) * 86400000))
  python3 "$root/examples/telemetry/app.py" telemetry/requests.jsonl \
    "$PROMPTGATE_BEHAVIOR_ID" "$model" "$start" 500 "$day"
done
show promptgate report telemetry/requests.jsonl
