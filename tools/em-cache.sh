#!/usr/bin/env bash
# em-cache.sh SRC DEST — makes DEST a complete, writable copy of the emscripten
# cache SRC (Debian's /usr/share/emscripten/cache is read-only for ordinary
# users, and emcc runs with FROZEN_CACHE, so a copy missing a file fails every
# later build with "FROZEN_CACHE is set, but cache file is missing").
#   - atomic: the copy is made in a temporary directory beside DEST and
#     renamed into place only once complete, with a stamp file written last;
#   - concurrent builds are safe: the whole step holds flock on DEST.lock, so
#     a second build waits for the first copy and then finds it complete;
#   - a broken copy repairs itself: a DEST without the stamp (an interrupted
#     copy by an older build-wasm.sh, or a hand-made one) is replaced, and
#     temporary directories left by a killed copy are removed.
# Exit 0 when DEST is complete; 1 with one line on stderr otherwise.
set -euo pipefail
if [ $# -ne 2 ]; then echo "usage: em-cache.sh SRC DEST" >&2; exit 2; fi
src=$1
dest=${2%/}
STAMP=.gradlab-cache-complete # written last: its presence means every file is there

if [ ! -d "$src" ]; then echo "em-cache.sh: no emscripten cache at $src" >&2; exit 1; fi
mkdir -p "$(dirname "$dest")"
exec 9>"$dest.lock"
flock 9 # released when this script exits, however it exits

[ -f "$dest/$STAMP" ] && exit 0

# Holding the lock, no other copy is in progress: whatever temporary
# directory is left is from a copy that was killed.
for stale in "$dest".tmp.*; do
  [ -e "$stale" ] || continue
  chmod -R u+w "$stale" 2>/dev/null || true
  rm -rf "$stale"
done

if [ -e "$dest" ]; then
  echo "==> $dest is incomplete (no $STAMP): copying the emscripten cache again" >&2
else
  echo "==> copying the emscripten cache to $dest" >&2
fi
tmp=$(mktemp -d "$dest.tmp.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
cp -R "$src/." "$tmp/"
chmod -R u+w "$tmp" # emcc writes its cache.lock there
touch "$tmp/$STAMP"
if [ -e "$dest" ]; then # the broken copy: out of the way first (mv onto a directory would nest)
  old=$(mktemp -d "$dest.tmp.XXXXXX")
  mv "$dest" "$old/broken"
  mv "$tmp" "$dest"
  chmod -R u+w "$old" 2>/dev/null || true
  rm -rf "$old"
else
  mv "$tmp" "$dest"
fi
trap - EXIT
