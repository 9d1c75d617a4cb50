#!/usr/bin/env bash
# Runs CPython's own test_asyncio against Braid's asyncio event loop (and, with --loop both or
# --loop default, against GraalPy's own selector loop for comparison): installs the tests
# (scripts/asyncio-testsuite.sh), then runs polyglot-bridge/src/test/asyncio-conformance/run.py
# with the braid command. Options and modules go to run.py (run.py --help); the table goes to
# standard output, progress to standard error, and every failure's traceback and every
# test's result to target/asyncio-conformance/ (details.txt, results.json).
#
#   scripts/asyncio-conformance.sh                         all modules, Braid's loop
#   scripts/asyncio-conformance.sh --loop both             and GraalPy's default loop
#   scripts/asyncio-conformance.sh test_tasks test_locks   some modules
#   scripts/asyncio-conformance.sh --floors polyglot-bridge/src/test/asyncio-conformance/ci-floors.txt
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
testdir=$("$root/scripts/asyncio-testsuite.sh")
out="$root/target/asyncio-conformance"
mkdir -p "$out"
# The runner starts the worker jobs with the braid command (--allow-run), which needs the
# environment (HOME, PATH, JAVA_HOME) to find its JDK and GraalPy's cache (--allow-env).
exec "$root/braid" run --no-prompt --allow-run="$root/braid" --allow-env --allow-read="$testdir,$root/polyglot-bridge/src/test/asyncio-conformance" \
  --allow-write="$out" "$root/polyglot-bridge/src/test/asyncio-conformance/run.py" \
  --testdir "$testdir" --details "$out/details.txt" --json "$out/results.json" "$@"
