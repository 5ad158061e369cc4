#!/usr/bin/env bash
# Regenerates the trained scale heads in packages/embeddings/heads/hashing-384 from a LoCoMo file:
# export features (node) -> train with leave-one-conversation-out cross-validation (torch) -> plain
# float32 weight files (the default heads) + the same heads as ONNX in test-models/hashing-384 (for
# the ONNX path's tests).
# Everything derived from LoCoMo (features, per-fold heads) stays in --work, outside the repository.
#
#   bash tools/train/scale-heads/train.sh --data path/to/locomo10.json [--work /tmp/neuromem-scale-heads]
#                                         [--python /usr/bin/python3] [extra train_scale_heads.py flags]
set -euo pipefail

WORK="${TMPDIR:-/tmp}/neuromem-scale-heads"
USAGE="bash tools/train/scale-heads/train.sh --data path/to/locomo10.json [--work dir] [--python python3]"
source "$(dirname "${BASH_SOURCE[0]}")/../train-args.sh"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$ROOT"
mkdir -p "$WORK"

# Bundled from source (core aliased to its src), so no build of the workspace packages is needed.
npx esbuild tools/train/scale-heads/export-features.ts --bundle --platform=node --format=esm --target=node20 \
  --alias:@neuromem/core=./packages/core/src/index.ts --outfile="$WORK/export-features.mjs" --log-level=warning
node "$WORK/export-features.mjs" --data "$DATA" --out "$WORK/features"

"$PYTHON" tools/train/scale-heads/train_scale_heads.py --features "$WORK/features" --cv-out "$WORK" \
  --artifacts packages/embeddings/heads/hashing-384 --onnx-out packages/embeddings/test-models/hashing-384 "${EXTRA[@]}"
# The tiny known-weights heads the TypeScript tests check exact outputs against (no data involved).
"$PYTHON" tools/train/scale-heads/train_scale_heads.py --test-model packages/embeddings/test-models/linear-4x3
