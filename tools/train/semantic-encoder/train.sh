#!/usr/bin/env bash
# Trains the semantic encoder shipped in packages/embeddings/lexicon/semantic-model.json:
# export pairs (node) -> leave-one-conversation-out cross-validation + final model (torch).
# Everything derived from LoCoMo (pairs, per-fold models) stays in --work, outside the repository.
#
#   bash tools/train/semantic-encoder/train.sh --data path/to/locomo10-dev.json [--work dir]
#                                              [--python /usr/bin/python3] [extra train_semantic_encoder.py flags]
# With --distill <weight>, a teacher (Universal Sentence Encoder lite, TensorFlow.js, installed into
# ~/.cache/neuromem/teacher on first use, ~340 MB) embeds 40,000 texts first (~7 min on 2 cores).
set -euo pipefail
WORK="${TMPDIR:-/tmp}/neuromem-semantic-encoder"
USAGE="bash tools/train/semantic-encoder/train.sh --data path/to/locomo10-dev.json [--work dir] [--python python3]"
source "$(dirname "${BASH_SOURCE[0]}")/../train-args.sh"
if [[ ! -f /usr/share/wordnet/data.noun ]]; then
  echo "WordNet data not found: install it with 'apt-get install wordnet-base' (Debian/Ubuntu)." >&2
  exit 1
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$ROOT"
mkdir -p "$WORK"
npx --no-install esbuild tools/train/semantic-encoder/export-pairs.ts --bundle --platform=node --format=esm --target=node20 \
  --alias:@neuromem/core=./packages/core/src/index.ts --outfile="$WORK/export-pairs.mjs" --log-level=warning \
  --banner:js="import { createRequire } from 'module'; const require = createRequire(import.meta.url);" \
  --define:__dirname="\"$ROOT/packages/embeddings/src\""
node "$WORK/export-pairs.mjs" --data "$DATA" --out "$WORK/pairs"
if [[ " ${EXTRA[*]} " == *" --distill "* ]]; then
  source tools/teacher/install-teacher.sh
  node tools/teacher/teacher-vectors.mjs --pairs "$WORK/pairs" --modules "$TEACHER_MODULES"
fi
"$PYTHON" tools/train/semantic-encoder/train_semantic_encoder.py --pairs "$WORK/pairs" --work "$WORK" \
  --out packages/embeddings/lexicon/semantic-model.json "${EXTRA[@]}"
