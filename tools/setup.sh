#!/usr/bin/env bash
# Installs what siteplan needs on Debian 12 when it is missing: GEOS, PROJ, GDAL/OGR, SQLite, libpq, OpenSSL libcrypto (scrypt and SHA-256 for accounts), Cairo
# and librsvg (C APIs; Cairo and librsvg draw the PDF sheet, with the DejaVu fonts), pkg-config, Leaflet (libjs-leaflet, for `siteplan serve`), and PostgreSQL 15 with
# PostGIS 3 (the PostGIS store's tests run a throwaway cluster: tools/pg_test_cluster.sh). Swift itself (6.0 or later)
# must already be on PATH.
# Usage: tools/setup.sh [--static] [extra Debian packages...]
#   --static  then builds a self-contained release binary (Swift runtime and Foundation linked
#             in: swift build -c release --static-swift-stdlib, the Khojaly scenario embedded)
#             and prints where it is; it still loads the system's GEOS, PROJ and SQLite.
set -euo pipefail

static=0
if [ "${1:-}" = "--static" ]; then static=1; shift; fi

packages=(libgeos-dev libproj-dev libgdal-dev libsqlite3-dev libpq-dev libssl-dev libcairo2-dev librsvg2-dev fonts-dejavu-core pkg-config libjs-leaflet postgresql-15 postgresql-15-postgis-3 "$@")
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
pkg-config --exists geos proj gdal sqlite3 libpq libcrypto cairo-pdf librsvg-2.0 || { echo "setup: pkg-config cannot find geos, proj, gdal, sqlite3, libpq, libcrypto, cairo-pdf and librsvg-2.0 after the install" >&2; exit 1; }
echo "setup: GEOS $(pkg-config --modversion geos), PROJ $(pkg-config --modversion proj), GDAL $(pkg-config --modversion gdal), SQLite $(pkg-config --modversion sqlite3), libpq $(pkg-config --modversion libpq), OpenSSL libcrypto $(pkg-config --modversion libcrypto), Cairo $(pkg-config --modversion cairo), librsvg $(pkg-config --modversion librsvg-2.0), $(swift --version 2>/dev/null | head -n 1)" >&2

if [ "$static" = 1 ]; then
  cd "$(dirname "$0")/.."
  echo "setup: building a self-contained siteplan (swift build -c release --static-swift-stdlib)" >&2
  swift build -c release --static-swift-stdlib --product siteplan >&2
  binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/siteplan"
  echo "setup: $("$binary" --version)" >&2
  echo "setup: self-contained binary: $binary (copy it anywhere; it needs only the system's libgeos, libproj, libgdal and libsqlite3)" >&2
  echo "$binary"
fi
