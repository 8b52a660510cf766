#!/usr/bin/env bash
# Lambda benchmark: cold start and warm invoke latency per runtime (provided with a C and a shell bootstrap,
# python3.12, nodejs20.x, java17) on Terrarium, then the same on moto_server, which needs Docker to run a
# function (its Invoke is tried and what it answers is reported).
# Usage: bench/lambda/run.sh [cold-samples] [warm-samples] [seconds-per-runtime-warm]
set -euo pipefail
cd "$(dirname "$0")/../.."
COLD=${1:-5}
WARM=${2:-500}
SECS=${3:-10}
OUT=bench/lambda/results
mkdir -p "$OUT"

mvn -q -o -pl terrarium-server -am compile -DskipTests
mvn -q -o -pl terrarium-server dependency:build-classpath -Dmdep.excludeGroupIds=dev.terrarium -Dmdep.outputFile="$PWD/$OUT/server.cp" >/dev/null
mvn -q -o -pl terrarium-services dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$OUT/client.cp" >/dev/null
SERVER_CP="terrarium-core/target/classes:terrarium-services/target/classes:terrarium-server/target/classes:$(cat $OUT/server.cp)"
CLIENT_CP="$(cat $OUT/client.cp)"
JAVA_CORE=terrarium-services/target/classes/dev/terrarium/services/lambda/java/aws-lambda-java-core.jar
[ -f "$JAVA_CORE" ] || JAVA_CORE=-
BOOTSTRAP=-
if command -v cc >/dev/null; then cc -O2 -o "$OUT/bootstrap" bench/lambda/bootstrap.c && BOOTSTRAP="$OUT/bootstrap"; fi

wait_port() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
: > "$OUT/latest.txt"

java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$SERVER_CP" dev.terrarium.server.Main --port 4597 --log-level warn > "$OUT/terrarium.log" 2>&1 &
PID=$!; wait_port 4597
java -cp "$CLIENT_CP" bench/lambda/LambdaBench.java terrarium http://127.0.0.1:4597 "$BOOTSTRAP" "$JAVA_CORE" "$COLD" "$WARM" "$SECS" \
  | tee -a "$OUT/latest.txt" || true
kill $PID; wait $PID 2>/dev/null || true

# moto: the same Invoke (python3.12 echo) without a Docker engine
if command -v moto_server >/dev/null; then
  moto_server -p 5097 > "$OUT/moto.log" 2>&1 &
  PID=$!; wait_port 5097
  python3 - <<'PY' | tee -a "$OUT/latest.txt" || true
import boto3, io, time, zipfile
kw = dict(endpoint_url="http://127.0.0.1:5097", region_name="us-east-1",
          aws_access_key_id="test", aws_secret_access_key="test")
c = boto3.client("lambda", **kw)
role = boto3.client("iam", **kw).create_role(RoleName="bench", AssumeRolePolicyDocument=
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},'
    '"Action":"sts:AssumeRole"}]}')["Role"]["Arn"]
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("app.py", "def handler(event, context):\n    return event\n")
c.create_function(FunctionName="echo", Runtime="python3.12", Role=role,
                  Handler="app.handler", Code={"ZipFile": buf.getvalue()})
t = time.time()
try:
    r = c.invoke(FunctionName="echo", Payload=b'{"hello":"world"}')
    body = r["Payload"].read()
    print(f"moto python3.12 invoke status={r['StatusCode']} error={r.get('FunctionError')} "
          f"in {1000 * (time.time() - t):.0f} ms: {body[:160]!r}")
except Exception as e:
    print(f"moto python3.12 invoke failed in {1000 * (time.time() - t):.0f} ms: {type(e).__name__}: {str(e)[:200]}")
PY
  kill $PID; wait $PID 2>/dev/null || true
fi
echo "--- $(date -u +%FT%TZ) $(git rev-parse --short HEAD) load $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/summary.txt"
cat "$OUT/latest.txt" >> "$OUT/summary.txt"
