#!/usr/bin/env bash
# Re-fetch the vendored browser assets from the npm registry (`make vendor`).
# Versions must match src/coursekit/sphinx/offline.py; see README.md beside this file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/static/coursekit-vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent @jupyter-widgets/html-manager@1.0.15 requirejs@2.3.8 mathjax@3.2.2 >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
hm=jupyter-widgets-html-manager-1.0.15/package
rm -rf "$dest/requirejs-2.3.8" "$dest/html-manager-1.0.15" "$dest/mathjax-3.2.2"
mkdir -p "$dest/requirejs-2.3.8" "$dest/html-manager-1.0.15" "$dest/mathjax-3.2.2"
cp requirejs-2.3.8/package/require.js "$dest/requirejs-2.3.8/"
# embed-amd.js plus the Font Awesome fonts it loads (woff2, woff fallback)
cp "$hm/dist/embed-amd.js" "$hm"/dist/*.woff2 "$hm"/dist/*.woff "$dest/html-manager-1.0.15/"
cp "$hm/dist/embed.js.LICENSE.txt" "$dest/html-manager-1.0.15/THIRD-PARTY-LICENSES.txt"
cp mathjax-3.2.2/package/es5/tex-svg-full.js "$dest/mathjax-3.2.2/"
cp mathjax-3.2.2/package/LICENSE "$dest/mathjax-3.2.2/LICENSE"
echo "vendored assets refreshed in $dest"
