#!/usr/bin/env bash
# Packs the publishable packages, installs the tarballs into an empty folder (as a user would from
# the registry) and runs the README quick start there. Needs a prior `npm run build`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for pkg in core embeddings store neuromem; do
  (cd "$root/packages/$pkg" && npm pack --silent --pack-destination "$work" >/dev/null)
done
cd "$work"
npm init -y >/dev/null
# onnxruntime-node (scale heads) would fetch CUDA files from outside the npm registry: skip them, as the repo does.
cp "$root/.npmrc" .npmrc
npm pkg set type=module
npm install --no-audit --no-fund ./neuromem-core-0.1.0.tgz ./neuromem-embeddings-0.1.0.tgz ./neuromem-store-0.1.0.tgz ./neuromem-0.1.0.tgz

# The quick start, verbatim from the root README.
sed -n '/^## Quick start/,/^```$/{/^```ts$/,/^```$/p}' "$root/README.md" | sed '1d;$d' > quickstart.mjs
cat quickstart.mjs
node quickstart.mjs
npx neuromem --db ./cli-db add "packed and installed" --user smoke >/dev/null
npx neuromem --db ./cli-db search "installed" --user smoke --json | grep -q '"packed and installed"'
echo "pack smoke test passed in $work"
