#!/usr/bin/env python3
"""Proof that rapport on PostgreSQL loses nothing across hosts, for docs/BENCHMARKS.md.

    swift build -c release
    sudo python3 docs/benchmarks/multihost.py [RAPPORT] [--hosts 3] [--customers 60] [--matcher words|hybrid]

Starts a PostgreSQL server of its own (Debian's postgresql package, in a
temporary folder) and N `rapport serve` processes, each in a network namespace
of its own joined to the server by a veth pair (10.77.K.2 talks to the server
at 10.77.K.1), as N hosts on a network would be. Without the rights to make
namespaces (not root, or `ip netns` refused) every process runs on loopback
instead, and the script says so.

Many customers chat at once, each message sent to a host picked at random
(seeded), so every session moves between processes: a customer asks where an
order is, gives the number, says their name and town, rates the chat, and
asks what the bot knows about them. A third of the way through, one process
is killed with SIGKILL in the middle of its work and started again.

Checks, from the database and the replies:
- every message that got a reply is stored as a turn (a message sent to the
  killed process and never answered may or may not be: at most one a session);
- every acknowledged score is stored;
- every name and town the bot said it would remember is in the customer's profile;
- no reply to one customer names another customer's name or town.
Prints the figures and exits 1 if any check fails. Everything it made is
removed at the end (processes, namespaces, the server and its folder).
"""
import json
import os
import queue
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


positional = [a for i, a in enumerate(sys.argv[1:], 1) if not a.startswith("--") and not sys.argv[i - 1].startswith("--")]
rapport = os.path.abspath(positional[0]) if positional else os.path.join(root, ".build", "release", "rapport")
hosts = int(option("--hosts", "3"))
customers = int(option("--customers", "60"))
matcher = option("--matcher", "words")
work = tempfile.mkdtemp(prefix="rapport-multihost-")
os.chmod(work, 0o755)
generator = random.Random(7)
# Names and towns no two customers share, made of syllables (a name with a digit is no name to the bot).
NAMES = [a + b for a in ["Ma", "Lo", "Ri", "Ka", "Te", "No", "Su", "Vi", "Jo", "Pe"]
         for b in ["ra", "lin", "dor", "mi", "sa", "ven", "tia", "bel", "rik", "mo"]]
TOWNS = [a + b for a in ["Ash", "Bex", "Cal", "Dun", "Elm", "Fen", "Gar", "Hol", "Ink", "Kel"]
         for b in ["ton", "ford", "by", "wick", "ham", "stead", "mere", "worth", "field", "combe"]]


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def find(binary):
    for folder in sorted(os.listdir("/usr/lib/postgresql"), reverse=True) if os.path.isdir("/usr/lib/postgresql") else []:
        path = os.path.join("/usr/lib/postgresql", folder, "bin", binary)
        if os.path.exists(path):
            return path
    return shutil.which(binary) or sys.exit("no %s: install Debian's postgresql package" % binary)


as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


def start_server(port):
    data = os.path.join(work, "pg")
    os.makedirs(data)
    if as_postgres:
        shutil.chown(data, "postgres")
    run(as_postgres + [find("initdb"), "-D", data, "-U", "rapport", "--auth=trust", "-E", "UTF8", "--no-instructions"])
    with open(os.path.join(data, "pg_hba.conf"), "a") as hba:
        hba.write("host all all 10.77.0.0/16 trust\n")
    run(as_postgres + [find("pg_ctl"), "-D", data, "-l", os.path.join(data, "log"), "-w", "start",
                       "-o", "-c listen_addresses=* -p %d -k %s -c max_connections=300" % (port, data)])
    run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "rapport", "-d", "postgres", "-qc", "CREATE DATABASE proof"])
    return data


def make_namespaces():
    """One namespace per host with a veth pair to the root namespace; False if not allowed."""
    try:
        for index in range(hosts):
            name, k = "rapport-h%d" % index, index + 1
            run(["ip", "netns", "add", name])
            run(["ip", "link", "add", "rph%d" % index, "type", "veth", "peer", "name", "rph%dp" % index])
            run(["ip", "link", "set", "rph%dp" % index, "netns", name])
            run(["ip", "addr", "add", "10.77.%d.1/24" % k, "dev", "rph%d" % index])
            run(["ip", "link", "set", "rph%d" % index, "up"])
            run(["ip", "netns", "exec", name, "ip", "addr", "add", "10.77.%d.2/24" % k, "dev", "rph%dp" % index])
            run(["ip", "netns", "exec", name, "ip", "link", "set", "rph%dp" % index, "up"])
            run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"])
        return True
    except (subprocess.CalledProcessError, FileNotFoundError):
        remove_namespaces()
        return False


def remove_namespaces():
    for index in range(hosts):
        subprocess.run(["ip", "link", "del", "rph%d" % index], capture_output=True)
        subprocess.run(["ip", "netns", "del", "rapport-h%d" % index], capture_output=True)


class Host:
    """One `rapport serve` process; replies are matched to requests by id."""

    def __init__(self, index, address, namespaced):
        self.index, self.address, self.namespaced = index, address, namespaced
        self.lock = threading.Lock()
        self.start()

    def start(self):
        env = dict(os.environ, HOME=work, XDG_DATA_HOME=os.path.join(work, "data"),
                   RAPPORT_MODEL_CACHE=os.path.join(work, "models"))
        command = [rapport, "serve", "--db", self.address, "--seed", "1", "--matcher", matcher]
        if self.namespaced:
            command = ["ip", "netns", "exec", "rapport-h%d" % self.index] + command
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        ready = self.process.stdout.readline()
        if b'"ready"' not in ready:
            sys.exit("host %d did not start: %r %s" % (self.index, ready, self.process.stderr.read().decode()))
        self.waiting = {}
        self.alive = True
        threading.Thread(target=self.read, args=(self.process,), daemon=True).start()

    def read(self, process):
        for line in process.stdout:
            reply = json.loads(line)
            with self.lock:
                box = self.waiting.pop(reply.get("id"), None)
            if box:
                box.put(reply)
        with self.lock:
            self.alive = False
            for box in self.waiting.values():
                box.put(None)  # never answered
            self.waiting.clear()

    def ask(self, request):
        """The reply, or None when the process died before answering."""
        box = queue.Queue()
        with self.lock:
            if not self.alive:
                return None
            self.waiting[request["id"]] = box
            try:
                self.process.stdin.write((json.dumps(request) + "\n").encode())
                self.process.stdin.flush()
            except (BrokenPipeError, ValueError):
                self.waiting.pop(request["id"], None)
                return None
        return box.get()

    def kill(self):
        self.process.kill()
        self.process.wait()


def main():
    port = 55000 + generator.randrange(1000)
    start_server(port)
    namespaced = os.getuid() == 0 and make_namespaces()
    address = lambda index: "postgres://rapport@%s:%d/proof?sslmode=disable" % (
        "10.77.%d.1" % (index + 1) if namespaced else "127.0.0.1", port)
    print("%d rapport serve processes %s, one PostgreSQL server; %d customers, %s matcher" % (
        hosts, "in network namespaces of their own (veth)" if namespaced else "on loopback (no network namespaces here)",
        customers, matcher))
    # Train the model once, so every host starts warm.
    warm = Host(0, address(0), namespaced)
    warm.process.stdin.close()
    warm.process.wait()
    servers = [Host(index, address(index), namespaced) for index in range(hosts)]

    if customers > len(NAMES):
        sys.exit("at most %d customers: each needs a name and a town of their own" % len(NAMES))
    people = [{"id": "c-%03d" % n, "name": NAMES[n], "town": TOWNS[n]} for n in range(customers)]
    script = lambda p: [("message", "hi"), ("message", "where is my order"), ("message", "HP-10442"),
                        ("message", "my name is %s" % p["name"]), ("message", "I live in %s" % p["town"]),
                        ("feedback", 4), ("message", "what do you know about me?"), ("message", "bye")]
    acknowledged = {p["id"]: {"turns": 0, "feedback": 0, "unanswered": 0, "remembered": set(), "replies": []} for p in people}
    counter = [0]
    total_steps = sum(len(script(p)) for p in people)
    done = [0]
    killed = [False]
    state_lock = threading.Lock()

    def chat(person):
        session = "s-" + person["id"]
        record = acknowledged[person["id"]]
        for kind, value in script(person):
            with state_lock:
                counter[0] += 1
                request_id = counter[0]
                done[0] += 1
                if not killed[0] and done[0] > total_steps // 3:
                    killed[0] = True
                    victim = servers[generator.randrange(hosts)]
                    victim.kill()  # in the middle of its work: other customers' requests are in flight
                    victim.start()
                target = servers[generator.randrange(hosts)]
            if kind == "message":
                request = {"id": request_id, "session": session, "customer": person["id"], "text": value}
            else:
                request = {"id": request_id, "type": "feedback", "session": session, "score": value}
            reply = target.ask(request)
            if reply is None:
                record["unanswered"] += 1
                continue
            if reply.get("type") == "error":
                sys.exit("error reply to %s: %s" % (request, reply))
            texts = " ".join(r["text"] for r in reply.get("replies", []))
            record["replies"].append(texts)
            if kind == "message":
                record["turns"] += 1
                for field, said in (("first_name", person["name"]), ("city", person["town"])):
                    if "remember" in texts and said in re.findall(r"\w+", texts):
                        record["remembered"].add((field, said))
            elif reply.get("type") == "feedback_recorded":
                record["feedback"] += 1

    began = time.perf_counter()
    threads = [threading.Thread(target=chat, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    for server in servers:
        server.process.stdin.close()
        server.process.wait()

    def sql(query):
        out = run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "rapport", "-d", "proof", "-AtF", "\t", "-c", query]).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    turns = {c: int(n) for c, n in sql("SELECT s.customer_id, count(t.*) FROM session s LEFT JOIN turn t ON t.session_id = s.id GROUP BY 1")}
    scores = {c: int(n) for c, n in sql("SELECT customer_id, count(*) FROM feedback WHERE score IS NOT NULL GROUP BY 1")}
    facts = {}
    for customer, field, value in sql("SELECT customer_id, field, value FROM profile_fact"):
        facts.setdefault(customer, set()).add((field, value))
    failures = []
    for person in people:
        record, cid = acknowledged[person["id"]], person["id"]
        stored = turns.get(cid, 0)
        if not record["turns"] <= stored <= record["turns"] + record["unanswered"]:
            failures.append("%s: %d turns answered, %d stored" % (cid, record["turns"], stored))
        if scores.get(cid, 0) < record["feedback"]:
            failures.append("%s: %d scores acknowledged, %d stored" % (cid, record["feedback"], scores.get(cid, 0)))
        missing = record["remembered"] - facts.get(cid, set())
        if missing:
            failures.append("%s: said it would remember %s, not in the profile" % (cid, sorted(missing)))
        others = [p for p in people if p["id"] != cid]
        for text in record["replies"]:
            words = set(re.findall(r"\w+", text))
            for other in others:
                if other["name"] in words or other["town"] in words:
                    failures.append("%s was told about %s: %s" % (cid, other["id"], text[:120]))
    answered = sum(r["turns"] + r["feedback"] for r in acknowledged.values())
    unanswered = sum(r["unanswered"] for r in acknowledged.values())
    print("%d requests answered in %.1f s (%.0f a second), %d not answered by the process killed with SIGKILL" % (
        answered, elapsed, answered / elapsed, unanswered))
    print("stored: %d turns, %d scores, %d facts; remembered as said: %d of %d" % (
        sum(turns.values()), sum(scores.values()), sum(len(v) for v in facts.values()),
        sum(len(r["remembered"] & facts.get(c, set())) for c, r in acknowledged.items()),
        sum(len(r["remembered"]) for r in acknowledged.values())))
    print("sessions that moved between processes: every one (each request went to a random host)")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures[:20]))
    else:
        print("PASSED: nothing acknowledged was lost, and no customer saw another's data")
    return 1 if failures else 0


status = 1
try:
    status = main()
finally:
    remove_namespaces()
    data = os.path.join(work, "pg")
    if os.path.isdir(data):
        subprocess.run(as_postgres + [find("pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"], capture_output=True)
    shutil.rmtree(work, ignore_errors=True)
sys.exit(status)
