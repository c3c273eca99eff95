#!/usr/bin/env bash
# Runs the Java time-skipping test server as "<this script> <port>", the way the Temporal SDK starts it.
# Start-up must beat the SDK's ~5 s connect deadline on a busy machine, hence the class-data-sharing
# archive (recorded once by provision.sh), C1-only compilation and the serial collector.
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
classpath=$(printf '%s:' "$dir"/lib/*.jar)
if [[ -n "${TEMPORAL_TEST_SERVER_CDS_DUMP:-}" ]]; then
  cds=(-XX:ArchiveClassesAtExit="$dir/app.jsa")
elif [[ -f "$dir/app.jsa" ]]; then
  cds=(-XX:SharedArchiveFile="$dir/app.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
else
  cds=()
fi
exec "@JAVA@" "${cds[@]}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xlog:disable -Xlog:all=off \
  -cp "$classpath" io.temporal.testserver.TestServer "$@"
