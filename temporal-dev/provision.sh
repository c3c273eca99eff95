#!/usr/bin/env bash
# Provisions the Temporal servers this project runs against, idempotently, into a per-user cache:
#   - the Temporal CLI (dev server + Web UI), built from its Go module;
#   - the Java time-skipping test server, resolved with Maven, behind a fast-starting wrapper.
# Writes the resolved paths to "$CACHE/servers.env", which the test harness and start scripts read.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=temporal-dev/versions.sh
source "$here/versions.sh"

cache="${REVIEW_TEMPORAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/review-orchestrator}"
mkdir -p "$cache"
started=$(date +%s)

stage() { printf '[provision] %s\n' "$*" >&2; }
fail() {
  printf '[provision] ERROR: %s\n' "$1" >&2
  shift
  for hint in "$@"; do printf '[provision]   %s\n' "$hint" >&2; done
  exit 1
}

resolve_cli() {
  if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
    [[ -x "$TEMPORAL_CLI_PATH" ]] || fail "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file" \
      "Point it at a temporal CLI binary, or unset it to build one from source."
    stage "temporal CLI: using TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH"
    echo "$TEMPORAL_CLI_PATH"
    return
  fi
  if command -v temporal >/dev/null 2>&1; then
    stage "temporal CLI: using $(command -v temporal) from PATH"
    command -v temporal
    return
  fi
  local built="$cache/temporal-cli-$TEMPORAL_CLI_VERSION/temporal"
  if [[ -x "$built" ]]; then
    stage "temporal CLI: cached $built"
    echo "$built"
    return
  fi
  if command -v go >/dev/null 2>&1; then
    stage "temporal CLI: building $TEMPORAL_CLI_MODULE@$TEMPORAL_CLI_VERSION with go install (takes a few minutes once)"
    local tmp="$cache/temporal-cli-$TEMPORAL_CLI_VERSION.partial"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    GOBIN="$tmp" GOFLAGS="${GOFLAGS:--trimpath}" CGO_ENABLED=0 go install "$TEMPORAL_CLI_MODULE@$TEMPORAL_CLI_VERSION" >&2 ||
      fail "go install $TEMPORAL_CLI_MODULE@$TEMPORAL_CLI_VERSION failed (see the output above)" \
        "Check that the Go module proxy is reachable (go env GOPROXY), or set TEMPORAL_CLI_PATH to an existing temporal binary."
    rm -rf "$cache/temporal-cli-$TEMPORAL_CLI_VERSION"
    mv "$tmp" "$cache/temporal-cli-$TEMPORAL_CLI_VERSION"
    stage "temporal CLI: built $built"
    echo "$built"
    return
  fi
  stage "temporal CLI: no Go toolchain; tests will use the SDK's own cached download (needs internet)"
  echo ""
}

resolve_test_server() {
  if [[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]]; then
    [[ -x "$TEMPORAL_TEST_SERVER_PATH" ]] || fail "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file" \
      "Point it at a time-skipping test server executable, or unset it to resolve one with Maven."
    stage "test server: using TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH"
    echo "$TEMPORAL_TEST_SERVER_PATH"
    return
  fi
  local dir="$cache/temporal-test-server-$TEMPORAL_TEST_SERVER_VERSION"
  local wrapper="$dir/temporal-test-server"
  if [[ -x "$wrapper" && -f "$dir/app.jsa" ]]; then
    stage "test server: cached $wrapper"
    echo "$wrapper"
    return
  fi
  if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
    stage "test server: java or mvn missing; tests will use the SDK's own cached download (needs internet)"
    stage "  to run offline: apt-get install -y default-jdk-headless maven"
    echo ""
    return
  fi
  stage "test server: resolving io.temporal:temporal-test-server:$TEMPORAL_TEST_SERVER_VERSION with Maven"
  local tmp="$dir.partial"
  rm -rf "$tmp"
  mkdir -p "$tmp/lib"
  sed "s/@TEST_SERVER_VERSION@/$TEMPORAL_TEST_SERVER_VERSION/" "$here/test-server-pom.xml" >"$tmp/pom.xml"
  mvn -q -B -f "$tmp/pom.xml" dependency:copy-dependencies -DoutputDirectory="$tmp/lib" -DincludeScope=runtime >&2 ||
    fail "Maven could not resolve io.temporal:temporal-test-server:$TEMPORAL_TEST_SERVER_VERSION" \
      "Check Maven's repository access (mvn -v, ~/.m2/settings.xml), or set TEMPORAL_TEST_SERVER_PATH."
  sed "s#@JAVA@#$(command -v java)#" "$here/test-server-wrapper.sh" >"$tmp/temporal-test-server"
  chmod +x "$tmp/temporal-test-server"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  stage "test server: recording a class-data-sharing archive for fast JVM start-up"
  local port
  port=$(free_port)
  TEMPORAL_TEST_SERVER_CDS_DUMP=1 "$wrapper" "$port" >"$dir/cds-dump.log" 2>&1 &
  local pid=$!
  wait_port "$port" 60 || { kill "$pid" 2>/dev/null; fail "the test server did not start; see $dir/cds-dump.log" \
    "Check that 'java -version' works (Java 17 or newer)."; }
  sleep 1
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  [[ -f "$dir/app.jsa" ]] || stage "test server: no CDS archive was written; start-up will be slower"
  stage "test server: ready $wrapper"
  echo "$wrapper"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_port() {
  local port=$1 seconds=$2 i
  for ((i = 0; i < seconds * 20; i++)); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

cli=$(resolve_cli)
test_server=$(resolve_test_server)
{
  echo "TEMPORAL_CLI=$cli"
  echo "TEMPORAL_TEST_SERVER=$test_server"
} >"$cache/servers.env"
stage "done in $(($(date +%s) - started))s; paths in $cache/servers.env"
