#!/usr/bin/env bash
# Builds release binaries and runs the benchmarks; not part of CI (it takes minutes).
# usage: benchmarks/run.sh [extra arguments for hook_and_history.py]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/bootstrap.sh"
cd "$root"
# Linked as the release tarball is (scripts/release-tarball.sh): the Swift runtime and libgit2
# with its dependencies statically. Loading a dozen shared libraries cost the hook more time than
# all of its own work.
"$root/scripts/static-libgit2.sh" "$root/.build/static-libs" >&2
export PROMPTGATE_STATIC_LIBS=$root/.build/static-libs
swift build -c release --static-swift-stdlib >&2
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
python3 "$root/benchmarks/hook_and_history.py" --bin "$bin" "$@"
