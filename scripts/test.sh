#!/usr/bin/env bash
# The test command: fetch MNIST if missing (the end-to-end tests use it), then build and run every test.
# Extra arguments go to Maven, e.g.  scripts/test.sh -pl core -Dtest=SeedParityTest
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export SPARK_LOCAL_IP=127.0.0.1
scripts/fetch-mnist.sh
exec mvn -B verify "$@"
