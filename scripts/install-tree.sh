#!/usr/bin/env bash
# Installs the built executables of BIN_DIR under PREFIX, with their shell completions, manual
# pages and the mapping file's JSON Schema (docs/install.md):
#
#   PREFIX/bin/promptgate, PREFIX/bin/promptgate-<command>
#   PREFIX/share/bash-completion/completions/NAME
#   PREFIX/share/zsh/site-functions/_NAME
#   PREFIX/share/fish/vendor_completions.d/NAME.fish
#   PREFIX/share/man/man1/promptgate-<command>.1
#   PREFIX/share/promptgate/promptgate.schema.json
#
# `make install PREFIX=...` and scripts/release-tarball.sh use it. BIN_DIR must also hold
# generate-manual (`swift build --product generate-manual`).
set -euo pipefail

bin=${1:?usage: scripts/install-tree.sh BIN_DIR PREFIX}
prefix=${2:?usage: scripts/install-tree.sh BIN_DIR PREFIX}
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$bin/promptgate" ] || {
  echo "install: $bin/promptgate not found; build first (swift build)" >&2
  exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/scripts/completions.sh" "$bin" "$work/completions"
"$root/scripts/manpages.sh" "$bin" "$work/man"

mkdir -p "$prefix/bin" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d" \
  "$prefix/share/man/man1" "$prefix/share/promptgate"
count=0
for executable in "$bin"/promptgate "$bin"/promptgate-*; do
  name=$(basename "$executable")
  case $name in *.*) continue ;; esac
  [ -f "$executable" ] && [ -x "$executable" ] || continue
  install -m 0755 "$executable" "$prefix/bin/$name"
  count=$((count + 1))
done
install -m 0644 "$work/completions/bash/"* "$prefix/share/bash-completion/completions/"
install -m 0644 "$work/completions/zsh/"* "$prefix/share/zsh/site-functions/"
install -m 0644 "$work/completions/fish/"* "$prefix/share/fish/vendor_completions.d/"
install -m 0644 "$work/man/"*.1 "$prefix/share/man/man1/"
install -m 0644 "$root/schema/promptgate.schema.json" "$prefix/share/promptgate/"
echo "install: $count executables, their completions and manual pages, and the schema in $prefix" >&2
