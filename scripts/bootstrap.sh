#!/usr/bin/env bash
# Installs what building PromptGate needs and is missing: pkg-config and libgit2-dev (Debian's
# 1.5.1) through apt. Does nothing when both are present.
set -euo pipefail

if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libgit2; then
  exit 0
fi
packages=(libgit2-dev)
command -v pkg-config >/dev/null 2>&1 || packages+=(pkg-config)
echo "bootstrap: installing ${packages[*]} with apt-get" >&2
sudo=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || {
    echo "bootstrap: need root (or sudo) to install ${packages[*]}" >&2
    exit 1
  }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
pkg-config --exists libgit2 || {
  echo "bootstrap: libgit2 is still not visible to pkg-config after installing it" >&2
  exit 1
}
