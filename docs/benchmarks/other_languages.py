#!/usr/bin/env python3
"""Messages in other languages through `rapport serve`, one conversation each.

For each row of a CSV (text,category) it sends the text as the first message of
a new session and counts: answered with the right intent, answered with another,
the `in_english` note said first, and the `other_language` reply. Each message
is printed with what it got, then the counts.

    swift build -c release --product rapport
    python3 docs/benchmarks/other_languages.py hybrid docs/benchmarks/shop-multilingual.csv
    python3 docs/benchmarks/other_languages.py words docs/benchmarks/shop-multilingual-2.csv
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
matcher = sys.argv[1] if len(sys.argv) > 1 else "hybrid"
path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "shop-multilingual.csv")
rapport = os.environ.get("RAPPORT", os.path.join(root, ".build", "release", "rapport"))

with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
lines = [json.dumps({"id": str(i), "session": f"s{i}", "text": r["text"]}) for i, r in enumerate(rows)]
with tempfile.TemporaryDirectory() as folder:
    out = subprocess.run([rapport, "serve", "--matcher", matcher, "--db", os.path.join(folder, "db.sqlite"), "--intents", os.path.join(root, "intents")],
                         input="\n".join(lines) + "\n", capture_output=True, text=True, check=True).stdout
replies = {o["id"]: o for o in map(json.loads, out.splitlines()) if o.get("type") == "reply"}
right = wrong = note = other = 0
for i, r in enumerate(rows):
    o = replies[str(i)]
    texts = [x["text"] for x in o["replies"]]
    intent = (o.get("intent") or {}).get("name")
    said_note = any("only write in English" in t for t in texts)
    said_other = any("only chat in English" in t for t in texts)
    note += said_note
    other += said_other
    right += intent == r["category"]
    wrong += bool(intent) and intent != r["category"]
    print(f'{r["category"]:24} {str(intent):24} {"NOTE" if said_note else "    "} {"OTHER" if said_other else "     "} {r["text"]}')
print(f"{matcher}: answered right {right}, wrong {wrong}, note {note}, other_language {other}, of {len(rows)}")
