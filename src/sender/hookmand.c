/* hookmand: delivers the store's queued events to their webhooks.
 * One per store (flock on DIR/hookmand.lock); detaches unless told
 * --foreground; talks over DIR/hookmand.sock. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "control.h"
#include "datadir.h"
#include "duration.h"
#include "log.h"
#include "mask.h"
#include "optmsg.h"
#include "prune.h"
#include "sbuf.h"
#include "sender.h"
#include "storedir.h"

static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	char c = sig == SIGHUP ? 'H' : 'T';
	int saved = errno;

	if (write(sig_pipe[1], &c, 1) < 0) {
		/* A full pipe already holds a wake-up: nothing is lost. */
	}
	errno = saved;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hookmand [--store DIR|URI] [--run-dir DIR] [--foreground] [--log FILE] [OPTIONS]\n\n"
		"Deliver the events queued in a hookman store to their webhooks.\n\n"
		"  --store DIR|URI      the store: a directory (default: $HOOKMAN_STORE, else\n"
		"                       $XDG_DATA_HOME/hookman) or a postgresql:// URI\n"
		"  --run-dir DIR        a PostgreSQL store's lock, socket and log (default: $HOOKMAN_RUN_DIR,\n"
		"                       else one under $XDG_RUNTIME_DIR/hookman); a SQLite store keeps\n"
		"                       them in its directory\n"
		"  --foreground         stay attached and log to stderr unless --log is given (systemd)\n"
		"  --log FILE           log file (default: RUN-DIR/hookmand.log when detached)\n"
		"  --max-inflight N     requests in flight overall, for this sender (default 64)\n"
		"  --per-webhook N      requests in flight per webhook, for this sender (default 8)\n"
		"  --schedule LIST      retry delays, e.g. 5s,5m,30m,2h,5h,10h,10h (the default)\n"
		"  --no-jitter          retry exactly on the schedule (default: +/-20%%)\n"
		"  --disable-after DUR  disable a webhook whose deliveries only failed this long (default 5d; 0 never)\n"
		"  --keep DUR           each day, prune deliveries finished longer ago (default 30d; 0 never)\n"
		"  --metrics-file PATH  every 15 s, write the store's metrics there (Prometheus text format,\n"
		"                       for node_exporter's textfile collector: PATH ends in .prom)\n"
		"  --grace MS           at stop, how long in-flight requests may finish (default 5000)\n"
		"  --deny-private       refuse to deliver to loopback, private and link-local addresses\n"
		"                       (checked after DNS; for stores several operators share)\n"
		"  --version, --help\n");
}

/* Take the daemon lock of the run directory dir and write our pid in
 * it; a sender already there is named by its store (shown). */
static int take_lock(const char *dir, const char *shown, char *err)
{
	char path[4200], pid[32];
	int fd, n;

	snprintf(path, sizeof path, "%s/" CONTROL_LOCK, dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		err_set(err, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			err_set(err, "hookmand is already running for %s (pid %ld)", shown, control_lock_pid(dir));
		else
			err_set(err, "cannot lock %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		err_set(err, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;   /* kept open (and locked) for the daemon's life */
}

static long parse_num(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		fprintf(stderr, "hookmand: %s: \"%s\" is not a number from %ld to %ld\n", opt, arg, min, max);
		exit(2);
	}
	return v;
}

/* --disable-after and --keep: "5d", "12h", "30m", "90s" or plain
 * seconds, into ms; 0 never disables, never prunes. Ten years at most: a
 * longer wait is "never" in practice, which 0 says plainly. */
#define DISABLE_AFTER_MAX_MS (3650LL * 24 * 60 * 60 * 1000)
static long long parse_duration(const char *opt, const char *arg)
{
	static const struct duration_rule rule = {
		DURATION_S | DURATION_M | DURATION_H | DURATION_D, 1, DISABLE_AFTER_MAX_MS };
	char err[ERR_MAX];
	struct sbuf what;
	long long ms;
	int rc;

	sbuf_init(&what);
	sbuf_appendf(&what, "\"%s\"", arg);
	rc = duration_parse(arg, strlen(arg), &rule, sbuf_text(&what), &ms, err);
	sbuf_release(&what);
	if (rc < 0) {
		fprintf(stderr, "hookmand: %s: %s\n", opt, err);
		exit(2);
	}
	return ms;
}

/* Detach: the first process waits until the daemon is ready (or failed)
 * and exits with that, so whoever started us knows. Returns the write end
 * of the readiness pipe in the daemon. */
static int detach(void)
{
	int p[2];
	pid_t pid;
	char buf[ERR_MAX];
	ssize_t n;

	if (pipe(p) < 0) {
		perror("hookmand: pipe");
		exit(1);
	}
	pid = fork();
	if (pid < 0) {
		perror("hookmand: fork");
		exit(1);
	}
	if (pid > 0) {
		close(p[1]);
		n = read(p[0], buf, sizeof buf - 1);
		if (n > 0 && strncmp(buf, "ok", 2) == 0)
			exit(0);
		if (n > 0) {
			buf[n] = '\0';
			fprintf(stderr, "hookmand: %s\n", buf);
		} else {
			fprintf(stderr, "hookmand: the daemon exited during start-up\n");
		}
		exit(1);
	}
	close(p[0]);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	if (setsid() < 0) {
		perror("hookmand: setsid");
		exit(1);
	}
	return p[1];
}

static void ready(int fd, const char *msg)
{
	if (fd < 0)
		return;
	if (write(fd, msg, strlen(msg)) < 0) {
		/* the starter is gone; nothing to tell */
	}
	close(fd);
}

/* The audit record (audit.h) through "hookmand": an upgrade this start
 * made, and each webhook the sender disables (a 410, failing too long).
 * Without it (no catalog to fire its events with) hookmand still
 * delivers: the deliveries matter more, and the log says so. */
static void attach_audit(struct audit *a, struct store *st)
{
	char err[ERR_MAX];

	if (audit_attach(a, st, datadir_resolve(NULL), "hookmand", err) < 0) {
		log_msg("the audit record is not kept by this hookmand (the webhooks it disables go unrecorded): %s", err);
		audit_detach(a);
	}
}

int main(int argc, char **argv)
{
	enum { O_STORE = 1, O_RUN, O_FG, O_LOG, O_MAX, O_PER, O_SCHED, O_NOJIT, O_DISABLE, O_KEEP, O_GRACE,
	       O_TIMEOUT, O_DENY, O_HELP, O_VERSION, O_METRICS };
	static const struct option opts[] = {
		{ "store", required_argument, NULL, O_STORE },
		{ "run-dir", required_argument, NULL, O_RUN },
		{ "foreground", no_argument, NULL, O_FG },
		{ "log", required_argument, NULL, O_LOG },
		{ "max-inflight", required_argument, NULL, O_MAX },
		{ "per-webhook", required_argument, NULL, O_PER },
		{ "schedule", required_argument, NULL, O_SCHED },
		{ "no-jitter", no_argument, NULL, O_NOJIT },
		{ "disable-after", required_argument, NULL, O_DISABLE },
		{ "keep", required_argument, NULL, O_KEEP },
		{ "grace", required_argument, NULL, O_GRACE },
		{ "request-timeout-ms", required_argument, NULL, O_TIMEOUT },
		{ "deny-private", no_argument, NULL, O_DENY },
		{ "metrics-file", required_argument, NULL, O_METRICS },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct sender_config cfg = { 0 };
	const char *store_opt = NULL, *run_opt = NULL, *log_path = NULL;
	char dir[4096], run[4096], logbuf[4200], err[ERR_MAX];
	struct sigaction sa;
	struct store *st = NULL;
	struct sender *s = NULL;
	struct audit audit = { 0 };
	struct sbuf shown;
	int opt, foreground = 0, readyfd = -1, lockfd = -1, rc = 1, devnull;

	cfg.max_total = 64;
	cfg.max_per_webhook = 8;
	cfg.grace_ms = 5000;
	cfg.keep_ms = PRUNE_KEEP_DEFAULT_MS;
	queue_policy_default(&cfg.policy);
	/* Everything hookmand creates (log, socket, store files) is private
	 * from the start, not tightened afterwards. */
	umask(077);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case O_STORE: store_opt = optarg; break;
		case O_RUN: run_opt = optarg; break;
		case O_FG: foreground = 1; break;
		case O_LOG: log_path = optarg; break;
		case O_MAX: cfg.max_total = (size_t)parse_num("--max-inflight", optarg, 1, 4096); break;
		case O_PER: cfg.max_per_webhook = (size_t)parse_num("--per-webhook", optarg, 1, 4096); break;
		case O_SCHED:
			if (retry_parse(&cfg.policy.schedule, optarg, err) < 0) {
				fprintf(stderr, "hookmand: --schedule: %s\n", err);
				return 2;
			}
			break;
		case O_NOJIT: cfg.policy.schedule.jitter_pct = 0; break;
		case O_DISABLE: cfg.policy.disable_after_ms = parse_duration("--disable-after", optarg); break;
		case O_KEEP: cfg.keep_ms = parse_duration("--keep", optarg); break;
		case O_GRACE: cfg.grace_ms = parse_num("--grace", optarg, 0, 600000); break;
		case O_TIMEOUT: cfg.http.timeout_ms = parse_num("--request-timeout-ms", optarg, 1, 600000); break;
		case O_DENY: cfg.http.deny_private = 1; break;
		case O_METRICS:
			if (!*optarg) {
				fprintf(stderr, "hookmand: --metrics-file: the path is empty; give a file such as "
					"/var/lib/prometheus/node-exporter/hookman.prom\n");
				return 2;
			}
			cfg.metrics_file = optarg;
			break;
		case O_HELP: usage(stdout); return 0;
		case O_VERSION: printf("hookmand %s\n", PACKAGE_VERSION); return 0;
		case ':':
			fprintf(stderr, "hookmand: option %s needs a value\n", argv[optind - 1]);
			return 2;
		default: {
			char msg[256];

			optmsg_refused(argv[optind - 1], optopt, msg, sizeof msg);
			fprintf(stderr, "hookmand: %s\nTry 'hookmand --help'.\n", msg);
			return 2;
		}
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hookmand: unexpected argument \"%s\"\nTry 'hookmand --help'.\n", argv[optind]);
		return 2;
	}
	if (cfg.max_per_webhook > cfg.max_total)
		cfg.max_per_webhook = cfg.max_total;
	if (storedir_resolve(store_opt, dir, sizeof dir, err) < 0 ||
	    storedir_run_dir(dir, run_opt, run, sizeof run, err) < 0 || storedir_prepare(run, err) < 0) {
		fprintf(stderr, "hookmand: %s\n", err);
		return 1;
	}
	/* The log and the messages name the store, never a password its
	 * URI holds. */
	sbuf_init(&shown);
	if (storedir_is_uri(dir) ? mask_store_uri(&shown, dir) < 0 : sbuf_append(&shown, dir) < 0) {
		fprintf(stderr, "hookmand: out of memory\n");
		return 1;
	}
	cfg.store_dir = sbuf_text(&shown);
	cfg.run_dir = run;
	if (!log_path && !foreground) {
		snprintf(logbuf, sizeof logbuf, "%s/hookmand.log", run);
		log_path = logbuf;
	}
	if (!foreground)
		readyfd = detach();
	if (log_open(log_path, err) < 0)
		goto fail;
	if (!foreground) {
		devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
			close(devnull);
		}
		dup2(log_fd(), STDERR_FILENO);
	}
	lockfd = take_lock(run, cfg.store_dir, err);
	if (lockfd < 0)
		goto fail;
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		err_set(err, "cannot create a pipe: %s", strerror(errno));
		goto fail;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit reached must be a failed write (EFBIG), handled
	 * like a full disk, not the end of the daemon. */
	signal(SIGXFSZ, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		err_set(err, "cannot initialise libcurl");
		goto fail;
	}
	st = store_open(dir, err);
	if (!st)
		goto fail;
	attach_audit(&audit, st);
	if (store_sender_mode(st, err) < 0)
		goto fail;
	s = sender_new(&cfg, st, sig_pipe[0], err);
	if (!s)
		goto fail;
	/* What the start freed (the store check's pages, libcurl's and
	 * OpenSSL's set-up) goes back to the system: a daemon that then
	 * idles would hold it all along. */
	malloc_trim(0);
	ready(readyfd, "ok\n");
	readyfd = -1;
	rc = sender_run(s, err) < 0 ? 1 : 0;
	if (rc)
		log_msg("fatal: %s", err);
	sender_free(s);
	audit_detach(&audit);
	store_close(st);
	curl_global_cleanup();
	close(lockfd);
	sbuf_release(&shown);
	return rc;
fail:
	log_msg("cannot start: %s", err);
	/* Let go of the lock before saying why: whoever started us then
	 * knows no other hookmand is on its way up. */
	if (lockfd >= 0)
		close(lockfd);
	if (readyfd >= 0)
		ready(readyfd, err);
	else if (foreground && log_path)
		fprintf(stderr, "hookmand: %s\n", err);
	sender_free(s);
	audit_detach(&audit);
	store_close(st);
	sbuf_release(&shown);
	return 1;
}
