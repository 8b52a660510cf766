#!/usr/bin/env bash
# DynamoDB benchmark: Terrarium, dynalite 4.0.0 (npm) and moto_server side by side in one run, the same SDK v2
# client and workloads against each, in interleaved rounds.
# Usage: bench/dynamodb/run.sh [seconds-per-round] [threads] [rounds]
# Env: WORKLOADS=put,get (a subset), ONLY="terrarium dynalite" (a subset of the peers), TERRARIUM_JAVA_OPTS (server JVM flags;
#      default: the launcher's)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER=${1:-3}
THREADS=${2:-8}
ROUNDS=${3:-3}
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

wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The server runs with the JVM flags the launcher (./terrarium) gives it, as a user's would.
eval "$(sed -n '/^readonly FAST_START_FLAGS=(/,/)$/p' terrarium)"   # the launcher's array, without building its jar
LAUNCHER_FLAGS="${FAST_START_FLAGS[*]:-}"
TERRARIUM_JAVA_OPTS=${TERRARIUM_JAVA_OPTS:-${LAUNCHER_FLAGS:--XX:+UseSerialGC}}
echo "terrarium JVM flags: $TERRARIUM_JAVA_OPTS" >&2
ONLY=${ONLY:-terrarium dynalite moto}
TARGETS=()
if [[ " $ONLY " == *" terrarium "* ]]; then
  java $TERRARIUM_JAVA_OPTS -cp "$SERVER_CP" dev.terrarium.server.Main --port 47566 --log-level warn > "$OUT/terrarium.log" 2>&1 &
  PIDS+=($!); wait_port 47566; TARGETS+=(terrarium=http://127.0.0.1:47566)
fi
if [[ " $ONLY " == *" dynalite "* ]]; then
  "$PEERS/dynalite/node_modules/.bin/dynalite" --port 47598 > "$OUT/dynalite.log" 2>&1 &
  PIDS+=($!); wait_port 47598; TARGETS+=(dynalite=http://127.0.0.1:47598)
fi
if [[ " $ONLY " == *" moto "* ]]; then
  moto_server -p 47599 > "$OUT/moto.log" 2>&1 &
  PIDS+=($!); wait_port 47599; TARGETS+=(moto=http://127.0.0.1:47599)
fi

java -Xss512k ${WORKLOADS:+-Dworkloads=$WORKLOADS} -cp "$CLIENT_CP" bench/dynamodb/DynamoDbBench.java "$SECONDS_PER" "$THREADS" "$ROUNDS" \
  "${TARGETS[@]}" 2>"$OUT/client.log" | tee "$OUT/latest.txt"

python3 - "$OUT/latest.txt" "$SECONDS_PER" "$THREADS" "$ROUNDS" <<'PY' | tee -a "$OUT/summary.txt"
import sys, collections, os, datetime
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) >= 4:
        rows[p[1] + " (" + p[3] + ")"][p[0]] = float(p[2])
print(f"{datetime.date.today()} load {os.getloadavg()[0]:.1f}, {sys.argv[3]} threads, {sys.argv[4]} rounds of {sys.argv[2]} s, median round")
print("| workload | terrarium | dynalite | moto | terrarium/dynalite | terrarium/moto |")
print("|---|---:|---:|---:|---:|---:|")
ratio = lambda a, b: f"{a / b:.2f}x" if a and b else "-"
for w, r in rows.items():
    t, d, m = r.get("terrarium", 0), r.get("dynalite", 0), r.get("moto", 0)
    print(f"| {w} | {t:.0f} | {d:.0f} | {m:.0f} | {ratio(t, d)} | {ratio(t, m)} |")
PY
