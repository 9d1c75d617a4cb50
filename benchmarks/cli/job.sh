#!/usr/bin/env bash
# The long job (job.mjs) in each mode of the braid command beside Node, interleaved rounds.
# Usage: benchmarks/cli/job.sh [JOB_ROUNDS] [ROUNDS]   (prints median (min-max) wall seconds)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=${1:-250}
rounds=${2:-3}
export BRAID_NO_BUILD=1
job="$root/benchmarks/cli/job.mjs"
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
declare -a results
names=("braid run (interpreter)" "braid --jit run (Graal compiler)" "node")
for ((r = 0; r < rounds; r++)); do
  results[0]+="$(ms "$root/braid" run "$job" "$work") "
  results[1]+="$(ms "$root/braid" --jit run "$job" "$work") "
  results[2]+="$(ms node "$job" "$work") "
done
for i in "${!names[@]}"; do
  printf '%-34s %s\n' "${names[$i]}" "$(echo "${results[$i]}" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "%.1f s (%.1f-%.1f)", a[int((NR+1)/2)]/1000, a[1]/1000, a[NR]/1000}')"
done
