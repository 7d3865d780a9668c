/* Editing text in the operator's $EDITOR: no shell, the file name is an
 * argument. */
#ifndef HOOKMAN_EXTERNAL_H
#define HOOKMAN_EXTERNAL_H

/* Write text to a private temporary file, run $EDITOR (vi when unset; its
 * words split on blanks, never through a shell) on it with the terminal
 * given over, and return what the file holds afterwards (caller frees).
 * NULL with err when the editor could not run or exited with a failure
 * (the text is then to be left unchanged). */
char *external_edit(const char *text, const char *suffix, char *err);

#endif
