#!/usr/bin/env python3
"""A scripted client for character devices (tests/system/chardev.sh, qmp.sh).

    sockclient.py [--idle S] [--max N] ADDR STEP...

ADDR is unix:PATH, tcp:HOST:PORT or pty:PATH (connection retried for 10 s).
Each STEP is a number (sleep that many seconds), "@TEXT" (wait until the
bytes received so far contain TEXT, at most 10 s), "<FILE" (send the
file's bytes) or text to send, with Python escapes (\\n, \\x01). After the steps, what arrives is read until
the other end closes or nothing came for --idle seconds (default 1); every
byte received goes to stdout as it is. --max N stops reading after N bytes
(--max 0: never reads, as a client that does not drain would).
"""
import os
import select
import socket
import sys
import time
import tty


def connect(addr):
    end = time.time() + 10
    while True:
        try:
            if addr.startswith("pty:"):
                fd = os.open(addr[4:], os.O_RDWR | os.O_NOCTTY)
                tty.setraw(fd)
                return fd, None
            if addr.startswith("unix:"):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(addr[5:])
            else:
                host, port = addr[4:].rsplit(":", 1)
                s = socket.create_connection((host or "127.0.0.1", int(port)))
            return s.fileno(), s
        except OSError:
            if time.time() > end:
                raise
            time.sleep(0.05)


def main():
    args = sys.argv[1:]
    idle, limit = 1.0, None
    while args and args[0] in ("--idle", "--max"):
        if args[0] == "--idle":
            idle = float(args[1])
        else:
            limit = int(args[1])
        args = args[2:]
    fd, sock = connect(args[0])
    got = bytearray()

    def pump(timeout):
        """Read for up to timeout s: "data", "idle" or "eof"."""
        if limit is not None and len(got) >= limit:
            time.sleep(timeout)
            return "idle"
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return "idle"
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        got.extend(data)
        return "data" if data else "eof"

    for step in args[1:]:
        try:
            end = time.time() + float(step)
            while time.time() < end and pump(max(0.0, end - time.time())) != "eof":
                pass
            continue
        except ValueError:
            pass
        if step.startswith("@"):
            want = step[1:].encode().decode("unicode_escape").encode("latin-1")
            end = time.time() + 10
            while want not in got and time.time() < end and pump(0.1) != "eof":
                pass
            continue
        if step.startswith("<"):
            with open(step[1:], "rb") as f:
                data = f.read()
        else:
            data = step.encode().decode("unicode_escape").encode("latin-1")
        try:
            os.write(fd, data)
        except OSError:
            break
    while pump(idle) == "data":
        pass
    sys.stdout.buffer.write(bytes(got))
    if sock:
        sock.close()
    else:
        os.close(fd)


main()
