#!/usr/bin/env python3
"""Bridge HTTP to `rapport serve`: POST a JSON message, get rapport's reply.

One rapport process serves every conversation; requests are written to its
stdin one line at a time and answered in order, so a lock keeps each request
and its answer together.

    python3 docs/examples/http_bridge.py --port 8080 -- rapport serve
    curl -s localhost:8080/message -d '{"session":"web-1","customer":"c-42","text":"where is my order"}'

Standard library only. Listens on 127.0.0.1 unless told otherwise; put a real
web server with authentication in front of it before exposing it anywhere.
"""
import argparse
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Rapport:
    """A `rapport serve` child process and its line protocol."""

    def __init__(self, command):
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1
        )
        self.lock = threading.Lock()
        self.ready = json.loads(self.process.stdout.readline())
        if self.ready.get("type") != "ready":
            raise SystemExit(f"rapport did not start: {self.ready}")

    def ask(self, request):
        line = json.dumps(request, ensure_ascii=False)
        with self.lock:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError("rapport serve has exited")
        return json.loads(answer)


class Handler(BaseHTTPRequestHandler):
    rapport = None  # set in main()

    def do_POST(self):
        if self.path not in ("/message", "/end", "/ping"):
            return self.reply(404, {"type": "error", "code": "not_found", "message": "POST /message, /end or /ping"})
        length = int(self.headers.get("Content-Length") or 0)
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return self.reply(400, {"type": "error", "code": "invalid_json", "message": "the body is not JSON"})
        if not isinstance(request, dict):
            return self.reply(400, {"type": "error", "code": "not_an_object", "message": "the body must be a JSON object"})
        request["type"] = self.path[1:]
        answer = self.rapport.ask(request)
        self.reply(400 if answer.get("type") == "error" else 200, answer)

    def reply(self, status, body):
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        sys.stderr.write("http_bridge: " + format % args + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("command", nargs="+", help="how to start rapport, after --: rapport serve [options]")
    options = parser.parse_args()
    Handler.rapport = Rapport(options.command)
    server = ThreadingHTTPServer((options.host, options.port), Handler)
    print(f"http_bridge: {Handler.rapport.ready['bot']} on http://{options.host}:{options.port}", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        Handler.rapport.process.stdin.close()
        Handler.rapport.process.wait()


if __name__ == "__main__":
    main()
