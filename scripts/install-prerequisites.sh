#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK and Node: Debian's chromium for the browser tests.
# Playwright's own browser download cannot work here (no internet), so the tests drive /usr/bin/chromium.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version
