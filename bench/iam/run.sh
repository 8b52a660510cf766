#!/usr/bin/env bash
# IAM benchmark: (1) the policy engine alone, time per authorization of a realistic request; (2) the cost of
# enforcement per request end to end, Terrarium with and without --enforce-iam and moto_server with and without
# its IAM checks (INITIAL_NO_AUTH_ACTION_COUNT, switched on through /moto-api/reset-auth after the set-up), the
# same SDK v2 calls against each. Usage: bench/iam/run.sh [calls-per-round] [rounds]
# moto gets fewer calls (MOTO_PER_ROUND x MOTO_ROUNDS, default 50 x 6): it slows down as its queue and request
# history grow, to a few requests a second after some thousands. SKIP_ENGINE=1 / SKIP_TERRARIUM=1 / SKIP_MOTO=1 skip a part.
set -euo pipefail
cd "$(dirname "$0")/../.."
PER_ROUND=${1:-200}
ROUNDS=${2:-10}
MOTO_PER_ROUND=${MOTO_PER_ROUND:-50}
MOTO_ROUNDS=${MOTO_ROUNDS:-6}
OUT=bench/iam/results
mkdir -p "$OUT"

mvn -q -o -pl terrarium-server -am compile -DskipTests
mvn -q -o -pl terrarium-server dependency:build-classpath -Dmdep.excludeGroupIds=dev.terrarium -Dmdep.outputFile="$PWD/$OUT/server.cp" >/dev/null
mvn -q -o -pl terrarium-services dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$OUT/client.cp" >/dev/null
SERVER_CP="terrarium-core/target/classes:terrarium-services/target/classes:terrarium-server/target/classes:$(cat $OUT/server.cp)"
CLIENT_CP="$(cat $OUT/client.cp)"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOG="$OUT/iam-$STAMP.txt"

wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "# $(date -u) commit $(git rev-parse --short HEAD) load $(cut -d' ' -f1 /proc/loadavg)" | tee "$LOG"
[ "${SKIP_ENGINE:-}" ] || java -cp "$SERVER_CP" bench/iam/EngineBench.java 50000 10 | tee -a "$LOG"

if [ -z "${SKIP_TERRARIUM:-}" ]; then
java -XX:+UseSerialGC -cp "$SERVER_CP" dev.terrarium.server.Main --port 4601 --log-level warn > "$OUT/terrarium-open.log" 2>&1 &
T_OPEN=$!; PIDS+=($T_OPEN)
java -XX:+UseSerialGC -cp "$SERVER_CP" dev.terrarium.server.Main --port 4602 --log-level warn --enforce-iam > "$OUT/terrarium-enforced.log" 2>&1 &
T_ENF=$!; PIDS+=($T_ENF)
wait_port 4601; wait_port 4602
java -cp "$CLIENT_CP" bench/iam/E2eBench.java terrarium http://127.0.0.1:4601 $T_OPEN http://127.0.0.1:4602 $T_ENF "$PER_ROUND" "$ROUNDS" | tee -a "$LOG"
kill $T_OPEN $T_ENF; wait $T_OPEN $T_ENF 2>/dev/null || true
fi
[ -n "${SKIP_MOTO:-}" ] && { echo "results in $LOG"; exit 0; }

MOTO=$(python3 -c 'import shutil,sys,os; p=os.path.join(os.path.dirname(sys.executable),"moto_server"); print(p if os.path.exists(p) else shutil.which("moto_server"))')
"$MOTO" -p 5101 > "$OUT/moto-open.log" 2>&1 &
M_OPEN=$!; PIDS+=($M_OPEN)
"$MOTO" -p 5102 > "$OUT/moto-enforced.log" 2>&1 &
M_ENF=$!; PIDS+=($M_ENF)
wait_port 5101; wait_port 5102
java -cp "$CLIENT_CP" bench/iam/E2eBench.java moto http://127.0.0.1:5101 $M_OPEN http://127.0.0.1:5102 $M_ENF "$MOTO_PER_ROUND" "$MOTO_ROUNDS" | tee -a "$LOG"
echo "results in $LOG"
