#!/usr/bin/env python3
"""How far the sentence encoder's vectors go on BANKING77 few-shot, whatever the classifier.

rapport's hybrid is one linear SVM over words and the encoder's vectors. To
see whether a better classifier would reach issue 17's few-shot targets, this
script takes the very vectors rapport uses and tries scikit-learn's
classifiers on the few_shot.py splits (k examples of each intent drawn with
Python's random.Random(seed), the rest of train.csv as the test set):

- LinearSVC on the vectors alone, and logistic regression;
- an MLP with one hidden layer of 512 (the classifier of Casanueva et al.,
  2020, whose USE+ConveRT figure the issue's target is);
- TF-IDF of words and characters joined with the vectors (weight 1 to 3), the
  issue's own scikit-learn recipe.

The vectors come from rapport's vector cache: the script first runs
`rapport eval --matcher encoder` on the whole file with --model-cache FOLDER,
which encodes every message once and keeps the vectors there, then reads that
file (its format is in Sources/RapportModelCache/VectorCache.swift).

    swift build -c release --product rapport
    pip install scikit-learn
    python3 docs/benchmarks/encoder_ceiling.py --k 5 10 --seeds 0 1 2

Needs the encoder (.ci/setup). Reads the data from where it is; never copy it
into the repository.
"""
import argparse
import csv
import glob
import os
import struct
import subprocess
import sys
import tempfile
from collections import defaultdict

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.svm import LinearSVC

from few_shot_split import few_shot_split

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))

parser = argparse.ArgumentParser()
parser.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "banking77", "train.csv"))
parser.add_argument("--k", type=int, nargs="+", default=[5, 10])
parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
parser.add_argument("--rapport", default=os.path.join(root, ".build", "release", "rapport"))
parser.add_argument("--model-cache", help="a folder for the vector file (default: a temporary one)")
args = parser.parse_args()

with open(args.data, newline="", encoding="utf-8") as f:
    rows = [(r["text"], r["category"]) for r in csv.DictReader(f)]
texts = [t for t, _ in rows]
labels = np.array([c for _, c in rows])


def digest(text):
    """VectorCache's name for a text: FNV-1a of its UTF-8, seeded with its length."""
    data = text.encode("utf-8")
    mask = (1 << 64) - 1
    h = 0xCBF29CE484222325 ^ ((len(data) * 0x9E3779B97F4A7C15) & mask)
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & mask
    return h


def read_vectors(folder):
    found = {}
    for path in glob.glob(os.path.join(folder, "vectors-*.bin")):
        with open(path, "rb") as f:
            data = f.read()
        magic, fmt, dims, count = data[:8], *struct.unpack_from("<IIQ", data, 8)
        if magic != b"RAPPORTV" or fmt != 1:
            continue
        entry = 8 + 4 * dims
        for i in range(count):
            base = 32 + i * entry
            found[struct.unpack_from("<Q", data, base)[0]] = np.frombuffer(data, dtype="<f4", count=dims, offset=base + 8)
    return found


with tempfile.TemporaryDirectory() as scratch:
    folder = args.model_cache or scratch
    probe = os.path.join(scratch, "probe.csv")
    with open(probe, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["text", "category"], rows[0]])
    command = [args.rapport, "eval", "--train", args.data, "--test", probe, "--matcher", "encoder", "--model-cache", folder]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)}\n{result.stderr}")
    known = read_vectors(folder)

missing = [t for t in texts if digest(t) not in known]
if missing:
    sys.exit(f"{len(missing)} messages have no vector in the cache, first: {missing[0]!r}")
vectors = np.stack([known[digest(t)] for t in texts])


def tfidf(train, test):
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    a = [texts[i] for i in train]
    b = [texts[i] for i in test]
    return hstack([words.fit_transform(a), characters.fit_transform(a)]), hstack([words.transform(b), characters.transform(b)])


classifiers = {
    "vectors, LinearSVC C=1": lambda: LinearSVC(C=1),
    "vectors, LinearSVC C=2": lambda: LinearSVC(C=2),
    "vectors, logistic regression C=100": lambda: LogisticRegression(C=100, max_iter=3000),
    "vectors, MLP 512": lambda: MLPClassifier((512,), alpha=1e-3, max_iter=500, random_state=0),
}
for k in args.k:
    scores = defaultdict(list)
    for seed in args.seeds:
        train, test = few_shot_split(list(labels), k, seed)
        x, y = vectors[train], vectors[test]
        for name, make in classifiers.items():
            scores[name].append(100 * (make().fit(x, labels[train]).predict(y) == labels[test]).mean())
        sparse_train, sparse_test = tfidf(train, test)
        for weight in (1, 2, 3):
            a = hstack([sparse_train, csr_matrix(x * weight)]).tocsr()
            b = hstack([sparse_test, csr_matrix(y * weight)]).tocsr()
            name = f"TF-IDF + vectors × {weight}, LinearSVC"
            scores[name].append(100 * (LinearSVC(C=1).fit(a, labels[train]).predict(b) == labels[test]).mean())
        print(f"k={k} seed {seed} done", flush=True)
    for name, values in scores.items():
        print(f"k={k} {name}: mean {np.mean(values):.1f}% ({min(values):.1f} to {max(values):.1f})", flush=True)
