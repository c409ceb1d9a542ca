#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer (with LeakSanitizer), in its own build folder.
# Usage: tools/asan_test.sh [extra swift test arguments, e.g. --filter SiteGeometryTests]
# The first build takes several minutes (every package, instrumented).
set -euo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
# tools/lsan.supp lists the leaks that are not ours, each with the reason.
export LSAN_OPTIONS="suppressions=$PWD/tools/lsan.supp:print_suppressions=1:${LSAN_OPTIONS:-}"
swift test --sanitize=address --scratch-path .build-asan "$@"
