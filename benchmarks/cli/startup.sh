#!/usr/bin/env bash
# Start-up of the braid command beside Node, step by step, interleaved rounds on one machine.
# Usage: benchmarks/cli/startup.sh [ROUNDS]   (prints median (min-max) wall milliseconds)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rounds=${1:-7}
jdk=$("$root/dev" jdk)
cp="$root/cli/target/braid-cli.jar:$root/cli/target/lib/*"
export BRAID_NO_BUILD=1
[ -f "$root/cli/target/braid-cli.jar" ] || { echo "build the command first: ./braid --version" >&2; exit 1; }
command -v node >/dev/null || { echo "node is needed as the peer" >&2; exit 1; }

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
steps=("JVM, class path, no guest" "braid --help (launcher, JVM, picocli)" "braid --version (+ engine)"
       "braid eval 1 (+ context and bridge)" "braid run hello.js" "braid --jit run hello.js" "node hello.mjs")
declare -a results
for ((r = 0; r < rounds; r++)); do
  results[0]+="$(ms "$jdk/bin/java" -cp "$cp" picocli.CommandLine) "
  results[1]+="$(ms "$root/braid" --help) "
  results[2]+="$(ms "$root/braid" --version) "
  results[3]+="$(ms "$root/braid" eval 1) "
  results[4]+="$(ms "$root/braid" run "$root/js-examples/hello.js") "
  results[5]+="$(ms "$root/braid" --jit run "$root/js-examples/hello.js") "
  results[6]+="$(ms node "$root/benchmarks/cli/hello-node.mjs") "
done
for i in "${!steps[@]}"; do
  printf '%-40s %s\n' "${steps[$i]}" "$(echo "${results[$i]}" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "%d (%d-%d)", a[int((NR+1)/2)], a[1], a[NR]}')"
done
