#!/bin/sh
# Bootstrap on a fresh Debian 12: install make (and sudo's absence is fine as
# root), then let `make deps` install everything else.
set -e
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
if ! command -v make >/dev/null 2>&1; then
    $SUDO apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q make
fi
exec make deps
