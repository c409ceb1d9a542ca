#!/usr/bin/env bash
# Creates the venv for the distributed audit (dask.distributed, pinned in
# distributed/requirements.txt) in $DISTRIBUTED_VENV (default: <repo>/.venv-distributed), unless
# it already has those exact packages; with WITH_TEST_DEPS=1 also distributed/requirements-test.txt
# (what the tests' data generator needs). Needs python3 with venv and PyPI. Prints the venv's path.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
VENV=${DISTRIBUTED_VENV:-$REPO/.venv-distributed}
REQ=("$REPO/distributed/requirements.txt")
[ "${WITH_TEST_DEPS:-0}" = 1 ] && REQ+=("$REPO/distributed/requirements-test.txt")
want=$(cat "${REQ[@]}")
# Already there: the same files installed (the test set includes the plain one).
if [ -x "$VENV/bin/python" ] && [ -f "$VENV/.requirements.txt" ] && { [ "$(cat "$VENV/.requirements.txt")" = "$want" ] ||
    { [ "${#REQ[@]}" = 1 ] && [ "$(head -c ${#want} "$VENV/.requirements.txt")" = "$want" ]; }; }; then
    echo "$VENV"; exit 0
fi
rm -rf "$VENV"
python3 -m venv "$VENV" >&2
args=(); for r in "${REQ[@]}"; do args+=(-r "$r"); done
"$VENV/bin/pip" install -q --disable-pip-version-check "${args[@]}" >&2
printf '%s' "$want" > "$VENV/.requirements.txt"
echo "$VENV"
