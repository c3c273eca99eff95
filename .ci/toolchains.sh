#!/usr/bin/env bash
# Installs the toolchains that provisioning needs when a machine lacks them: Java + Maven for the
# time-skipping test server, Go for the Temporal CLI (Go fetches a newer toolchain itself if needed),
# Chromium for the Web UI test.
set -euo pipefail
missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ((${#missing[@]})); then
  echo "[ci] installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
