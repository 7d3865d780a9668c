/* hookman's terminal interface: the webhook list, the New/Edit form and
 * the deliveries, as a stack of screens (see screen.h and app.c). */
#ifndef HOOKMAN_TUI_H
#define HOOKMAN_TUI_H

/* Run the interface on the store in dir with the catalog from datadir,
 * making sure hookmand runs for the store (hookmand_path). Returns the
 * process exit status; err describes why it could not start. */
int tui_run(const char *dir, const char *run, const char *datadir, const char *hookmand_path, char *err);

#endif
