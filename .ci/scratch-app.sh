#!/usr/bin/env bash
# From the packed library to a user's app, as a new user would go: `cdk8s init typescript-app` (as cdk8s's getting
# started does), `npm install` of the tarball, README's quick start as main.ts, `cdk8s synth`, and the installed
# `cdk8s-dynamo` bin. Uses the npm registry (cdk8s-cli and the app's dependencies); nothing else reaches the network.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VERSION=$(node -p "require('./package.json').version")
npx projen package:js >/dev/null
TARBALL="$ROOT/dist/js/cdk8s-dynamo@$VERSION.jsii.tgz"
test -f "$TARBALL"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/llm-serving" && cd "$WORK/llm-serving"

# cdk8s init installs the app's dependencies, then imports the Kubernetes types (`cdk8s import`), which downloads a
# schema from GitHub: that last step fails on a network with only the npm registry. The quick start needs no imports,
# so that one failure is tolerated and the import dropped from cdk8s.yaml; any other failure fails the run.
if ! npx --yes cdk8s-cli@^2 init typescript-app >"$WORK/init.log" 2>&1; then
  if grep -q "Importing k8s" "$WORK/init.log" && grep -q "raw.githubusercontent.com" "$WORK/init.log" && [ -d node_modules/cdk8s ]; then
    echo "cdk8s init: the app is created; its 'cdk8s import' step could not reach GitHub (expected here), so imports/ is left out"
    sed -i '/^imports:/,$d' cdk8s.yaml
  else
    cat "$WORK/init.log"
    exit 1
  fi
fi
node -e "const p = require('./package.json'); console.log('cdk8s init installed: ' + Object.entries(p.dependencies).map(([k, v]) => k + '@' + v).join(', '))"

npm install --no-audit --no-fund "$TARBALL" >/dev/null
# One cdk8s-plus in the app: the library works with the one cdk8s init installs.
PLUS=$(find node_modules -type d -name 'cdk8s-plus-*' -path '*node_modules/cdk8s-plus-*' -prune | sort)
echo "cdk8s-plus copies in the app: $PLUS"
[ "$PLUS" = "node_modules/cdk8s-plus-33" ] || { echo "expected exactly node_modules/cdk8s-plus-33"; exit 1; }

# README's quick start (its first TypeScript block) is the app.
node -e "
const readme = require('fs').readFileSync('$ROOT/README.md', 'utf8');
process.stdout.write(/^\`\`\`ts\n([\s\S]*?)^\`\`\`/m.exec(readme)[1]);
" > main.ts
rm -f main.test.ts
npx cdk8s synth
ls dist
grep -q '^kind: DynamoGraphDeployment$' dist/qwen.k8s.yaml
grep -q '^kind: PersistentVolumeClaim$' dist/qwen.k8s.yaml

[ "$(npx cdk8s-dynamo --version)" = "$VERSION" ]
npx cdk8s-dynamo plan --model Qwen/Qwen3-32B --gpu h200_sxm --total-gpus 8 | tee "$WORK/plan.txt"
grep -q '^chosen: ' "$WORK/plan.txt"
npx cdk8s-dynamo plan --model Qwen/Qwen3-32B --gpu h200_sxm --total-gpus 8 --html "$WORK/plan.html" --format csv >/dev/null
grep -q 'class="front-point"' "$WORK/plan.html"
echo "scratch app: cdk8s synth of README's quick start and the installed cdk8s-dynamo plan work from the tarball"
