#!/usr/bin/env python3
"""A webhook receiver for trying Ringback's webhooks, and for its tests.

Checks every request's Ringback-Signature with verify() (the README's example), answers
with the STATUS codes given, in turn (then 200), and appends one JSON line per request to
LOG: {"valid", "status", "signature", "body"}. Binds PORT (0: any free port) on
127.0.0.1 and writes the port it got to LOG + ".port".

usage: webhook-receiver.py SECRET_FILE LOG PORT [STATUS ...]
"""
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer


def verify(secret: bytes, header: str, body: bytes, tolerance: int = 300) -> bool:
    """True when `header` (Ringback-Signature: t=UNIX,v1=HEX) signs `body` under `secret`
    and was made within `tolerance` seconds: an old body replayed is refused."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    timestamp, signature = fields.get("t", ""), fields.get("v1", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def main() -> None:
    secret_file, log, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    statuses = [int(code) for code in sys.argv[4:]]
    with open(secret_file, "rb") as f:
        secret = f.read().strip()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            header = self.headers.get("Ringback-Signature", "")
            status = statuses.pop(0) if statuses else 200
            with open(log, "a") as out:
                out.write(json.dumps({"valid": verify(secret, header, body), "status": status,
                                      "signature": header, "body": body.decode()}) + "\n")
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", port), Receiver)
    with open(log + ".port", "w") as out:
        out.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
