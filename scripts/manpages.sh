#!/usr/bin/env bash
# Writes a manual page, OUT_DIR/promptgate-<command>.1, for every promptgate-<command> in BIN_DIR,
# from the argument parser's description of its options (swift-argument-parser's generate-manual,
# which `swift build --product generate-manual` puts in BIN_DIR). docs/completions.md.
set -euo pipefail

bin=${1:?usage: scripts/manpages.sh BIN_DIR OUT_DIR}
out=${2:?usage: scripts/manpages.sh BIN_DIR OUT_DIR}
tool=$bin/generate-manual
[ -x "$tool" ] || {
  echo "manpages: $tool not found; run: swift build --product generate-manual" >&2
  exit 1
}
mkdir -p "$out"
count=0
for executable in "$bin"/promptgate-*; do
  name=$(basename "$executable")
  case $name in *.*) continue ;; esac
  [ -f "$executable" ] && [ -x "$executable" ] || continue
  "$tool" "$executable" --output-directory "$out" >/dev/null
  [ -s "$out/$name.1" ] || {
    echo "manpages: generate-manual wrote no $out/$name.1" >&2
    exit 1
  }
  count=$((count + 1))
done
[ "$count" -gt 0 ] || {
  echo "manpages: no promptgate-<command> executables in $bin; build first (swift build)" >&2
  exit 1
}
echo "manpages: wrote $count pages to $out" >&2
