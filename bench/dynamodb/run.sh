#!/usr/bin/env bash
# DynamoDB benchmark: Terrarium, dynalite 4.0.0 (npm) and moto_server side by side, one after the other in one run,
# the same SDK v2 client and workloads against each. Usage: bench/dynamodb/run.sh [seconds-per-workload] [threads]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER=${1:-5}
THREADS=${2:-8}
PEERS=bench/.peers
OUT=bench/dynamodb/results
mkdir -p "$OUT" "$PEERS/dynalite"

if [ ! -x "$PEERS/dynalite/node_modules/.bin/dynalite" ]; then
  (cd "$PEERS/dynalite" && npm install --no-audit --no-fund dynalite@4.0.0 >/dev/null)
fi
mvn -q -o -pl terrarium-server -am compile -DskipTests
mvn -q -o -pl terrarium-server dependency:build-classpath -Dmdep.excludeGroupIds=dev.terrarium -Dmdep.outputFile="$PWD/$OUT/server.cp" >/dev/null
mvn -q -o -pl terrarium-services dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$OUT/client.cp" >/dev/null
SERVER_CP="terrarium-core/target/classes:terrarium-services/target/classes:terrarium-server/target/classes:$(cat $OUT/server.cp)"
CLIENT_CP="$(cat $OUT/client.cp)"

wait_port() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
bench() { java -Xss512k -cp "$CLIENT_CP" bench/dynamodb/DynamoDbBench.java "$1" "$2" "$SECONDS_PER" "$THREADS" | tee -a "$OUT/latest.txt"; }
: > "$OUT/latest.txt"

java -XX:+UseSerialGC -cp "$SERVER_CP" dev.terrarium.server.Main --port 47566 --log-level warn > "$OUT/terrarium.log" 2>&1 &
PID=$!; wait_port 47566; bench terrarium http://127.0.0.1:47566; kill $PID; wait $PID 2>/dev/null || true

"$PEERS/dynalite/node_modules/.bin/dynalite" --port 47598 > "$OUT/dynalite.log" 2>&1 &
PID=$!; wait_port 47598; bench dynalite http://127.0.0.1:47598; kill $PID; wait $PID 2>/dev/null || true

moto_server -p 47599 > "$OUT/moto.log" 2>&1 &
PID=$!; wait_port 47599; bench moto http://127.0.0.1:47599; kill $PID; wait $PID 2>/dev/null || true

python3 - "$OUT/latest.txt" <<'PY' | tee -a "$OUT/summary.txt"
import sys, collections
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) >= 4 and p[1] in ("put", "get", "query", "batch"):
        rows[p[1] + " (" + p[3] + ")"][p[0]] = float(p[2])
print("| workload | terrarium | dynalite | moto | terrarium/dynalite | terrarium/moto |")
print("|---|---:|---:|---:|---:|---:|")
ratio = lambda a, b: f"{a / b:.2f}x" if a and b else "-"
for w, r in rows.items():
    t, d, m = r.get("terrarium", 0), r.get("dynalite", 0), r.get("moto", 0)
    print(f"| {w} | {t:.0f} | {d:.0f} | {m:.0f} | {ratio(t, d)} | {ratio(t, m)} |")
PY
