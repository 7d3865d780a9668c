/* The reference for rendering properties, shared by the template unit
 * tests and the template fuzz target: the semantics render had before it
 * kept the template's text. Parse, walk the tree, replace in every decoded
 * string (keys included) with template_substitute, in insertion order (a
 * later key that a replacement makes equal to an earlier one wins, as
 * jansson's parser lets the last duplicate win). */
#ifndef HOOKMAN_TREERENDER_H
#define HOOKMAN_TREERENDER_H

#include <jansson.h>

/* A new tree (caller decrefs), or NULL when memory ran out. */
json_t *tree_render(json_t *j, const char *title, const char *event);

#endif
