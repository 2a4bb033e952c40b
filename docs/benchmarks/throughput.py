#!/usr/bin/env python3
"""Turns a second through `rapport serve`, for docs/BENCHMARKS.md.

    swift build -c release
    python3 docs/benchmarks/throughput.py [RAPPORT] [--turns N] [--processes 1,2,4,8]
        [--matcher words|hybrid] [--db sqlite|postgres://...] [--latency N]

RAPPORT defaults to .build/release/rapport. The customers' messages are the
`#me` lines of the bundled transcripts (transcripts/*.convo.txt): each
transcript becomes one customer's session, with its messages in order, and
sessions interleave on the stream as a chat service's would. A tenth of the
sessions also send a satisfaction score, which must be acknowledged.

Prints, each figure from one run on a fresh database in a temporary folder:

- pipelined: every request line written at once while the replies are read;
  turns a second from the first line written to the last reply read;
- one request at a time: the latency of each turn (write, wait for the
  reply), as p50 and p99, in milliseconds;
- with 1, 2, 4 and 8 `rapport serve` processes on one database, each fed its
  own customers, pipelined: total turns a second.

Every reply is checked (one reply line per request, no error line), and at
the end the database must hold every turn and every acknowledged score.
Compare figures measured in one run: the machine is shared.
"""
import glob
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def option(name, default):
    if name in sys.argv:
        return sys.argv[sys.argv.index(name) + 1]
    return default


positional = []
skip = False
for argument in sys.argv[1:]:
    if skip:
        skip = False
        continue
    if argument.startswith("--"):
        skip = True
        continue
    positional.append(argument)
rapport = os.path.abspath(positional[0]) if positional else os.path.join(root, ".build", "release", "rapport")
turns_wanted = int(option("--turns", "6000"))
process_counts = [int(n) for n in option("--processes", "1,2,4,8").split(",")]
matcher = option("--matcher", "words")
database = option("--db", "sqlite")
latency_turns = int(option("--latency", "1000"))
intents = os.path.join(root, "intents")
work = tempfile.mkdtemp(prefix="rapport-throughput-")


def conversations():
    """Each transcript's customer messages, in order, slash commands left out."""
    found = []
    for path in sorted(glob.glob(os.path.join(root, "transcripts", "*.convo.txt"))):
        lines = open(path, encoding="utf-8").read().split("\n")
        messages, index = [], 0
        while index < len(lines):
            if lines[index].strip() == "#me":
                block = []
                index += 1
                while index < len(lines) and lines[index].strip() and not lines[index].startswith("#"):
                    block.append(lines[index])
                    index += 1
                text = "\n".join(block).strip()
                if text.startswith("/"):
                    # The console's commands (/restart, /quit...): the next messages are another session.
                    if messages:
                        found.append(messages)
                    messages = []
                elif text and len(text) <= 2000:
                    messages.append(text)
            else:
                index += 1
        if messages:
            found.append(messages)
    return found


def requests(count, prefix):
    """About `count` message lines, as sessions of the transcripts' customers, interleaved."""
    pool = conversations()
    sessions, total, number = [], 0, 0
    while total < count:
        messages = pool[number % len(pool)]
        session = "%s-%d" % (prefix, number)
        owners[session] = "c-%s-%d" % (prefix, number % 500)
        lines = [json.dumps({"session": session, "customer": owners[session], "text": text}) for text in messages]
        if number % 10 == 0:
            lines.append(json.dumps({"type": "feedback", "session": session, "score": 1 + number % 5}))
        sessions.append(lines)
        total += len(messages)
        number += 1
    # Round-robin: one line of each session in turn, as many chats at once would send them.
    stream, position = [], 0
    while any(position < len(lines) for lines in sessions):
        for lines in sessions:
            if position < len(lines):
                stream.append(lines[position])
        position += 1
    return stream


def environment():
    env = dict(os.environ)
    env["HOME"] = work
    env["XDG_DATA_HOME"] = os.path.join(work, "data")
    env["RAPPORT_MODEL_CACHE"] = os.path.join(work, "models")
    return env


def start(db):
    command = [rapport, "serve", "--intents", intents, "--db", db, "--seed", "1"]
    if matcher == "words":
        command += ["--matcher", "words"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=environment())
    ready = process.stdout.readline()
    if b'"type":"ready"' not in ready:
        sys.exit("rapport serve did not start: %r %r" % (ready, process.stderr.read()))
    return process


ended_refusals = []
# Each session's customer, from the messages sent.
owners = {}
# Customers who asked to be erased ("delete all my data"): their rows are gone
# by design, so the count of what was kept leaves them out.
erased = set()


def check(reply, request):
    """The reply, which must not be an error; a message to a session the
    customer said goodbye to is refused (`session_ended`), and counted."""
    answer = json.loads(reply)
    if answer.get("type") == "error":
        session = json.loads(request)["session"]
        if answer.get("code") == "session_ended" or (answer.get("code") == "unknown_session" and owners.get(session) in erased):
            # Said goodbye, or its customer asked to be erased in another session: refused, as it must be.
            ended_refusals.append(request)
        else:
            sys.exit("error reply to %s: %s" % (request, reply))
    for event in answer.get("events", []):
        if event.get("type") == "customer_erased":
            erased.add(event["customer"])
        elif event.get("type") == "session_ended" and event.get("reason") == "erased":
            # Erased, with a copy left in the write-ahead log a moment (another process was reading):
            # the rows are gone, and the warning on stderr is counted below.
            erased.add(owners[json.loads(request)["session"]])
    return answer


def pipelined(process, stream):
    """Writes every line from a thread while reading the replies; seconds taken."""
    def write():
        for line in stream:
            process.stdin.write(line.encode() + b"\n")
        process.stdin.flush()
    began = time.perf_counter()
    writer = threading.Thread(target=write)
    writer.start()
    for request in stream:
        check(process.stdout.readline(), request)
    elapsed = time.perf_counter() - began
    writer.join()
    return elapsed


# Erasures whose rows were deleted while another process was reading the SQLite
# file, so a copy stayed in the write-ahead log for a moment: rapport says so
# rather than claim it (docs/STORE.md), which is right, and counted here.
erasures_left_in_wal = [0]


def finish(process):
    process.stdin.close()
    process.wait()
    warnings = [line for line in process.stderr.read().decode().splitlines() if "warning" in line]
    honest = [line for line in warnings if "a copy stays in the write-ahead log" in line]
    erasures_left_in_wal[0] += len(honest)
    if len(warnings) > len(honest):
        sys.exit("rapport serve warned: " + "\n".join(warnings)[:2000])


def database_for(name):
    """A new database for one run: a SQLite file in the temporary folder, or a
    database made on the PostgreSQL server `--db` names (its user may create them)."""
    if database == "sqlite":
        return os.path.join(work, name + ".sqlite")
    made = "rapport_throughput_%s_%d" % (name.replace("-", "_"), os.getpid())
    subprocess.run(["psql", database, "-qc", "DROP DATABASE IF EXISTS %s" % made], check=True, capture_output=True)
    subprocess.run(["psql", database, "-qc", "CREATE DATABASE %s" % made], check=True, capture_output=True)
    base, _, query = database.partition("?")
    return base.rsplit("/", 1)[0] + "/" + made + ("?" + query if query else "")


def count_rows(db, stream):
    """The turns and scores the database holds, against the requests sent."""
    if not db.endswith(".sqlite"):
        return
    refused = set(ended_refusals)
    requests = [json.loads(line) for line in stream if line not in refused]
    messages = sum(1 for r in requests if r.get("type", "message") == "message" and r["customer"] not in erased)
    scores = sum(1 for line in stream if json.loads(line).get("type") == "feedback")
    connection = sqlite3.connect(db)
    marks = ",".join("?" * len(erased))
    turns = connection.execute(
        "SELECT COUNT(*) FROM turn JOIN session ON session.id = turn.session_id WHERE session.customer_id NOT IN (%s)" % marks,
        sorted(erased)).fetchone()[0]
    feedback = connection.execute("SELECT COUNT(*) FROM feedback WHERE score IS NOT NULL").fetchone()[0]
    connection.close()
    if turns != messages or feedback < scores:
        sys.exit("lost: %d of %d turns and %d of %d scores stored" % (turns, messages, feedback, scores))


def main():
    print("rapport serve, %s matcher, bundled bot, %s" % (matcher, "SQLite" if database == "sqlite" else "PostgreSQL"))
    # Train the model once, so every run below starts warm.
    warm = start(database_for("warm"))
    finish(warm)

    stream = requests(turns_wanted, "p")
    db = database_for("pipelined")
    process = start(db)
    elapsed = pipelined(process, stream)
    finish(process)
    count_rows(db, stream)
    print("pipelined, 1 process: %d requests in %.2f s: %.0f a second" % (len(stream), elapsed, len(stream) / elapsed))

    stream = requests(latency_turns, "l")
    process = start(database_for("latency"))
    latencies = []
    for line in stream:
        began = time.perf_counter()
        process.stdin.write(line.encode() + b"\n")
        process.stdin.flush()
        check(process.stdout.readline(), line)
        latencies.append((time.perf_counter() - began) * 1000)
    finish(process)
    latencies.sort()
    print("one at a time: p50 %.2f ms, p99 %.2f ms (%d requests)" % (
        latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)], len(latencies)))

    for count in process_counts:
        db = database_for("shared-%d" % count)
        streams = [requests(turns_wanted // count, "n%d-%d" % (count, index)) for index in range(count)]
        processes = [start(db) for _ in streams]
        timings = [0.0] * count
        threads = [threading.Thread(target=lambda i=i: timings.__setitem__(i, pipelined(processes[i], streams[i])))
                   for i in range(count)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        for process in processes:
            finish(process)
        count_rows(db, [line for stream in streams for line in stream])
        total = sum(len(stream) for stream in streams)
        print("%d processes on one database: %d requests in %.2f s: %.0f a second" % (count, total, elapsed, total / elapsed))
    if erasures_left_in_wal[0]:
        print("erasures said to be incomplete (another process was reading; the rows were deleted): %d" % erasures_left_in_wal[0])
    shutil.rmtree(work, ignore_errors=True)


main()
