#!/usr/bin/env bash
# SQS benchmark: Terrarium, ElasticMQ 1.7.1 and moto_server side by side, one after the other in one run,
# the same SDK v2 client and workloads against each. Usage: bench/sqs/run.sh [seconds-per-workload] [threads]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER=${1:-5}
THREADS=${2:-8}
PEERS=bench/.peers
OUT=bench/sqs/results
mkdir -p "$OUT" "$PEERS"

if [ ! -d "$PEERS/elasticmq" ]; then
  mvn -q -f bench/sqs/elasticmq-pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/$PEERS/elasticmq"
fi
mvn -q -o -pl terrarium-server -am compile -DskipTests
mvn -q -o -pl terrarium-server dependency:build-classpath -Dmdep.excludeGroupIds=dev.terrarium -Dmdep.outputFile="$PWD/$OUT/server.cp" >/dev/null
mvn -q -o -pl terrarium-services dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$OUT/client.cp" >/dev/null
SERVER_CP="terrarium-core/target/classes:terrarium-services/target/classes:terrarium-server/target/classes:$(cat $OUT/server.cp)"
CLIENT_CP="$(cat $OUT/client.cp)"

wait_port() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
bench() { java -Xss512k -cp "$CLIENT_CP" bench/sqs/SqsBench.java "$1" "$2" "$SECONDS_PER" "$THREADS" | tee -a "$OUT/latest.txt"; }
: > "$OUT/latest.txt"

java -XX:+UseSerialGC -cp "$SERVER_CP" dev.terrarium.server.Main --port 4599 --log-level warn > "$OUT/terrarium.log" 2>&1 &
PID=$!; wait_port 4599; bench terrarium http://127.0.0.1:4599; kill $PID; wait $PID 2>/dev/null || true

java -Drest-sqs.bind-port=9399 -Dnode-address.port=9399 -Drest-stats.enabled=false -cp "$PEERS/elasticmq/*" \
  org.elasticmq.server.Main > "$OUT/elasticmq.log" 2>&1 &
PID=$!; wait_port 9399; bench elasticmq http://127.0.0.1:9399; kill $PID; wait $PID 2>/dev/null || true

moto_server -p 5099 > "$OUT/moto.log" 2>&1 &
PID=$!; wait_port 5099; bench moto http://127.0.0.1:5099; kill $PID; wait $PID 2>/dev/null || true

python3 - "$OUT/latest.txt" <<'PY'
import sys, collections
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) >= 3 and p[1] in ("send", "recvdel", "batch"):
        rows[p[1]][p[0]] = float(p[2])
    elif len(p) >= 3 and p[1] == "wake":
        rows["wake median ms"][p[0]] = float(p[2].split("=")[1])
print("| workload | terrarium | elasticmq | moto | terrarium/elasticmq | terrarium/moto |")
print("|---|---|---|---|---|---|")
for w, r in rows.items():
    t, e, m = r.get("terrarium", 0), r.get("elasticmq", 0), r.get("moto", 0)
    if w.startswith("wake"):
        ratio = lambda a, b: f"{b / a:.2f}x faster" if a and b else "-"   # lower is better
    else:
        ratio = lambda a, b: f"{a / b:.2f}x" if a and b else "-"
    print(f"| {w} | {t:.1f} | {e:.1f} | {m:.1f} | {ratio(t, e)} | {ratio(t, m)} |")
PY
