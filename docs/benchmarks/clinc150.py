#!/usr/bin/env python3
"""CLINC150 with one out-of-scope threshold: in-scope accuracy and out-of-scope recall.

Trains on ../shared/data/clinc150/train.csv, chooses the threshold on one half
of val.csv (its odd rows) and reports on the other (its even rows), then the
other way round, and prints both and their mean: each half holds 50
out-of-scope messages, so one half alone moves in steps of 2%. The public
test split is not in ../shared.

    swift build -c release --product rapport
    python3 docs/benchmarks/clinc150.py --matcher linear hybrid

Extra arguments after `--` go to `rapport eval` (for example `-- --dense-full-words 0`).
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
data = os.path.join(root, "..", "shared", "data", "clinc150")

parser = argparse.ArgumentParser()
parser.add_argument("--matcher", nargs="+", default=["linear", "hybrid"])
parser.add_argument("--rapport", default=os.path.join(root, ".build", "release", "rapport"))
parser.add_argument("extra", nargs="*", help="after --: passed to rapport eval")
args = parser.parse_args()

with open(os.path.join(data, "val.csv"), newline="", encoding="utf-8") as f:
    rows = [(r["text"], r["category"]) for r in csv.DictReader(f)]

with tempfile.TemporaryDirectory() as folder:
    halves = []
    for parity in (0, 1):
        path = os.path.join(folder, f"half{parity}.csv")
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["text", "category"])
            w.writerows(row for index, row in enumerate(rows) if index % 2 == parity)
        halves.append(path)
    for matcher in args.matcher:
        runs = []
        for validate, test in ((halves[1], halves[0]), (halves[0], halves[1])):
            command = [args.rapport, "eval", "--train", os.path.join(data, "train.csv"), "--validate", validate,
                       "--test", test, "--matcher", matcher, "--json", "--model-cache", os.path.join(folder, "models")] + args.extra
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f"{' '.join(command)}\n{result.stderr}")
            d = json.loads(result.stdout)
            runs.append(d)
            print(f"{matcher}, tested on {os.path.basename(test)}: in-scope accuracy {100 * d['in_scope_accuracy']:.2f}%, "
                  f"out-of-scope recall {100 * d['oos_recall']:.1f}% and precision {100 * d['oos_precision']:.1f}% "
                  f"at threshold {d['threshold']:.3f}", flush=True)
        mean = lambda key: 100 * sum(d[key] for d in runs) / len(runs)
        print(f"{matcher}: mean in-scope accuracy {mean('in_scope_accuracy'):.2f}%, out-of-scope recall "
              f"{mean('oos_recall'):.1f}%, precision {mean('oos_precision'):.1f}%", flush=True)
