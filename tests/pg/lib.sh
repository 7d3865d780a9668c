# A throwaway PostgreSQL cluster for the shell tests (issue 15). Source it
# after tests/cli/lib.sh or tests/sender/lib.sh: it needs their $T, and it
# chains the EXIT trap they set, so that the cluster is stopped and removed
# however the test ends (a failed check, an exit, HUP, INT or TERM).
#
#   pg_start    initdb into $T/pg/data and start the server, listening only
#               on a unix socket in $T/pg; export PGHOST, PGPORT, PGDATABASE
#               and PGUSER for the database hookman, owned by a role named
#               as the current user (no superuser, allowed to create
#               databases)
#   pg_restart  stop the server and start it again on the same data
#   pg_stop     stop the server and remove $T/pg
#   pg_uri      print the libpq URI of the database hookman
#   pg_sql SQL  run SQL there; print its rows as psql -XAt does
#   pg_pid      print the postmaster's pid
#
# It never touches a system cluster: the data directory and the socket are
# the test's own, and the port, which only names the socket file, is not
# 5432, so a client that missed PGHOST finds no server instead of the
# system's. PG_DURABLE=1 keeps fsync on (it is off for speed otherwise).
# pg_start, pg_restart and pg_stop return 1 when they fail, with a
# sentence on stderr (and the end of the log that tells why); pg_sql
# returns psql's status.

# The newest server under /usr/lib/postgresql (Debian's layout, one
# directory per major version), else the one on PATH.
PG_BIN=""
for pg_dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n); do
	[ -x "$pg_dir/initdb" ] && PG_BIN=$pg_dir
done
if [ -z "$PG_BIN" ] && command -v initdb >/dev/null; then
	PG_BIN=$(dirname "$(command -v initdb)")
fi
for pg_tool in initdb pg_ctl postgres pg_isready psql createuser createdb; do
	[ -n "$PG_BIN" ] && [ -x "$PG_BIN/$pg_tool" ] ||
		{ echo "SKIP: $(basename "$0") needs PostgreSQL (apt-get install postgresql)"; exit 77; }
done

# The server refuses to run as root: then it runs as postgres, and root
# reaches it through the socket like any client.
PG_RUN=""
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 ||
		{ echo "SKIP: $(basename "$0") needs the postgres user to run the server as root (apt-get install postgresql)"; exit 77; }
	if command -v runuser >/dev/null; then
		PG_RUN="runuser -u postgres --"
	elif command -v setpriv >/dev/null; then
		PG_RUN="setpriv --reuid=postgres --regid=postgres --init-groups --"
	else
		echo "SKIP: $(basename "$0") needs runuser or setpriv to start the server as postgres (apt-get install util-linux)"
		exit 77
	fi
fi

# Whatever the environment named, the clients go to this cluster only.
unset PGHOSTADDR PGSERVICE PGSERVICEFILE PGOPTIONS PGCLUSTER PGDATA
PG_DIR="$T/pg"
PG_DATA="$PG_DIR/data"
PG_PATIENCE=${TEST_PATIENCE:-1}

# pg_as_owner COMMAND...: run COMMAND as the server's user, in $PG_DIR (a
# server started from a directory its user cannot read, such as a build
# tree under /root, fails).
pg_as_owner() { (cd "$PG_DIR" && $PG_RUN "$@"); }

# pg_failed WHAT LOG: say what failed, with the end of its log.
pg_failed() {
	printf '%s; the end of %s:\n' "$1" "$2" >&2
	tail -n 15 "$2" | sed 's/^/  /' >&2
}

# The server up and answering, within 30 s (times TEST_PATIENCE): pg_ctl -w
# waits for the postmaster to say it is ready, pg_isready for a connection
# to be accepted.
pg_server_start() {
	pg_as_owner "$PG_BIN/pg_ctl" start -w -t $((30 * PG_PATIENCE)) -D "$PG_DATA" \
		-l "$PG_DIR/server.log" >>"$PG_DIR/pg_ctl.log" 2>&1 ||
		{ pg_failed "$1: the server did not start" "$PG_DIR/server.log"; return 1; }
	pg_i=0
	until "$PG_BIN/pg_isready" -q -h "$PG_DIR" -p "$PGPORT"; do
		pg_i=$((pg_i + 1))
		[ $pg_i -gt $((600 * PG_PATIENCE)) ] &&
			{ pg_failed "$1: the server accepts no connection after $((30 * PG_PATIENCE)) s" "$PG_DIR/server.log"; return 1; }
		sleep 0.05
	done
}

# The server's stop, fast (clients are disconnected), else immediate.
pg_server_stop() {
	pg_as_owner "$PG_BIN/pg_ctl" stop -w -t $((30 * PG_PATIENCE)) -m fast -D "$PG_DATA" >>"$PG_DIR/pg_ctl.log" 2>&1 ||
		pg_as_owner "$PG_BIN/pg_ctl" stop -w -m immediate -D "$PG_DATA" >>"$PG_DIR/pg_ctl.log" 2>&1 ||
		{ pg_failed "$1: the server in $PG_DATA did not stop" "$PG_DIR/pg_ctl.log"; return 1; }
}

pg_start() {
	# The socket's path, which a unix socket holds in 107 bytes, is also
	# written unquoted into the configuration and the URI.
	PGPORT=$((20000 + $$ % 40000))
	case $PG_DIR in
	*[!A-Za-z0-9/._-]*)
		echo "pg_start: $PG_DIR has characters other than letters, digits, '/', '.', '_' and '-', which the configuration and the URI would need quoted; set TMPDIR to a path without them" >&2
		return 1 ;;
	esac
	pg_len=$(printf '%s' "$PG_DIR/.s.PGSQL.$PGPORT" | wc -c)
	[ "$pg_len" -le 107 ] ||
		{ echo "pg_start: the socket path $PG_DIR/.s.PGSQL.$PGPORT is $pg_len bytes, more than the 107 a unix socket holds; set TMPDIR to a shorter directory" >&2; return 1; }
	mkdir -m 0700 "$PG_DIR" ||
		{ echo "pg_start: cannot create $PG_DIR (if a cluster runs there already, pg_stop it first)" >&2; return 1; }
	if [ -n "$PG_RUN" ]; then
		# postgres owns $T/pg and may pass through $T, which stays closed
		# to everyone else.
		{ chgrp "$(id -gn postgres)" "$T" && chmod 0710 "$T" && chown postgres: "$PG_DIR"; } ||
			{ echo "pg_start: cannot give $PG_DIR to the postgres user" >&2; return 1; }
		pg_as_owner test -w "$PG_DIR" ||
			{ echo "pg_start: the postgres user cannot reach $PG_DIR: a directory above it is closed to it; set TMPDIR to one it can pass through, such as /tmp" >&2; return 1; }
	fi
	pg_sync=--no-sync
	[ "${PG_DURABLE:-0}" = 1 ] && pg_sync=""
	# Local connections are trusted: only the test's user (and root) can
	# reach the socket's directory.
	pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=reject \
		-E UTF8 --locale=C $pg_sync >"$PG_DIR/initdb.log" 2>&1 ||
		{ pg_failed "pg_start: initdb failed" "$PG_DIR/initdb.log"; return 1; }
	pg_fsync=off
	[ "${PG_DURABLE:-0}" = 1 ] && pg_fsync=on
	cat >>"$PG_DATA/postgresql.conf" <<EOF || { echo "pg_start: cannot write $PG_DATA/postgresql.conf" >&2; return 1; }
# tests/pg/lib.sh: a unix socket only; small and fast
listen_addresses = ''
unix_socket_directories = '$PG_DIR'
port = $PGPORT
shared_buffers = 16MB
max_connections = 40
fsync = $pg_fsync
full_page_writes = $pg_fsync
EOF
	export PGHOST="$PG_DIR" PGPORT
	unset PGDATABASE PGUSER
	pg_server_start pg_start || return 1
	pg_user=$(id -un)
	if [ "$pg_user" != postgres ]; then
		"$PG_BIN/createuser" -U postgres --createdb "$pg_user" >>"$PG_DIR/pg_ctl.log" 2>&1 ||
			{ pg_failed "pg_start: createuser $pg_user failed" "$PG_DIR/pg_ctl.log"; return 1; }
	fi
	"$PG_BIN/createdb" -U postgres -O "$pg_user" hookman >>"$PG_DIR/pg_ctl.log" 2>&1 ||
		{ pg_failed "pg_start: createdb hookman failed" "$PG_DIR/pg_ctl.log"; return 1; }
	export PGDATABASE=hookman PGUSER="$pg_user"
}

pg_restart() {
	pg_server_stop pg_restart && pg_server_start pg_restart
}

pg_stop() {
	[ -d "$PG_DIR" ] || return 0
	if [ -f "$PG_DATA/postmaster.pid" ]; then
		pg_server_stop pg_stop || return 1
	fi
	rm -rf "$PG_DIR"
}

pg_uri() { printf 'postgresql:///hookman?host=%s&port=%s\n' "$PG_DIR" "$PGPORT"; }

pg_sql() { "$PG_BIN/psql" -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }

pg_pid() { head -n 1 "$PG_DATA/postmaster.pid"; }

# Chain the traps already set: read them back as commands (trap prints
# "trap -- 'ACTION' SIGNAL" lines that a shell can evaluate), keep EXIT's
# action to run after pg_stop, and make HUP, INT and TERM end the test
# through EXIT unless the test handles them already.
pg_prev_exit=""
pg_trapped=""
pg_note_trap() {
	case $3 in
	EXIT) pg_prev_exit=$2 ;;
	*) pg_trapped="$pg_trapped ${3#SIG} " ;;
	esac
}
trap >"$T/traps.$$"
eval "$(sed 's/^trap -- /pg_note_trap -- /' "$T/traps.$$")"
rm -f "$T/traps.$$"
trap 'pg_stop; eval "$pg_prev_exit"' EXIT
for pg_sig in HUP:129 INT:130 TERM:143; do
	case $pg_trapped in
	*" ${pg_sig%:*} "*) ;;
	*) trap "exit ${pg_sig#*:}" "${pg_sig%:*}" ;;
	esac
done
