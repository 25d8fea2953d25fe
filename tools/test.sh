#!/usr/bin/env bash
# Sets up and runs the whole test suite, on a fresh Debian or Ubuntu machine
# as on one already set up: installs what the tests need when it is missing
# (Debian's IPADIC sources for Japanese; Chromium, Node.js and npm for the
# browser test; the browser test's locked npm modules; Java 17 and Maven for
# the OpenSearch test cluster), then runs
# `cargo test`. Arguments are passed to `cargo test`.
#
#   tools/test.sh
#   tools/test.sh --test it errors
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -f /usr/share/mecab/dic/ipadic/matrix.def ] || missing+=(mecab-ipadic)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# The OpenSearch tests start a cluster from Maven Central's jars on Java 17.
java -version 2>&1 | grep -q 'version "17' || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
  echo "== installing the browser test's npm modules"
  npm ci --prefix tests/browser --no-audit --no-fund
fi

cargo test "$@"
