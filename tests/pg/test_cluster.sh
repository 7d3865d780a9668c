#!/bin/sh
# The throwaway PostgreSQL cluster's own contract (tests/pg/lib.sh): the
# database answers over its socket and nowhere else, as the expected role,
# the server runs as postgres when the test is root, a restart keeps the
# data, a stop leaves no process and no file, two copies of the test at
# once get two clusters, and a system cluster is left as it was.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

# run COMMAND...: sets $rc, output in $T/out, $T/err (what fail shows).
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}
# await FILE: wait for FILE to appear, 60 s at most (times TEST_PATIENCE).
await() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -gt $((1200 * PG_PATIENCE)) ] && return 1
		sleep 0.05
	done
}
# super SQL: run SQL as the cluster's superuser (the settings that name
# files are not shown to the test's role).
super() { "$PG_BIN/psql" -XAtq -U postgres -c "$1"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The second copy, started by the first with PG_CLUSTER_PEER set: it
# starts its cluster while the first starts its own, marks it with a
# table, says which it is in the file PG_CLUSTER_PEER, and keeps it until
# PG_CLUSTER_PEER.done appears.
if [ -n "${PG_CLUSTER_PEER:-}" ]; then
	pg_start || exit 1
	pg_sql "CREATE TABLE peer_mark (n int)" || exit 1
	printf '%s %s %s\n' "$PGHOST" "$PGPORT" "$(pg_pid)" >"$PG_CLUSTER_PEER.tmp" &&
		mv "$PG_CLUSTER_PEER.tmp" "$PG_CLUSTER_PEER" || exit 1
	await "$PG_CLUSTER_PEER.done"
	exit
fi

# pid_state PID: the process's state letter (R, S, Z...), none when gone.
pid_state() {
	read -r line 2>/dev/null <"/proc/$1/stat" || return 0
	set -- ${line##*) }
	echo "$1"
}
# running PID: the process exists and is not a zombie (here the processes
# the postmaster leaves are reaped by whatever PID 1 is, maybe never).
running() { [ -n "$(pid_state "$1")" ] && [ "$(pid_state "$1")" != Z ]; }
# cluster_pids POSTMASTER: the postmaster and its children.
cluster_pids() {
	pm_pid=$1
	echo "$pm_pid"
	for stat in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$stat" || continue
		set -- ${line##*) }
		pid=${stat#/proc/}
		[ "$2" = "$pm_pid" ] && echo "${pid%/stat}"
	done
}
# socket_inodes PID...: the inodes of the sockets those processes hold.
socket_inodes() {
	for pid in "$@"; do
		ls -l "/proc/$pid/fd/" 2>/dev/null
	done | sed -n 's/.* -> socket:\[\([0-9]*\)\]$/\1/p' | sort -u
}
# The inodes of the listening TCP sockets (state 0A) of this network
# namespace.
tcp_listen_inodes() { cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A" { print $10 }' | sort -u; }
# processes_on PGDIR: the pids that run on PGDIR/data: the postmaster names
# it on its command line, every server process works in it. ("dat[a]"
# keeps grep from finding its own command line.)
processes_on() {
	{
		grep -l -a -e "$1/dat[a]" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3
		ls -l /proc/[0-9]*/cwd 2>/dev/null | grep -F -- "-> $1/data" | sed 's|.* /proc/\([0-9]*\)/cwd .*|\1|'
	} | sort -u
}

me=$(id -un)
system_before=""
command -v pg_lsclusters >/dev/null && system_before=$(pg_lsclusters 2>&1)

PG_CLUSTER_PEER="$T/peer" sh "$0" >"$T/peer.log" 2>&1 &
peer=$!

test_case "pg_start"
t0=$(now_ms)
run pg_start
t1=$(now_ms)
echo "# pg_start: $((t1 - t0)) ms (with a second copy starting its own cluster meanwhile)"
[ "$rc" = 0 ] || { fail "pg_start failed"; summary; exit 1; }
pass
pm=$(pg_pid)
[ "$PGHOST" = "$T/pg" ] && [ "$PGDATABASE" = hookman ] && [ "$PGUSER" = "$me" ] && [ "$PGPORT" != 5432 ] &&
	pass || fail "exported PGHOST=$PGHOST PGPORT=$PGPORT PGDATABASE=$PGDATABASE PGUSER=$PGUSER"
[ -S "$PGHOST/.s.PGSQL.$PGPORT" ] && pass || fail "no socket $PGHOST/.s.PGSQL.$PGPORT"

test_case "the database answers over the socket"
# The role hookman will use is an ordinary one, which may create databases
# (a suite may want one of its own), and owns the database hookman.
run pg_sql "SELECT current_database(), current_user, pg_get_userbyid(datdba), rolsuper, rolcreatedb
	FROM pg_database, pg_roles WHERE datname = current_database() AND rolname = current_user"
expect_out_eq "hookman|$me|$me|f|t"
run super "SELECT current_setting('data_directory'), current_setting('unix_socket_directories'),
	current_setting('port'), '[' || current_setting('listen_addresses') || ']'"
expect_out_eq "$T/pg/data|$T/pg|$PGPORT|[]"
[ "$(pg_uri)" = "postgresql:///hookman?host=$T/pg&port=$PGPORT" ] && pass || fail "pg_uri printed $(pg_uri)"
run env -u PGHOST -u PGPORT -u PGDATABASE -u PGUSER "$PG_BIN/psql" -XAt "$(pg_uri)" -c "SELECT current_database(), current_user"
expect_out_eq "hookman|$me"

test_case "a unix socket only"
pids=$(cluster_pids "$pm")
# A positive control: the postmaster's socket inodes include its unix
# socket's, as /proc/net/unix names it.
unix_inode=$(awk -v p="$PGHOST/.s.PGSQL.$PGPORT" '$8 == p { print $7 }' /proc/net/unix)
[ -n "$unix_inode" ] && socket_inodes "$pm" | grep -qx "$unix_inode" && pass ||
	fail "the postmaster $pm does not hold the socket $PGHOST/.s.PGSQL.$PGPORT (inode '$unix_inode')"
tcp=$(socket_inodes $pids | grep -xF "$(tcp_listen_inodes)")
[ -z "$tcp" ] && pass || fail "the cluster's processes listen on TCP (socket inodes $tcp)"
if command -v ss >/dev/null; then
	ss -lxpH >"$T/out" 2>"$T/err"
	grep -F "$PGHOST/.s.PGSQL.$PGPORT" "$T/out" | grep -qF "pid=$pm," && pass ||
		fail "ss -lxp does not show the postmaster $pm on its socket"
	ss -ltnpH >"$T/out" 2>"$T/err"
	tcp=$(for pid in $pids; do grep -F "pid=$pid," "$T/out"; done)
	[ -z "$tcp" ] && pass || fail "ss -ltnp shows the cluster listening on TCP: $tcp"
fi

test_case "the server's user"
owner=$(stat -c %U "/proc/$pm")
if [ "$(id -u)" = 0 ]; then
	[ "$owner" = postgres ] && pass || fail "the postmaster runs as $owner, not postgres"
else
	[ "$owner" = "$me" ] && pass || fail "the postmaster runs as $owner, not $me"
fi

test_case "two clusters at once"
if await "$T/peer"; then
	read -r peer_host peer_port peer_pm <"$T/peer"
	[ "$peer_host/.s.PGSQL.$peer_port" != "$PGHOST/.s.PGSQL.$PGPORT" ] && pass || fail "both copies use $peer_host/.s.PGSQL.$peer_port"
	[ "$peer_pm" != "$pm" ] && pass || fail "both copies have the postmaster $pm"
	run "$PG_BIN/psql" -XAt -U postgres -h "$peer_host" -p "$peer_port" -c "SELECT current_setting('data_directory'), to_regclass('peer_mark') IS NOT NULL"
	expect_out_eq "$peer_host/data|t"
	run pg_sql "SELECT to_regclass('peer_mark') IS NULL"
	expect_out_eq "t"
	# It stops while this copy goes on; its end is checked below.
	touch "$T/peer.done"
else
	fail "the second copy did not report its cluster: $(tail -n 5 "$T/peer.log")"
fi

test_case "pg_restart keeps the data"
run pg_sql "CREATE TABLE kept (n int); INSERT INTO kept SELECT generate_series(1, 3)"
expect_rc 0
t0=$(now_ms)
run pg_restart
t1=$(now_ms)
echo "# pg_restart: $((t1 - t0)) ms"
expect_rc 0
pm2=$(pg_pid)
[ "$pm2" != "$pm" ] && ! running "$pm" && pass || fail "the postmaster $pm was not restarted (now $pm2)"
run pg_sql "SELECT string_agg(n::text, ',' ORDER BY n), current_setting('port') FROM kept"
expect_out_eq "1,2,3|$PGPORT"

test_case "pg_stop"
pids=$(cluster_pids "$pm2")
t0=$(now_ms)
run pg_stop
t1=$(now_ms)
echo "# pg_stop: $((t1 - t0)) ms"
expect_rc 0
[ ! -e "$T/pg" ] && pass || fail "$T/pg is still there"
left=$(processes_on "$T/pg")
[ -z "$left" ] && pass || fail "processes still run on $T/pg/data: $left"
alive=$(for pid in $pids; do running "$pid" && echo "$pid"; done)
[ -z "$alive" ] && pass || fail "processes of the cluster still run: $alive"
run "$PG_BIN/pg_isready" -h "$PGHOST" -p "$PGPORT"
expect_rc 2
expect_out "no response"

test_case "the second copy's pg_stop"
wait "$peer"
peer_rc=$?
[ "$peer_rc" = 0 ] && pass || fail "the second copy exited $peer_rc: $(tail -n 5 "$T/peer.log")"
if [ -n "${peer_host:-}" ]; then
	[ ! -e "$peer_host" ] && ! running "$peer_pm" && pass || fail "the second copy left $peer_host or its postmaster $peer_pm"
fi

test_case "a system cluster is left as it was"
if command -v pg_lsclusters >/dev/null; then
	system_after=$(pg_lsclusters 2>&1)
	[ "$system_after" = "$system_before" ] && pass ||
		fail "pg_lsclusters was: $system_before; it is now: $system_after"
else
	echo "# no pg_lsclusters: no system cluster to compare"
fi

summary
