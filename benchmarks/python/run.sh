#!/usr/bin/env bash
# P3 and P4: the same script under the braid command (Graal compiler, --jit) and under
# CPython 3.11, in one sitting, interleaved. Each process runs ROUNDS rounds; a process's
# figure is the median of its rounds after the first (warm), the table gives the median
# (min-max) over PROCESSES processes, and the wall time of a whole process.
# Usage: benchmarks/python/run.sh [PROCESSES] [ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
processes=${1:-3}
rounds=${2:-5}
python=${PYTHON:-/usr/bin/python3.11}
export BRAID_NO_BUILD=1
warm_median() { tail -n +2 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
summary() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "%.0f (%.0f-%.0f)", a[int((NR+1)/2)], a[1], a[NR]}'; }
printf '%-14s %-22s %-22s %-22s %-22s\n' workload "braid --jit, ms" "CPython 3.11, ms" "braid wall, ms" "CPython wall, ms"
for w in py_spawn_many py_queue; do
  b=""; c=""; bw=""; cw=""
  size=$([ "$w" = py_spawn_many ] && echo 100000 || echo 1000000)
  for ((p = 0; p < processes; p++)); do
    s=$(date +%s%N); out=$("$root/braid" --jit run "$root/benchmarks/python/$w.py" "$size" "$rounds"); e=$(date +%s%N)
    b+="$(echo "$out" | warm_median) "; bw+="$(( (e - s) / 1000000 )) "
    s=$(date +%s%N); out=$("$python" "$root/benchmarks/python/$w.py" "$size" "$rounds"); e=$(date +%s%N)
    c+="$(echo "$out" | warm_median) "; cw+="$(( (e - s) / 1000000 )) "
  done
  printf '%-14s %-22s %-22s %-22s %-22s\n' "$w" "$(echo "$b" | summary)" "$(echo "$c" | summary)" \
    "$(echo "$bw" | summary)" "$(echo "$cw" | summary)"
done
