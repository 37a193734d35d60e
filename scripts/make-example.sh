#!/usr/bin/env bash
# Builds the example repository from examples/support-bot: a git history with a behavior-neutral
# reformat, a prompt change, and a staged model change. A nested repository cannot be committed,
# so the history is made here, with fixed authors and dates.
#
# usage: scripts/make-example.sh [DIRECTORY]   (default: examples/demo)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:-$root/examples/demo}
source_dir=$root/examples/support-bot

export GIT_AUTHOR_NAME="Example Author" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="Example Author" GIT_COMMITTER_EMAIL="author@example.com"
export GIT_CONFIG_NOSYSTEM=1
step=0
commit() {
  step=$((step + 1))
  export GIT_AUTHOR_DATE="2026-01-0${step}T12:00:00Z" GIT_COMMITTER_DATE="2026-01-0${step}T12:00:00Z"
  git -C "$target" add -A
  git -C "$target" commit -q -m "$1"
}

rm -rf "$target"
mkdir -p "$target"
cp -R "$source_dir"/. "$target"/
git -C "$target" init -q -b main
commit "Support bot with summarizer"

# A reformat that changes no behavior: keys reordered, a comment added, 0.2 written as "0.2".
cat > "$target/config/llm.yaml" <<'YAML'
# Model settings, one block per behavior.
logging: {level: info}
summarizer: {max_tokens: 256}
support:
  max_tokens: 1024
  temperature: "0.2"
  model: gpt-4o-mini
YAML
commit "Tidy llm.yaml"

# A prompt change and a retrieval change.
sed -i 's/^Offer a refund only when.*/Offer a refund only when the order is eligible; say why when it is not./' \
  "$target/prompts/support/system.md"
sed -i 's/top_k: 5/top_k: 8/' "$target/config/retrieval.yaml"
commit "Explain refund decisions; widen retrieval"

# Staged, not committed: the support model changes.
sed -i 's/model: gpt-4o-mini/model: gpt-4o/' "$target/config/llm.yaml"
git -C "$target" add config/llm.yaml
echo "$target"
