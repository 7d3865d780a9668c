/* Plain-text tables for the CLI: columns sized to their widest cell in
 * terminal cells (UTF-8 aware), the last column left ragged. */
#ifndef HOOKMAN_TABLE_H
#define HOOKMAN_TABLE_H

#include <stdio.h>

struct table;

/* A table of ncols columns with these headings (copied). NULL when out of
 * memory. */
struct table *table_new(size_t ncols, const char *const *headings);

/* Add a row of ncols cells (copied; a cell wider than max is cut with
 * "…"). Returns 0 or -1 when out of memory. */
int table_add(struct table *t, const char *const *cells);

/* Cap the width of column col at max cells (0: no cap). */
void table_max_width(struct table *t, size_t col, size_t max);

/* Write the table to out and free it. */
void table_print_free(struct table *t, FILE *out);

#endif
