#!/usr/bin/env bash
# Builds the release tarball for this machine's architecture (docs/install.md):
#
#   scripts/release-tarball.sh VERSION [OUT_DIR]
#
# writes OUT_DIR/promptgate-VERSION-linux-ARCH.tar.gz (ARCH as `uname -m` says: x86_64,
# aarch64) and beside it the .sha256 file that `sha256sum -c` checks. The executables link the
# Swift runtime statically (--static-swift-stdlib) and libgit2 with its dependencies from their
# static archives (scripts/static-libgit2.sh), so they need only glibc: the script refuses a
# build whose `ldd` still lists a shared libgit2, libssh2, mbedTLS, OpenSSL, PCRE2, zlib or
# Swift library. bin/ holds one executable, promptgate, and a link to it per command. The
# tarball also holds the completions, the manual pages and the JSON Schema.
#
# PROMPTGATE_SCRATCH names the build directory (default .build-release); OUT_DIR defaults to
# dist. The release workflow (.github/workflows/release.yml) runs this on each platform.
set -euo pipefail

version=${1:?usage: scripts/release-tarball.sh VERSION [OUT_DIR]}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$root/dist}
scratch=${PROMPTGATE_SCRATCH:-$root/.build-release}
arch=$(uname -m)
case $version in
  *[!A-Za-z0-9._-]* | "" | -*)
    echo "release: version '$version' must be letters, digits, '.', '_' or '-' (a tag such as 1.2.0)" >&2
    exit 1
    ;;
esac
name=promptgate-$version-linux-$arch

"$root/scripts/bootstrap.sh"
"$root/scripts/static-libgit2.sh" "$scratch/static-libs"
export PROMPTGATE_STATIC_LIBS=$scratch/static-libs
build=(swift build -c release --static-swift-stdlib --scratch-path "$scratch")
(cd "$root" && "${build[@]}" && "${build[@]}" --product generate-manual)
bin=$(cd "$root" && "${build[@]}" --show-bin-path)

# Only glibc's libraries may remain shared.
for executable in "$bin"/promptgate "$bin"/promptgate-*; do
  case $(basename "$executable") in *.*) continue ;; esac
  if shared=$(ldd "$executable" | grep -E 'git2|ssh2|mbed|http_parser|pcre2|libssl|libcrypto|libz\.|swift|Foundation|dispatch|icu'); then
    echo "release: $executable still needs shared libraries it should link statically:" >&2
    echo "$shared" >&2
    exit 1
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/scripts/install-tree.sh" "$bin" "$work/$name"
# One executable: every promptgate-<command> is a link to promptgate, which runs as the command
# it is named after. Each executable holds all of PromptGate's code, so sixteen copies would
# make the tarball sixteen times larger, and the hook starts as fast through the link.
strip "$work/$name/bin/promptgate"
for executable in "$work/$name/bin"/promptgate-*; do
  ln -sf promptgate "$executable"
done
cp "$root/README.md" "$work/$name/"
floor=$(objdump -T "$work/$name/bin/promptgate" | grep -o 'GLIBC_[0-9.]*' | sort -u -V | tail -n 1)
echo "release: the executables need glibc ${floor#GLIBC_} or newer" >&2
echo "${floor#GLIBC_}" >"$work/$name/share/promptgate/glibc-floor"

mkdir -p "$out"
tar -C "$work" -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "release: wrote $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1)) and its .sha256" >&2
