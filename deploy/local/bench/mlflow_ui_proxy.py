"""A loopback-only proxy to an MLflow server with basic-auth on, for a headless browser that cannot log in.

    python3 mlflow_ui_proxy.py http://127.0.0.1:5000 <user> <password file>

Prints the port it listens on (127.0.0.1, chosen by the kernel) on its first line, then serves until it
is killed. Every request is forwarded with `Authorization: Basic ...` for that account, so the password
stays in its file and this process's memory: not on a command line (visible in ps), not in a URL (kept in
the browser's history and logs). Standard library only.

The browser's Origin and Referer name the proxy, not the server, so they are dropped: MLflow's security
middleware refuses state-changing requests from an origin it does not know.
"""
import base64
import http.client
import http.server
import sys
import urllib.parse
from pathlib import Path

# Hop-by-hop headers (RFC 9110 7.6.1) and those the proxy recomputes.
SKIPPED_REQUEST = {"host", "authorization", "connection", "keep-alive", "origin", "referer", "accept-encoding"}
SKIPPED_RESPONSE = {"connection", "keep-alive", "transfer-encoding", "content-length"}


def make_handler(target, authorization):
    class Forward(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in SKIPPED_REQUEST}
            headers["Authorization"] = authorization
            connection = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=120)
            try:
                connection.request(self.command, self.path, body, headers)
                answer = connection.getresponse()
                data = answer.read()
            except OSError as e:
                self.send_error(502, f"MLflow at {target.geturl()} did not answer: {e}")
                return
            finally:
                connection.close()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in SKIPPED_RESPONSE:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = forward

        def log_message(self, format, *args):
            pass  # the browser's hundreds of asset requests are noise

    return Forward


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: mlflow_ui_proxy.py <MLflow URL> <user> <password file>")
    target = urllib.parse.urlsplit(sys.argv[1])
    if target.scheme != "http" or not target.hostname:
        sys.exit(f"the MLflow URL must be http://host:port, got {sys.argv[1]!r}")
    password = Path(sys.argv[3]).read_text().strip()
    if not password:
        sys.exit(f"the password file {sys.argv[3]} is empty")
    authorization = "Basic " + base64.b64encode(f"{sys.argv[2]}:{password}".encode()).decode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(target, authorization))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
