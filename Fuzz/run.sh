#!/usr/bin/env bash
# Builds rapport's libFuzzer targets and runs each for a bounded time.
#
#   Fuzz/run.sh [-t SECONDS | --runs N] [--no-build] [TARGET...]
#
# SECONDS per target (default 20, or $FUZZ_SECONDS). --runs N instead runs
# N inputs per target from a fixed seed: the same inputs on every machine,
# however fast, so a run is repeatable (CI uses it). TARGETs default to all
# four. Seed corpora are generated from the repository (transcripts/,
# intents/, docs/PROTOCOL.md) plus the small hand-made seeds in Fuzz/Seeds/;
# what the fuzzer learns is kept in Fuzz/.corpus/ between runs. A crash, a
# leak of time (one input over $FUZZ_TIMEOUT seconds) or of memory is written
# to Fuzz/findings/ and makes the script exit non-zero. See docs/FUZZING.md.
set -euo pipefail
cd "$(dirname "$0")"
fuzz_dir=$(pwd)
repo=$(cd .. && pwd)

seconds=${FUZZ_SECONDS:-20}
timeout_seconds=${FUZZ_TIMEOUT:-10}
build=1
runs_limit=""
targets=()
while [[ $# -gt 0 ]]; do
    case $1 in
        -t) seconds=$2; shift 2 ;;
        --runs) runs_limit=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        Fuzz*) targets+=("$1"); shift ;;
        *) echo "run.sh: unknown argument '$1' (see run.sh --help)" >&2; exit 2 ;;
    esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(FuzzProtocolRequest FuzzTranscriptParser FuzzBotLoader FuzzEntityExtractor)

# The longest input each target is given, in bytes: a protocol line well past
# the usual, a transcript or topic file as long as the bundled ones, and a
# message past the protocol's 2,000 characters.
max_len() {
    case $1 in
        FuzzProtocolRequest) echo 8192 ;;
        FuzzTranscriptParser) echo 16384 ;;
        FuzzBotLoader) echo 32768 ;;
        FuzzEntityExtractor) echo 4096 ;;
    esac
}

if [[ $build == 1 ]]; then
    start=$(date +%s)
    swift build -c release --package-path "$fuzz_dir" --scratch-path "$fuzz_dir/.build" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
    echo "build: $(( $(date +%s) - start )) s"
fi
bin=$(swift build -c release --package-path "$fuzz_dir" --scratch-path "$fuzz_dir/.build" --show-bin-path)

# Seeds, made afresh each run from the repository's own files.
seeds_for() {
    local target=$1 dir=$fuzz_dir/.corpus/$1/seeds
    rm -rf "$dir"
    mkdir -p "$dir"
    if [[ -d $fuzz_dir/Seeds/$target ]]; then cp "$fuzz_dir/Seeds/$target"/* "$dir"/ 2>/dev/null || true; fi
    case $target in
        FuzzProtocolRequest)
            # Every JSON line of docs/PROTOCOL.md (requests and replies), one per seed.
            grep -E '^\{.*\}$' "$repo/docs/PROTOCOL.md" | split -l 1 - "$dir/protocol-"
            ;;
        FuzzTranscriptParser)
            for file in "$repo"/transcripts/*.convo.txt; do cp "$file" "$dir/"; done
            ;;
        FuzzBotLoader)
            # One bundled file per seed, laid over the fuzz target's small bot.
            for file in "$repo"/intents/*.yaml; do
                { echo "=== $(basename "$file")"; cat "$file"; } > "$dir/$(basename "$file")"
            done
            for file in "$repo"/intents/data/*.csv; do
                { echo "=== data/$(basename "$file")"; cat "$file"; } > "$dir/data-$(basename "$file")"
            done
            ;;
        FuzzEntityExtractor)
            # What the customer says in the transcripts: the line after each '#me'.
            awk '/^#me/ { getline; if (length($0) > 0) print }' "$repo"/transcripts/*.convo.txt \
                | sort -u | split -l 1 - "$dir/message-"
            ;;
    esac
    echo "$dir"
}

export SWIFT_BACKTRACE=enable=no
# Swift's runtime keeps caches for the life of the process; they are not leaks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
mkdir -p "$fuzz_dir/findings"
failed=()
summary=()
for target in "${targets[@]}"; do
    seeds=$(seeds_for "$target")
    work=$fuzz_dir/.corpus/$target/work
    mkdir -p "$work"
    log=$fuzz_dir/.corpus/$target/last-run.log
    if [[ -n $runs_limit ]]; then
        budget=(-runs="$runs_limit" -seed=1)
        what="$runs_limit inputs from seed 1"
    else
        budget=(-max_total_time="$seconds")
        what="${seconds}s"
    fi
    echo "== $target: $what, max_len $(max_len "$target"), $(ls "$seeds" | wc -l) seeds, $(ls "$work" | wc -l) in corpus"
    status=0
    "$bin/$target" "$work" "$seeds" \
        "${budget[@]}" -timeout="$timeout_seconds" -max_len="$(max_len "$target")" \
        -rss_limit_mb=2048 -report_slow_units=1 -print_final_stats=1 -artifact_prefix="$fuzz_dir/findings/$target-" \
        > "$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    coverage=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    slowest=$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    line="$target: ${runs:-?} executions, coverage ${coverage:-?}, corpus $(ls "$work" | wc -l), slowest input ${slowest:-?} s (0: under 1 s), peak RSS ${rss:-?} MB"
    if [[ $status != 0 ]]; then
        line+=", FAILED (exit $status)"
        failed+=("$target")
        grep -E '^(==[0-9]+== ?ERROR|SUMMARY|fuzz check failed|Fatal error|artifact_prefix|.*Test unit written)' "$log" | head -8
        echo "   log: $log"
    else
        line+=", crashes 0"
    fi
    echo "$line"
    summary+=("$line")
done

echo
echo "== summary (${what} per target)"
printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "findings are in $fuzz_dir/findings/; reproduce one with: $bin/TARGET FILE" >&2
    exit 1
fi
