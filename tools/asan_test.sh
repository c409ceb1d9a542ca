#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer (with LeakSanitizer), in its own build folder.
# Usage: tools/asan_test.sh [extra swift test arguments, e.g. --filter SiteGeometryTests]
# The first build takes several minutes (every package, instrumented).
set -euo pipefail
cd "$(dirname "$0")/.."
# Memory errors are fatal everywhere. Leaks are checked in every siteplan process the tests run
# (CLIRunner hands them SITEPLAN_CHILD_ASAN_OPTIONS), not at the exit of the XCTest process:
# swift-corelibs-xctest keeps every test-case instance, its properties and its teardown blocks
# for the life of the run, so its exit report is XCTest's retention, not siteplan's. (Leaks of
# library code called in-process are covered only through those siteplan runs.)
export ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}"
export SITEPLAN_CHILD_ASAN_OPTIONS="detect_leaks=1"
# tools/lsan.supp lists the leaks that are not ours, each with the reason.
export LSAN_OPTIONS="suppressions=$PWD/tools/lsan.supp:print_suppressions=1:${LSAN_OPTIONS:-}"
swift test --sanitize=address --scratch-path .build-asan "$@"
