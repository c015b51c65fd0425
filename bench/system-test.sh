#!/usr/bin/env bash
# The system test (issue #10) with a chosen profile: `ci` is the short run `mvn -B verify` includes,
# `long` the by-hand run (10 minutes of load at 10 orders/s with the same faults, wider apart; about 12 minutes in all).
# It starts the platform itself (bin/platform, state under system-tests/target/system-test/platform,
# databases suffixed _systest), so no platform may be running on the standard ports.
# Usage: bench/system-test.sh [ci|long]   -> system-tests/target/system-test/report.md
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
profile=${1:-long}
mvn -B -q -Dstyle.color=never -DskipTests package
mvn -B -Dstyle.color=never verify -pl system-tests -Dsystem-test.profile="$profile"
echo "report: system-tests/target/system-test/report.md"
