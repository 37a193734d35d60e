#!/usr/bin/env bash
# Writes the shell completion scripts of `promptgate` and of every `promptgate-<command>` in
# BIN_DIR into OUT_DIR/bash/NAME, OUT_DIR/zsh/_NAME and OUT_DIR/fish/NAME.fish, the file names
# bash-completion, zsh's fpath and fish's completions directory look for (docs/completions.md).
set -euo pipefail

bin=${1:?usage: scripts/completions.sh BIN_DIR OUT_DIR}
out=${2:?usage: scripts/completions.sh BIN_DIR OUT_DIR}
mkdir -p "$out/bash" "$out/zsh" "$out/fish"
count=0
for executable in "$bin"/promptgate "$bin"/promptgate-*; do
  name=$(basename "$executable")
  # Only the executables themselves, not the build's .swiftmodule or debug files beside them.
  case $name in *.*) continue ;; esac
  [ -f "$executable" ] && [ -x "$executable" ] || continue
  "$executable" --generate-completion-script bash >"$out/bash/$name"
  "$executable" --generate-completion-script zsh >"$out/zsh/_$name"
  "$executable" --generate-completion-script fish >"$out/fish/$name.fish"
  count=$((count + 1))
done
[ "$count" -gt 0 ] || {
  echo "completions: no promptgate executables in $bin; build first (swift build)" >&2
  exit 1
}
echo "completions: wrote $count commands' scripts for bash, zsh and fish to $out" >&2
