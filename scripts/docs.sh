#!/usr/bin/env bash
# Regenerate docs/cli.md, the command-line reference, from the picocli model (io.shardprop.job.CliReference):
# builds the jar if needed, then writes the file atomically. CliReferenceTest fails while docs/cli.md differs
# from what this writes. Usage: scripts/docs.sh [FILE]   (default docs/cli.md)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

file=${1:-$ROOT/docs/cli.md}
ensure_built
"$JAVA" -cp "$JAR:$(spark_classpath)" io.shardprop.job.CliReference "$file"
say "wrote ${file#"$ROOT"/}"
