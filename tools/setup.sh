#!/usr/bin/env bash
# Installs what siteplan needs on Debian 12 when it is missing: GEOS and PROJ (C APIs) and
# pkg-config. Swift itself (6.0 or later) must already be on PATH.
# Usage: tools/setup.sh [extra Debian packages...]
set -euo pipefail

packages=(libgeos-dev libproj-dev pkg-config "$@")
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
pkg-config --exists geos proj || { echo "setup: pkg-config cannot find geos and proj after the install" >&2; exit 1; }
echo "setup: GEOS $(pkg-config --modversion geos), PROJ $(pkg-config --modversion proj), $(swift --version 2>/dev/null | head -n 1)" >&2
