#!/usr/bin/env bash
# Creates the venv for the distributed audit (dask.distributed, pinned in
# distributed/requirements.txt) in $DISTRIBUTED_VENV (default: <repo>/.venv-distributed), unless
# it already has those exact packages. Needs python3 with venv and PyPI. Prints the venv's path.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
VENV=${DISTRIBUTED_VENV:-$REPO/.venv-distributed}
want=$(cat "$REPO/distributed/requirements.txt")
# Already there: exactly that file installed. (A venv with more, such as numpy from an older
# setup's test packages, is made again: dask imports numpy when it finds it, ~0.2 s per process.)
if [ -x "$VENV/bin/python" ] && [ -f "$VENV/.requirements.txt" ] && [ "$(cat "$VENV/.requirements.txt")" = "$want" ]; then
    echo "$VENV"; exit 0
fi
rm -rf "$VENV"
python3 -m venv "$VENV" >&2
"$VENV/bin/pip" install -q --disable-pip-version-check -r "$REPO/distributed/requirements.txt" >&2
printf '%s' "$want" > "$VENV/.requirements.txt"
echo "$VENV"
