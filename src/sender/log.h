/* hookmand's log: one line per event worth an operator's attention, with
 * URLs masked and no secrets. */
#ifndef HOOKMAND_LOG_H
#define HOOKMAND_LOG_H

/* Open (append) path as the log; NULL logs to stderr. 0 or -1 with err. */
int log_open(const char *path, char *err);

/* Reopen the same file (after logrotate moved it; SIGHUP). */
void log_reopen(void);

/* "2026-11-28T23:00:00Z hookmand[pid]: message" */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The log's descriptor, to point the daemon's stderr at. */
int log_fd(void);

#endif
