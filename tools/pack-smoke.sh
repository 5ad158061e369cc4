#!/usr/bin/env bash
# Packs neuromem and the workspace packages it depends on, installs the tarballs into an empty
# folder with no .npmrc (as a user would from the registry), prints the install time and the size of
# node_modules, and runs the README quick start there. Needs a prior `npm run build`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# neuromem's workspace dependencies, followed transitively through each package.json.
packages=$(node --input-type=module -e '
  import { readFileSync, readdirSync } from "node:fs";
  const root = process.argv[1];
  const dirs = new Map(readdirSync(`${root}/packages`).map((dir) => [JSON.parse(readFileSync(`${root}/packages/${dir}/package.json`, "utf8")).name, dir]));
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name) || !dirs.has(name)) return;
    seen.add(name);
    const manifest = JSON.parse(readFileSync(`${root}/packages/${dirs.get(name)}/package.json`, "utf8"));
    Object.keys(manifest.dependencies ?? {}).forEach(visit);
  };
  visit("neuromem");
  console.log([...seen].map((name) => dirs.get(name)).join(" "));
' "$root")
tarballs=()
for pkg in $packages; do
  tarballs+=("$work/$(cd "$root/packages/$pkg" && npm pack --silent --pack-destination "$work" | tail -1)")
done
cd "$work"
npm init -y >/dev/null
npm pkg set type=module
# No .npmrc: nothing on the default path may need one (onnxruntime-node is an optional peer, not installed).
started=$(date +%s%N)
npm install --no-audit --no-fund "${tarballs[@]}"
ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "packed: $packages"
echo "npm install: $((ms / 1000)).$(( (ms % 1000) / 100 )) s; node_modules: $(du -sm node_modules | cut -f1) MB; largest:"
du -sm node_modules/* | sort -n | tail -5
test ! -e node_modules/onnxruntime-node

# The quick start, verbatim from the root README.
sed -n '/^## Quick start/,/^```$/{/^```ts$/,/^```$/p}' "$root/README.md" | sed '1d;$d' > quickstart.mjs
cat quickstart.mjs
node quickstart.mjs
npx neuromem --db ./cli-db add "packed and installed" --user smoke >/dev/null
npx neuromem --db ./cli-db search "installed" --user smoke --json | grep -q '"packed and installed"'
# The ONNX path, without its optional peer, says what to install.
node -e '
  import("@neuromem/embeddings").then(({ createOnnxScaleHeads }) => createOnnxScaleHeads({ directory: "." })).then(
    () => process.exit(1),
    (error) => { if (error.code !== "NOT_FOUND" || !error.message.includes("npm install onnxruntime-node")) throw error; },
  );'
echo "pack smoke test passed in $work"
