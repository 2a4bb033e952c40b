#!/usr/bin/env bash
# Every figure in docs/BENCHMARKS.md, measured in one go (start-up and long
# messages by startup.py, called at the end), so they come from
# one session on one machine and can be compared as ratios.
#
#   swift build -c release
#   pip install scikit-learn
#   docs/benchmarks/measure.sh [RAPPORT] [DATA] [WORK]
#
# RAPPORT defaults to .build/release/rapport, DATA to ../shared/data (both
# from the repository root, wherever the script is run from), WORK (where the
# splits are written) to a new temporary directory. Takes about ten minutes
# on a 2-core machine, most of it scikit-learn. Without scikit-learn only the
# figures that need no split of its making are measured: the holdout, the
# training time, CLINC150 on all of val.csv and the bundled bot.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
rapport=$(absolute "${1:-$here/../../.build/release/rapport}")
data=$(absolute "${2:-$here/../../../shared/data}")
work=$(absolute "${3:-$(mktemp -d)}")
mkdir -p "$work"
cd "$here/../.."
has_sklearn=$(python3 -c 'import sklearn' 2>/dev/null && echo yes || echo no)

# One JSON object per line in; "name: key=value ..." out, accuracies in %.
figures() {
    python3 -c '
import json, sys
name = sys.argv[1]
for line in sys.stdin:
    d = json.loads(line)
    out = []
    for key in ("fold", "accuracy", "in_scope_accuracy", "oos_recall", "oos_precision", "macro_f1",
                "threshold", "train_seconds", "p50_us", "p99_us", "model_mb", "mean_accuracy"):
        value = d.get(key)
        if value is None: continue
        if key in ("accuracy", "in_scope_accuracy", "oos_recall", "oos_precision", "macro_f1", "mean_accuracy"):
            value = "%.2f" % (value * 100)
        out.append("%s=%s" % (key, value))
    print(name + ": " + " ".join(out))
' "$1"
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m), $rapport, splits in $work"

echo "## BANKING77, stratified 20% holdout of train.csv"
"$rapport" eval --train "$data/banking77/train.csv" --holdout 0.2 --json | figures "rapport holdout"

echo "## BANKING77, trained on all of train.csv: training time and model size (the accuracy is on texts it trained on)"
python3 - "$data/banking77/train.csv" "$work/b77-all-test.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8")).writerows(rows[:1] + rows[1::5])
PY
"$rapport" eval --train "$data/banking77/train.csv" --test "$work/b77-all-test.csv" --json | figures "rapport all 10,003"

for seed in 0 1; do
    echo "## BANKING77, 5-fold cross-validation, seed $seed"
    if [ "$has_sklearn" = yes ]; then
        python3 "$here/sklearn_baseline.py" --folds 5 --seed "$seed" "$data/banking77/train.csv" "$work/b77-s$seed" \
            | figures "scikit-learn"
    else
        echo "(scikit-learn is not installed: no folds, no baseline)"
        continue
    fi
    for variant in "" "--no-combinations"; do
        for fold in 0 1 2 3 4; do
            "$rapport" eval --train "$work/b77-s$seed-f$fold-train.csv" --test "$work/b77-s$seed-f$fold-test.csv" --json $variant \
                | python3 -c 'import json,sys; d=json.load(sys.stdin); d["fold"]='"$fold"'; print(json.dumps(d))'
        done | tee "$work/rapport-s$seed$variant.jsonl" | figures "rapport${variant:+ $variant}"
        python3 -c 'import json,sys; a=[json.loads(l)["accuracy"] for l in open(sys.argv[1])]; print("rapport'"${variant:+ $variant}"': mean_accuracy=%.2f" % (100*sum(a)/len(a)))' \
            "$work/rapport-s$seed$variant.jsonl"
    done
done

if [ "$has_sklearn" = yes ]; then
    echo "## BANKING77, scikit-learn's own 80/20 split"
    python3 "$here/sklearn_baseline.py" "$data/banking77/train.csv" "$work/b77" | figures "scikit-learn"
    "$rapport" eval --train "$work/b77-train.csv" --test "$work/b77-test.csv" --json | figures "rapport"
    "$rapport" eval --matcher similarity --train "$work/b77-train.csv" --test "$work/b77-test.csv" --json | figures "rapport similarity"

    echo "## CLINC150: threshold chosen on one half of val.csv, measured on the other"
    python3 "$here/sklearn_baseline.py" --halves "$data/clinc150/val.csv" "$work/clinc-val"
    "$rapport" eval --train "$data/clinc150/train.csv" --validate "$work/clinc-val-a.csv" --test "$work/clinc-val-b.csv" --json | figures "chosen on A, tested on B"
    "$rapport" eval --train "$data/clinc150/train.csv" --validate "$work/clinc-val-b.csv" --test "$work/clinc-val-a.csv" --json | figures "chosen on B, tested on A"
fi
"$rapport" eval --train "$data/clinc150/train.csv" --validate "$data/clinc150/val.csv" --test "$data/clinc150/val.csv" --json | figures "CLINC150 all of val.csv (optimistic)"

echo "## The bundled bot, 5-fold cross-validation"
for seed in 0 1 2 3 4; do
    "$rapport" eval --intents intents --folds 5 --seed "$seed" --json | figures "seed $seed"
done
"$rapport" eval --matcher similarity --intents intents --folds 5 --json | figures "similarity, seed 0"
echo "## The bundled bot's threshold, with docs/benchmarks/shop-out-of-scope.csv"
for threshold in 0 0.1 0.15 0.2 0.25 0.3 0.35 0.4; do
    "$rapport" eval --intents intents --folds 5 --oos-intent out_of_scope --validate "$here/shop-out-of-scope.csv" \
        --threshold "$threshold" --json | figures "threshold $threshold"
done
echo "## The bundled bot's clarify margin, at threshold 0.2"
for margin in 0.1 0.15 0.2 0.25; do
    echo "margin $margin:"
    "$rapport" eval --intents intents --folds 5 --oos-intent out_of_scope --validate "$here/shop-out-of-scope.csv" \
        --threshold 0.2 --margin "$margin" | grep "ask which of two"
done
echo "## Start-up and long messages"
python3 "$here/startup.py" "$rapport"
