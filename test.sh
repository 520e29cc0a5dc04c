#!/usr/bin/env bash
# Runs every test suite of the repository and ends with one line: "N passed, N failed".
#   .NET:  library, emulator, web host (WebApplicationFactory on a real port, Playwright in Debian's chromium),
#          admin console
#   React: Vitest + Testing Library in samples/ReactClient
# Installs what it needs first: Debian's chromium (Playwright's own browser download cannot work offline) and
# postgresql (the shared-accounts tests start their own throwaway server from its binaries), NuGet packages by
# restore, the client's npm packages by npm ci.
set -uo pipefail
cd "$(dirname "$0")"
results=$(mktemp -d)
passed=0
failed=0

log() { printf '\n== %s\n' "$*"; }

sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
apt_updated=""
apt_install() {  # apt_install PACKAGE WHAT-FAILS
  [ -n "$apt_updated" ] || { $sudo_cmd apt-get update -qq && apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$1" >/dev/null \
    || echo "test.sh: could not install $1; $2 will fail" >&2
}

if [ ! -x /usr/bin/chromium ]; then
  log "installing Debian's chromium for the browser tests"
  apt_install chromium "the browser tests"
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "installing Debian's postgresql for the shared-accounts tests"
  apt_install postgresql "the PostgreSQL tests"
fi

if [ -f samples/ReactClient/package.json ]; then
  log "React client (npm ci, Vitest)"
  (cd samples/ReactClient && npm ci --no-audit --no-fund >/dev/null && npx vitest run --reporter=default --reporter=json --outputFile="$results/vitest.json") || true
fi
if [ ! -f samples/ReactClient/package.json ]; then
  :
elif [ -f "$results/vitest.json" ]; then
  # Failed tests, plus any test file that failed before a test of it ran (an import error): counted once each.
  read -r p f < <(node -e 'const r=require(process.argv[1]);const broken=r.testResults.filter(t=>t.status==="failed"&&t.assertionResults.length===0).length;console.log(r.numPassedTests, r.numFailedTests + broken)' "$results/vitest.json")
  passed=$((passed + p)); failed=$((failed + f))
else
  echo "test.sh: Vitest produced no report" >&2; failed=$((failed + 1))
fi

log ".NET (build, then every test project)"
if dotnet build Twilio.ChatRooms.sln -c Release -nologo -v quiet -clp:ErrorsOnly; then
  dotnet test --solution Twilio.ChatRooms.sln -c Release --no-build 2>&1 | tee "$results/dotnet.txt"
  succeeded=$(grep -E '^\s*succeeded: [0-9]+' "$results/dotnet.txt" | tail -n 1 | grep -oE '[0-9]+' || true)
  dfailed=$(grep -E '^\s*failed: [0-9]+' "$results/dotnet.txt" | tail -n 1 | grep -oE '[0-9]+' || true)
  if [ -z "$succeeded" ]; then
    echo "test.sh: dotnet test printed no summary" >&2; failed=$((failed + 1))
  else
    passed=$((passed + succeeded)); failed=$((failed + ${dfailed:-0}))
  fi
else
  echo "test.sh: the .NET build failed" >&2; failed=$((failed + 1))
fi

rm -rf "$results"
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
