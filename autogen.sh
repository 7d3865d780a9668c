#!/bin/sh
# Prepare a fresh checkout for ./configure. As root on Debian, first install
# whatever build and test dependency is missing (see build-aux/deps.sh).
set -e
cd "$(dirname "$0")"
sh build-aux/deps.sh
autoreconf -fi
