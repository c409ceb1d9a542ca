#!/usr/bin/env bash
# Installs what siteplan needs on Debian 12 when it is missing: GEOS, PROJ and SQLite (C APIs),
# pkg-config, and Leaflet (libjs-leaflet, for `siteplan serve`). Swift itself (6.0 or later)
# must already be on PATH.
# Usage: tools/setup.sh [extra Debian packages...]
set -euo pipefail

packages=(libgeos-dev libproj-dev libsqlite3-dev pkg-config libjs-leaflet "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6.0 or later is needed: https://swift.org/install)" >&2; exit 1; }
pkg-config --exists geos proj sqlite3 || { echo "setup: pkg-config cannot find geos, proj and sqlite3 after the install" >&2; exit 1; }
echo "setup: GEOS $(pkg-config --modversion geos), PROJ $(pkg-config --modversion proj), SQLite $(pkg-config --modversion sqlite3), $(swift --version 2>/dev/null | head -n 1)" >&2
