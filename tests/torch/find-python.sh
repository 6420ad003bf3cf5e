#!/usr/bin/env bash
# find-python.sh — prints the path of a python3 that can `import torch`, or
# fails with one line on stderr.  Tried in order: $GRADLAB_PYTHON (only it,
# when set), python3 on PATH, /usr/bin/python3 — Debian's python3-torch
# installs into the system python, which a pyenv or venv python3 on PATH hides.
set -u
try() { "$1" -c 'import torch, numpy' >/dev/null 2>&1 && command -v "$1"; }
if [ -n "${GRADLAB_PYTHON:-}" ]; then
  try "$GRADLAB_PYTHON" && exit 0
  echo "find-python.sh: GRADLAB_PYTHON=$GRADLAB_PYTHON cannot import torch and numpy" >&2
  exit 1
fi
for py in python3 /usr/bin/python3; do
  try "$py" && exit 0
done
echo "find-python.sh: no python3 can import torch (tried python3 on PATH and /usr/bin/python3); install it: apt-get install -y python3-torch" >&2
exit 1
