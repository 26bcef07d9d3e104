#!/usr/bin/env bash
# Fuzzes the language server's framing + dispatch path (Fuzz/diddy-mesh-fuzz) with libFuzzer
# for a bounded time: `scripts/fuzz.sh [SECONDS]` (default 60).
#
# It builds the fuzz binary (release, -sanitize=fuzzer,address, -D FUZZING) in its own
# scratch folder .build-fuzz, then runs it on a copy of Fuzz/corpus with Fuzz/lsp.dict, so
# the committed corpus never grows by itself. A crash, a timeout, an out-of-memory or a
# malformed outgoing message stops the run with a non-zero status; the reproducer is saved
# under .build-fuzz/findings/ and can be replayed with the plain build:
#   .build/debug/diddy-mesh-fuzz --print .build-fuzz/findings/crash-...
# Save a minimized reproducer under Fuzz/crashers/ once the bug is fixed, as a regression
# input for `make test`.
#
# Environment: FUZZ_RSS_LIMIT_MB (default 3072), FUZZ_TIMEOUT (seconds per input, default 10),
# FUZZ_FLAGS (more libFuzzer flags), FUZZ_SKIP_BUILD=1 (reuse the last fuzz build).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
case "$seconds" in
  ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
SWIFT="${SWIFT:-swift}"
scratch=.build-fuzz
binary="$scratch/release/diddy-mesh-fuzz"

if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ] || [ ! -x "$binary" ]; then
  ./scripts/bootstrap.sh
  started=$(date +%s)
  "$SWIFT" build -c release --scratch-path "$scratch" --product diddy-mesh-fuzz \
    -Xswiftc -DFUZZING -Xswiftc -sanitize=fuzzer,address
  echo "fuzz: built $binary in $(( $(date +%s) - started )) s"
fi

# A fresh copy of the seeds: what the fuzzer adds stays in .build-fuzz.
work="$scratch/run"
findings="$scratch/findings"
rm -rf "$work"
mkdir -p "$work" "$findings"
cp Fuzz/corpus/* "$work/"

# Swift's own crash backtracer would take over libFuzzer's deadly-signal report (and can
# wait on an interactive prompt). LeakSanitizer is off: Swift's runtime metadata and lazily
# initialised globals are reported as leaks at exit; a real leak shows as RSS growth, which
# -rss_limit_mb catches.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}"

# A network namespace with no interface up, where one can be made (root on Linux): a fuzzed
# setting can then never turn into traffic to a real host.
isolate=()
if unshare --net true 2>/dev/null; then isolate=(unshare --net); fi

echo "fuzz: running for ${seconds} s on a copy of Fuzz/corpus ($(ls Fuzz/corpus | wc -l) seeds)"
status=0
# FUZZ_FLAGS is split into words on purpose: it holds extra libFuzzer flags.
# shellcheck disable=SC2086
"${isolate[@]}" "$binary" \
  -max_total_time="$seconds" \
  -rss_limit_mb="${FUZZ_RSS_LIMIT_MB:-3072}" \
  -timeout="${FUZZ_TIMEOUT:-10}" \
  -detect_leaks=0 \
  -dict=Fuzz/lsp.dict \
  -artifact_prefix="$findings/" \
  -print_final_stats=1 \
  ${FUZZ_FLAGS:-} \
  "$work" 2> "$scratch/fuzz.log" || status=$?

grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$scratch/fuzz.log" || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$scratch/fuzz.log" || true
if [ "$status" -ne 0 ]; then
  echo "fuzz: FAILED (status $status); the end of $scratch/fuzz.log:" >&2
  tail -n 60 "$scratch/fuzz.log" >&2
  echo "fuzz: reproducers in $findings/; replay one with .build/debug/diddy-mesh-fuzz --print FILE" >&2
  exit "$status"
fi
echo "fuzz: no failure in ${seconds} s"
