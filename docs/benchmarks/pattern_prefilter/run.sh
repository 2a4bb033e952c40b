#!/bin/sh
# Checks RequiredText on the bundled bot's patterns (its intents' on ICU, its
# entities' on Swift's Regex) against the transcripts' customer lines and the
# public intent data in ../shared/data (BANKING77, CLINC150), and times all
# patterns on all texts with and without it.
#   sh docs/benchmarks/pattern_prefilter/run.sh
set -e
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$root" "$work" <<'PY'
import csv, glob, json, os, sys, yaml
root, work = sys.argv[1], sys.argv[2]
patterns = []
for path in sorted(glob.glob(os.path.join(root, "intents", "*.yaml"))):
    data = yaml.safe_load(open(path, encoding="utf-8"))
    for intent in (data or {}).get("intents", []) if isinstance(data, dict) else []:
        for pattern in intent.get("patterns", []) or []:
            pattern = pattern.strip()
            if len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/"):
                patterns.append([intent["name"], pattern[1:-1]])
# The entities' patterns (and their when_asked patterns), which run on Swift's
# Regex, on the text as typed; then the profile's volunteered patterns.
entity_patterns = []
entities = yaml.safe_load(open(os.path.join(root, "intents", "entities.yaml"), encoding="utf-8"))
for entity in entities.get("entities", []):
    if "pattern" in entity:
        entity_patterns.append([entity["name"], entity["pattern"], {str(k): str(v) for k, v in (entity.get("digit_lookalikes") or {}).items()}])
    asked = entity.get("when_asked") or {}
    if "pattern" in asked:
        entity_patterns.append([entity["name"] + " (when asked)", asked["pattern"], {str(k): str(v) for k, v in (entity.get("digit_lookalikes") or {}).items()}])
# The profile fields' volunteered patterns, which run on Swift's Regex ignoring case.
profile = yaml.safe_load(open(os.path.join(root, "intents", "profile.yaml"), encoding="utf-8"))
for field in (profile.get("profile") or profile).get("fields", []):
    for pattern in field.get("volunteered", []) or []:
        entity_patterns.append([field["name"] + " (volunteered)", pattern, {}, True])
texts = []
for path in sorted(glob.glob(os.path.join(root, "transcripts", "*.convo.txt"))):
    lines = open(path, encoding="utf-8").read().split("\n")
    texts += [lines[i + 1] for i, line in enumerate(lines[:-1]) if line.strip() == "#me"]
shared = os.path.join(root, "..", "shared", "data")
for path in ["banking77/train.csv", "clinc150/train.csv", "clinc150/val.csv"]:
    if os.path.exists(os.path.join(shared, path)):
        rows = csv.reader(open(os.path.join(shared, path), encoding="utf-8"))
        next(rows)
        texts += [row[0] for row in rows]
json.dump(patterns, open(os.path.join(work, "patterns.json"), "w"))
json.dump(entity_patterns, open(os.path.join(work, "entity_patterns.json"), "w"))
json.dump(texts, open(os.path.join(work, "texts.json"), "w"))
PY
swiftc -O "$root/docs/benchmarks/pattern_prefilter/main.swift" "$root/Sources/RapportCore/Matching/RequiredText.swift" \
    "$root/Sources/RapportCore/Matching/ByteSearch.swift" -o "$work/check"
"$work/check" "$work/patterns.json" "$work/texts.json" "$work/entity_patterns.json"
