#!/bin/sh
# Install hookman's Debian build and test dependencies when some are missing.
# Does nothing when all are present; needs root (or sudo) otherwise.
set -e
PKGS="build-essential autoconf automake pkg-config libncurses-dev \
libcurl4-openssl-dev libjansson-dev libsqlite3-dev libssl-dev check \
tmux sqlite3 jq openssl groff-base"
# The PostgreSQL store (issue 15): libpq, and the server its tests start
# a throwaway cluster of (where systemd runs, installing it also starts
# a system cluster, which the tests leave alone).
PKGS="$PKGS libpq-dev postgresql"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps.sh: missing packages:$missing (install them with your package manager)" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "deps.sh: missing packages:$missing; run as root to install them" >&2
    exit 1
  fi
fi
echo "deps.sh: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
