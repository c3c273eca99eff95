#!/usr/bin/env bash
# Starts the time-skipping test server wrapper N times (default 20) while another process keeps a core busy,
# and reports how long each start took to accept connections. The SDK gives it about 5 seconds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${REVIEW_TEMPORAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/review-orchestrator}"
# shellcheck disable=SC1091
source "$cache/servers.env"
wrapper="${TEMPORAL_TEST_SERVER_PATH:-$TEMPORAL_TEST_SERVER}"
[[ -x "$wrapper" ]] || { echo "no test server provisioned: run npm run temporal:provision" >&2; exit 1; }
runs="${1:-20}"
limit_ms=5000
node -e 'const end=Date.now()+600000; while(Date.now()<end){}' &
burner=$!
trap 'kill $burner 2>/dev/null || true' EXIT
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
worst=0 failures=0
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s%N)
  "$wrapper" "$port" >/dev/null 2>&1 &
  pid=$!
  until (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    sleep 0.02
    (( ($(date +%s%N) - start) / 1000000 > 15000 )) && break
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  (( ms > worst )) && worst=$ms
  (( ms > limit_ms )) && failures=$((failures + 1))
  echo "start $i: ${ms} ms"
done
echo "$runs starts with one core busy: worst ${worst} ms, ${failures} over ${limit_ms} ms"
(( failures == 0 ))
