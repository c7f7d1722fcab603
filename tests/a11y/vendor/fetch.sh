#!/usr/bin/env bash
# Re-fetch axe-core from the npm registry into tests/a11y/vendor/axe-core-<version>/.
set -euo pipefail
version="${1:?usage: fetch.sh <axe-core version>}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$version" >/dev/null && tar xzf "axe-core-$version.tgz")
dest="$here/axe-core-$version"
mkdir -p "$dest"
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$tmp/package/LICENSE-3RD-PARTY.txt" "$dest/"
sha256sum "$dest/axe.min.js"
