#!/usr/bin/env python3
"""The scikit-learn baseline on the same split rapport is measured on.

Writes a stratified 80/20 split of a labelled CSV (seeded, so it is the same
every run), trains the baseline the issue compares against (TF-IDF of word
1-2 grams and in-word character 2-5 grams, LinearSVC), and prints its figures
in the form `rapport eval --json` uses, so both are read side by side:

    python3 docs/benchmarks/sklearn_baseline.py ../shared/data/banking77/train.csv /tmp/b77
    rapport eval --matcher linear --train /tmp/b77-train.csv --test /tmp/b77-test.csv --json

Needs scikit-learn (pip install scikit-learn). Reads the data from where it is;
never copy it into the repository.
"""
import csv
import json
import statistics
import sys
import time

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row["text"] for row in rows], [row["category"] for row in rows]


def write(path, texts, labels):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "category"])
        writer.writerows(zip(texts, labels))


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: sklearn_baseline.py DATA.csv OUTPUT_PREFIX")
    texts, labels = read(sys.argv[1])
    train_x, test_x, train_y, test_y = train_test_split(
        texts, labels, test_size=0.2, stratify=labels, random_state=0
    )
    write(sys.argv[2] + "-train.csv", train_x, train_y)
    write(sys.argv[2] + "-test.csv", test_x, test_y)

    started = time.perf_counter()
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    features = hstack([words.fit_transform(train_x), characters.fit_transform(train_x)]).tocsr()
    model = LinearSVC(C=1.0).fit(features, train_y)
    train_seconds = time.perf_counter() - started

    latencies = []
    predictions = []
    for text in test_x:
        started = time.perf_counter()
        row = hstack([words.transform([text]), characters.transform([text])]).tocsr()
        predictions.append(model.predict(row)[0])
        latencies.append((time.perf_counter() - started) * 1e6)
    latencies.sort()
    print(json.dumps({
        "system": "scikit-learn TF-IDF word 1-2 + char_wb 2-5, LinearSVC",
        "accuracy": round(accuracy_score(test_y, predictions), 4),
        "macro_f1": round(f1_score(test_y, predictions, average="macro"), 4),
        "train_seconds": round(train_seconds, 2),
        "p50_us": round(statistics.median(latencies), 1),
        "p99_us": round(latencies[int(len(latencies) * 0.99)], 1),
        "examples": len(test_x),
    }))


if __name__ == "__main__":
    main()
