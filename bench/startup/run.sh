#!/usr/bin/env bash
# Start-up benchmark: Terrarium (./terrarium) and moto_server side by side in one run, interleaved.
# For each: time from process spawn to the first answered request, and idle RSS 1 s later; medians.
#
#   bench/startup/run.sh [-n RUNS]       (default 10; results in bench/startup/results/)
#
# TERRARIUM_JAR=/path/to.jar measures that jar instead of building the repo's (see ./terrarium).
set -euo pipefail

runs=10
while (($#)); do
  case $1 in
    -n) runs=$2; shift 2 ;;
    -h | --help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
results=$here/results
mkdir -p "$results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)

subjects=()
notes=()

# Terrarium, through the launcher as a user starts it (the warm-up run records the class-data archive).
if launch=$(TERRARIUM_DRY_RUN=1 "$root/terrarium"); then
  jar=${TERRARIUM_JAR:-$root/terrarium-server/target/terrarium.jar}
  if python3 -c 'import sys, zipfile; sys.exit("dev/terrarium/server/Main.class" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$jar"; then
    subjects+=(--subject terrarium /_terrarium/health "$root/terrarium --port {port}")
    java=${launch%% *}
    if [[ -n ${TERRARIUM_JAR:-} ]]; then notes+=("jar $jar"); else
      notes+=("commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')")
    fi
    notes+=("java $("$java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')")
  else
    echo "note: $jar has no dev.terrarium.server.Main yet; measuring moto alone" >&2
  fi
fi

# moto_server, resolved past pyenv's shim so that the shim's own start-up isn't counted against it.
moto=$(command -v moto_server || true)
if [[ -n $moto ]] && command -v pyenv >/dev/null && [[ $moto == */shims/* ]]; then
  moto=$(pyenv which moto_server)
fi
if [[ -n $moto ]]; then
  subjects+=(--subject moto /moto-api/ "$moto -p {port}")
  notes+=("moto $(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null || echo '?')")
else
  echo "note: moto_server not found (pip install 'moto[server]'); measuring Terrarium alone" >&2
fi

((${#subjects[@]})) || { echo "nothing to measure" >&2; exit 1; }

note=$(printf '%s, ' "${notes[@]}"); note=${note%, }
echo "start-up benchmark, $runs runs each, interleaved; machine load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" >&2
python3 "$here/measure.py" -n "$runs" --sts \
  --out "$results/startup-$stamp.json" --log "$results/startup-$stamp.log" \
  --summary "$results/summary.txt" --note "$note" \
  "${subjects[@]}"
echo "samples: $results/startup-$stamp.json; summaries: $results/summary.txt" >&2
