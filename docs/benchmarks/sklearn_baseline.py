#!/usr/bin/env python3
"""The scikit-learn baseline on the same splits rapport is measured on.

Writes seeded, stratified splits of a labelled CSV (the same every run),
trains the baseline the issue compares against (TF-IDF of word 1-2 grams and
in-word character 2-5 grams, LinearSVC) on each, and prints its figures in
the form `rapport eval --json` uses, so both are read side by side.

One 80/20 split, PREFIX-train.csv and PREFIX-test.csv:

    python3 docs/benchmarks/sklearn_baseline.py ../shared/data/banking77/train.csv /tmp/b77
    rapport eval --train /tmp/b77-train.csv --test /tmp/b77-test.csv --json

Stratified k-fold cross-validation, PREFIX-f0-train.csv, PREFIX-f0-test.csv
and so on; one line per fold, then the mean:

    python3 docs/benchmarks/sklearn_baseline.py --folds 5 --seed 0 ../shared/data/banking77/train.csv /tmp/b77

Two stratified halves, PREFIX-a.csv and PREFIX-b.csv, and no training (for
choosing a threshold on one half of a validation set and testing on the other):

    python3 docs/benchmarks/sklearn_baseline.py --halves ../shared/data/clinc150/val.csv /tmp/clinc-val

Needs scikit-learn (pip install scikit-learn). Reads the data from where it is;
never copy it into the repository.
"""
import argparse
import csv
import json
import statistics
import time

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split
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


def baseline(train_x, train_y, test_x, test_y):
    """Trains on one split and measures on the other, one text at a time."""
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
    return {
        "system": "scikit-learn TF-IDF word 1-2 + char_wb 2-5, LinearSVC",
        "accuracy": round(accuracy_score(test_y, predictions), 4),
        "macro_f1": round(f1_score(test_y, predictions, average="macro"), 4),
        "train_seconds": round(train_seconds, 2),
        "p50_us": round(statistics.median(latencies), 1),
        "p99_us": round(latencies[int(len(latencies) * 0.99)], 1),
        "examples": len(test_x),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, help="cross-validate with this many stratified folds")
    parser.add_argument("--seed", type=int, default=0, help="deals the split or the folds (default 0)")
    parser.add_argument("--halves", action="store_true", help="only write two stratified halves")
    parser.add_argument("data", help="labelled CSV with a header text,category")
    parser.add_argument("prefix", help="where to write the split files, as a path prefix")
    arguments = parser.parse_args()
    texts, labels = read(arguments.data)

    if arguments.halves:
        a_x, b_x, a_y, b_y = train_test_split(
            texts, labels, test_size=0.5, stratify=labels, random_state=arguments.seed
        )
        write(arguments.prefix + "-a.csv", a_x, a_y)
        write(arguments.prefix + "-b.csv", b_x, b_y)
        return

    if arguments.folds:
        folds = StratifiedKFold(arguments.folds, shuffle=True, random_state=arguments.seed)
        accuracies = []
        for fold, (train, test) in enumerate(folds.split(texts, labels)):
            train_x, train_y = [texts[i] for i in train], [labels[i] for i in train]
            test_x, test_y = [texts[i] for i in test], [labels[i] for i in test]
            write(f"{arguments.prefix}-f{fold}-train.csv", train_x, train_y)
            write(f"{arguments.prefix}-f{fold}-test.csv", test_x, test_y)
            figures = baseline(train_x, train_y, test_x, test_y)
            accuracies.append(figures["accuracy"])
            print(json.dumps({"fold": fold, **figures}), flush=True)
        print(json.dumps({"folds": arguments.folds, "seed": arguments.seed,
                          "mean_accuracy": round(statistics.mean(accuracies), 4)}))
        return

    train_x, test_x, train_y, test_y = train_test_split(
        texts, labels, test_size=0.2, stratify=labels, random_state=arguments.seed
    )
    write(arguments.prefix + "-train.csv", train_x, train_y)
    write(arguments.prefix + "-test.csv", test_x, test_y)
    print(json.dumps(baseline(train_x, train_y, test_x, test_y)))


if __name__ == "__main__":
    main()
