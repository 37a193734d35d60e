#!/usr/bin/env bash
# Prepares DIR for a build whose executables link libgit2 and its dependencies statically:
# DIR/libgit2.a becomes one archive holding Debian's libgit2.a and the static archives of every
# library it needs (as `pkg-config --static --libs` lists them, and theirs in turn), and
# DIR/libz.a links zlib. Build with PROMPTGATE_STATIC_LIBS=DIR (Package.swift puts -L DIR first,
# so the linker finds these archives before the shared libraries), then check with `ldd`.
#
#   scripts/static-libgit2.sh .build-release/static-libs
#   PROMPTGATE_STATIC_LIBS=$PWD/.build-release/static-libs swift build -c release --static-swift-stdlib
#
# The C library and the libraries that are part of glibc (rt, dl, pthread, m) stay shared, and
# so does a library the shared libgit2 needs that has no static archive (GSSAPI on Debian).
set -euo pipefail

dir=${1:?usage: scripts/static-libgit2.sh DIR}
command -v pkg-config >/dev/null || {
  echo "static-libgit2: pkg-config is missing; run scripts/bootstrap.sh" >&2
  exit 1
}
command -v ar >/dev/null && command -v readelf >/dev/null || {
  echo "static-libgit2: ar or readelf is missing; install binutils" >&2
  exit 1
}
libdir=$(pkg-config --variable=libdir libgit2)
glibc=" c rt dl pthread m util resolv "

# The libraries libgit2 links, then theirs (libssh2 needs OpenSSL's), in link order.
names=()
add() {
  local name
  for name in "$@"; do
    case " ${names[*]} " in *" $name "*) continue ;; esac
    case "$glibc" in *" $name "*) continue ;; esac
    names+=("$name")
  done
}
libs_of() { pkg-config --static --libs "$1" | tr ' ' '\n' | sed -n 's/^-l//p'; }
mapfile -t first < <(libs_of libgit2)
add "${first[@]}"
for name in "${names[@]}"; do
  for package in "lib$name" "$name"; do
    if pkg-config --exists "$package" 2>/dev/null; then
      mapfile -t more < <(libs_of "$package")
      add "${more[@]}"
      break
    fi
  done
done

# What the shared libgit2 links that pkg-config does not name (Debian's libgit2.pc leaves out
# GSSAPI) and no static archive exists for: linked shared, listed in DIR/shared-libraries for
# Package.swift, through a link DIR/libNAME.so to the runtime library (no -dev package needed).
mkdir -p "$dir"
shared=()
while read -r needed; do
  name=${needed#lib}
  name=${name%%.so*}
  case " ${names[*]} $glibc " in *" $name "*) continue ;; esac
  if [ -f "$libdir/lib$name.a" ]; then
    names+=("$name")
  else
    shared+=("$name")
    ln -sf "$libdir/$needed" "$dir/lib$name.so"
  fi
done < <(readelf -d "$libdir/libgit2.so" | sed -n 's/.*(NEEDED).*\[\(lib[^]]*\)\]/\1/p')

script="CREATE $dir/libgit2.a"$'\n'
for name in "${names[@]}"; do
  archive=$libdir/lib$name.a
  [ -f "$archive" ] || {
    echo "static-libgit2: $archive is missing (libgit2 links -l$name); install the -dev package that ships it" >&2
    exit 1
  }
  script+="ADDLIB $archive"$'\n'
done
printf '%s\n' "${shared[@]}" >"$dir/shared-libraries"
script+="SAVE"$'\n'"END"$'\n'
rm -f "$dir/libgit2.a"
printf '%s' "$script" | ar -M
ar s "$dir/libgit2.a"
ln -sf "$libdir/libz.a" "$dir/libz.a"
echo "static-libgit2: $dir/libgit2.a holds ${names[*]}; linked shared: ${shared[*]:-none}" >&2
