#!/usr/bin/env python3
"""Few-shot accuracy on BANKING77: train on k examples an intent, test on the rest.

For each seed, k examples of each intent are drawn from
../shared/data/banking77/train.csv with Python's random.Random(seed); the
rest of the file is the test set. `rapport eval` trains on the k-shot file and
reports accuracy on the rest; the script prints each run and the mean with
its spread (lowest to highest).

    swift build -c release --product rapport
    python3 docs/benchmarks/few_shot.py --k 5 10 --seeds 0 1 2 --matcher linear hybrid

Extra arguments after `--` go to `rapport eval` (for example `-- --dense-weight 2`).
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

from few_shot_split import few_shot_split

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))

parser = argparse.ArgumentParser()
parser.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "banking77", "train.csv"))
parser.add_argument("--k", type=int, nargs="+", default=[5, 10])
parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
parser.add_argument("--matcher", nargs="+", default=["linear", "hybrid"])
parser.add_argument("--rapport", default=os.path.join(root, ".build", "release", "rapport"))
parser.add_argument("extra", nargs="*", help="after --: passed to rapport eval")
args = parser.parse_args()

with open(args.data, newline="", encoding="utf-8") as f:
    rows = [(r["text"], r["category"]) for r in csv.DictReader(f)]


def write(path, indices):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text", "category"])
        for i in indices:
            w.writerow(rows[i])


with tempfile.TemporaryDirectory() as folder:
    for k in args.k:
        for matcher in args.matcher:
            scores = []
            for seed in args.seeds:
                chosen, rest = few_shot_split([category for _, category in rows], k, seed)
                train = os.path.join(folder, "train.csv")
                test = os.path.join(folder, "test.csv")
                write(train, chosen)
                write(test, rest)
                # The vector cache in the temporary folder: each message is encoded once over all runs.
                command = [args.rapport, "eval", "--train", train, "--test", test, "--matcher", matcher, "--json",
                           "--model-cache", os.path.join(folder, "models")] + args.extra
                result = subprocess.run(command, capture_output=True, text=True)
                if result.returncode != 0:
                    sys.exit(f"{' '.join(command)}\n{result.stderr}")
                figures = json.loads(result.stdout)
                accuracy = figures.get("accuracy", figures.get("in_scope_accuracy"))
                scores.append(100 * accuracy)
                print(f"k={k} {matcher} seed {seed}: {100 * accuracy:.2f}%", flush=True)
            mean = sum(scores) / len(scores)
            print(f"k={k} {matcher}: mean {mean:.1f}% ({min(scores):.1f} to {max(scores):.1f}) over {len(scores)} seeds", flush=True)
