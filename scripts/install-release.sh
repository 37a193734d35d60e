#!/usr/bin/env bash
# Installs a PromptGate release without building it (docs/install.md): downloads
# BASE_URL/vVERSION/promptgate-VERSION-linux-ARCH.tar.gz and its .sha256, checks the checksum,
# and unpacks it into DEST. Prints the directory of the executables (to put on PATH) on stdout.
#
#   scripts/install-release.sh --version 1.2.0 --base-url https://github.com/OWNER/promptgate/releases/download --dest "$HOME/.promptgate"
#
# Exit status: 0 installed; 3 no release matches (no such version, or none for this platform):
# the caller may build from source; 1 anything else, a checksum that does not match among them,
# in which case nothing is unpacked. The composite action (action.yml) and the GitLab template
# both run this script.
set -euo pipefail

usage="usage: scripts/install-release.sh --version VERSION --base-url URL --dest DIR"
version="" base="" dest=""
while [ $# -gt 0 ]; do
  case $1 in
    --version) version=${2:-} && shift 2 ;;
    --base-url) base=${2:-} && shift 2 ;;
    --dest) dest=${2:-} && shift 2 ;;
    *) echo "install-release: unknown argument '$1'; $usage" >&2 && exit 1 ;;
  esac
done
[ -n "$version" ] && [ -n "$base" ] && [ -n "$dest" ] || {
  echo "install-release: $usage" >&2
  exit 1
}
version=${version#v}
case $version in
  *[!A-Za-z0-9._-]* | -*)
    echo "install-release: '$version' is not a release version (a tag such as v1.2.0, given as 1.2.0)" >&2
    exit 1
    ;;
esac
case $base in
  https://* | http://127.0.0.1[:/]* | http://localhost[:/]* | file://*) ;;
  *)
    echo "install-release: the base URL '$base' must be https:// (plain http only on loopback)" >&2
    exit 1
    ;;
esac

system=$(uname -s)
case $(uname -m) in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch="" ;;
esac
if [ "$system" != Linux ] || [ -z "$arch" ]; then
  echo "install-release: releases are built for Linux on x86_64 and aarch64, not $system $(uname -m); build from source" >&2
  exit 3
fi

name=promptgate-$version-linux-$arch
url=${base%/}/v$version/$name.tar.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Downloads $1 to $2; exit 3 when the server has no such file, 1 when the download fails.
fetch() {
  local status
  if command -v curl >/dev/null 2>&1; then
    status=$(curl -sSL --retry 2 --connect-timeout 20 -o "$2" -w '%{http_code}' "$1") || {
      echo "install-release: could not download $1" >&2
      return 1
    }
    case $status in
      2* | 000) return 0 ;; # 000: a file:// URL
      404 | 410) return 3 ;;
      *)
        echo "install-release: $1 answered HTTP $status" >&2
        return 1
        ;;
    esac
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" && return 0
    # wget's 8: the server answered with an error (here, most likely 404).
    [ $? = 8 ] && return 3
    echo "install-release: could not download $1" >&2
    return 1
  fi
  echo "install-release: neither curl nor wget is installed" >&2
  return 1
}

status=0
fetch "$url.sha256" "$work/$name.tar.gz.sha256" || status=$?
[ "$status" = 0 ] && { fetch "$url" "$work/$name.tar.gz" || status=$?; }
if [ "$status" = 3 ]; then
  echo "install-release: no release $version for linux-$arch at $url" >&2
  exit 3
fi
[ "$status" = 0 ] || exit 1

read -r expected listed <"$work/$name.tar.gz.sha256" || true
listed=${listed#\*}
if [ "$listed" != "$name.tar.gz" ] || [ "${#expected}" != 64 ]; then
  echo "install-release: $url.sha256 is not the checksum file of $name.tar.gz (it should read '<64 hex digits>  $name.tar.gz'); nothing was installed" >&2
  exit 1
fi
if command -v sha256sum >/dev/null 2>&1; then
  actual=$(sha256sum "$work/$name.tar.gz" | cut -d' ' -f1)
else
  actual=$(shasum -a 256 "$work/$name.tar.gz" | cut -d' ' -f1)
fi
if [ "$actual" != "$expected" ]; then
  echo "install-release: the SHA-256 of $name.tar.gz is $actual, but $name.tar.gz.sha256 says $expected: the download is corrupt or not the release; nothing was installed" >&2
  exit 1
fi

mkdir -p "$work/unpacked"
tar -xzf "$work/$name.tar.gz" -C "$work/unpacked" --no-same-owner
[ -x "$work/unpacked/$name/bin/promptgate" ] || {
  echo "install-release: $name.tar.gz holds no $name/bin/promptgate; nothing was installed" >&2
  exit 1
}
mkdir -p "$dest"
rm -rf "${dest:?}/$name"
mv "$work/unpacked/$name" "$dest/$name"
echo "install-release: installed PromptGate $version (linux-$arch) in $dest/$name" >&2
echo "$dest/$name/bin"
