/* The metrics file hookmand keeps for node_exporter's textfile collector:
 * rewritten whole and replaced in one step, so a reader never sees half
 * of it. */
#ifndef HOOKMAN_METRICSFILE_H
#define HOOKMAN_METRICSFILE_H

/* Write text to PATH.tmp (created or emptied, never through a symlink,
 * mode 0644 whatever the umask: the collector runs as another user), then
 * rename it over path. 0, or -1 with err (ERR_IO: what failed, on which
 * file, and what to check); PATH.tmp is removed then. */
int metricsfile_write(const char *path, const char *text, char *err);

#endif
