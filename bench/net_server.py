#!/usr/bin/env python3
"""The host side of bench/net.sh: an HTTP server on 127.0.0.1:PORT that
answers GET /blob with SIZE bytes of zeros and swallows any POST body."""
import http.server, sys

port, size = int(sys.argv[1]), int(sys.argv[2])
chunk = bytes(65536)

class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        left = size
        while left:
            n = min(left, len(chunk))
            self.wfile.write(chunk[:n])
            left -= n
    def do_POST(self):
        left = int(self.headers.get("Content-Length", 0))
        while left:
            b = self.rfile.read(min(left, 65536))
            if not b:
                break
            left -= len(b)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
