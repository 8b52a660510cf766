#!/usr/bin/env bash
# S3 benchmark: Terrarium, S3Mock 5.2.0 (if its jar can be fetched) and moto_server side by side, one after the other
# in one run, the same SDK v2 client and workloads against each.
# Usage: bench/s3/run.sh [seconds-per-workload] [threads] [list-keys] [large-object-MiB]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER=${1:-5}
THREADS=${2:-8}
KEYS=${3:-10000}
LARGE=${4:-256}
OUT=bench/s3/results
mkdir -p "$OUT"
S3MOCK_JAR="$HOME/.m2/repository/com/adobe/testing/s3mock/5.2.0/s3mock-5.2.0-exec.jar"
if [ ! -f "$S3MOCK_JAR" ]; then
  mvn -q dependency:get -Dartifact=com.adobe.testing:s3mock:5.2.0:jar:exec -Dtransitive=false || true
fi
mvn -q -o -pl terrarium-server -am compile -DskipTests
mvn -q -o -pl terrarium-server dependency:build-classpath -Dmdep.excludeGroupIds=dev.terrarium -Dmdep.outputFile="$PWD/$OUT/server.cp" >/dev/null
mvn -q -o -pl terrarium-services dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$OUT/client.cp" >/dev/null
SERVER_CP="terrarium-core/target/classes:terrarium-services/target/classes:terrarium-server/target/classes:$(cat $OUT/server.cp)"
CLIENT_CP="$(cat $OUT/client.cp)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
T_PORT=$(free_port); S_PORT=$(free_port); S_HTTPS=$(free_port); M_PORT=$(free_port)
wait_port() { for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
bench() { java -Xss512k -cp "$CLIENT_CP" bench/s3/S3Bench.java "$1" "$2" "$SECONDS_PER" "$THREADS" "$KEYS" "$LARGE" | tee -a "$OUT/latest.txt" || echo "$1 failed" >&2; }
# peak RSS of a process (VmHWM), MiB
peak() { awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$1/status; }
: > "$OUT/latest.txt"

java -XX:+UseSerialGC -Xmx256m -cp "$SERVER_CP" dev.terrarium.server.Main --port $T_PORT --log-level warn > "$OUT/terrarium.log" 2>&1 &
PID=$!; wait_port $T_PORT; bench terrarium http://127.0.0.1:$T_PORT; echo "terrarium peakrss $(peak $PID) MiB" | tee -a "$OUT/latest.txt"
kill $PID; wait $PID 2>/dev/null || true

if [ -f "$S3MOCK_JAR" ]; then
  java -Xmx1g -jar "$S3MOCK_JAR" --http.port=$S_PORT --server.port=$S_HTTPS \
    --com.adobe.testing.s3mock.store.root="$PWD/$OUT/s3mock-root" > "$OUT/s3mock.log" 2>&1 &
  PID=$!; wait_port $S_PORT; sleep 1; bench s3mock http://127.0.0.1:$S_PORT; echo "s3mock peakrss $(peak $PID) MiB" | tee -a "$OUT/latest.txt"
  kill $PID; wait $PID 2>/dev/null || true
  rm -rf "$OUT/s3mock-root"
fi

moto_server -p $M_PORT > "$OUT/moto.log" 2>&1 &
PID=$!; wait_port $M_PORT; bench moto http://127.0.0.1:$M_PORT; kill $PID; wait $PID 2>/dev/null || true

python3 - "$OUT/latest.txt" <<'PY'
import sys, collections
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) >= 3 and p[1] not in ("peakrss",):
        rows[p[1]][p[0]] = float(p[2])
ratio = lambda a, b: f"{a / b:.2f}x" if a and b else "-"
print("| workload | terrarium | s3mock | moto | terrarium/s3mock | terrarium/moto |")
print("|---|---|---|---|---|---|")
for w, r in rows.items():
    t, s, m = r.get("terrarium", 0), r.get("s3mock", 0), r.get("moto", 0)
    print(f"| {w} | {t:.1f} | {s:.1f} | {m:.1f} | {ratio(t, s)} | {ratio(t, m)} |")
PY
