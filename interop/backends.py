"""Small HTTP backends for the listener tests: each answers with its name and the request headers it received,
and serves /health with a status the test can change."""
import http.server
import json
import socket
import socketserver
import threading


class Backend:
    def __init__(self, name, host, port):
        self.name, self.host, self.port = name, host, port
        self.health_status = 200
        self.requests = 0
        backend = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def answer(self, body_wanted):
                if self.path.startswith("/health"):
                    status, body = backend.health_status, b"health"
                else:
                    backend.requests += 1
                    status = 200
                    body = json.dumps({"backend": backend.name, "path": self.path,
                                       "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body_wanted:
                    self.wfile.write(body)

            def do_GET(self):
                self.answer(True)

            def do_POST(self):
                self.answer(True)

            def do_HEAD(self):
                self.answer(False)

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server((host, port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def free_port(host="127.0.0.1"):
    """A port free on 127.0.0.1 and on the other loopback addresses the tests use."""
    while True:
        with socket.socket() as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
        try:
            for other in ("127.0.0.2", "127.0.0.3"):
                with socket.socket() as check:
                    check.bind((other, port))
            return port
        except OSError:
            continue
