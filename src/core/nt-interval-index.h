/* nt-interval-index.h: which intervals overlap a span
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A static interval tree over an array sorted by start: each node of the
 * implicit balanced tree (the middle of its range) keeps the largest end
 * in its subtree, so "what overlaps [from, to)" costs O(log n + k) and
 * visits the hits in start order.  Adding or removing marks the index
 * stale; the next query sorts and rebuilds it (O(n log n)), which suits a
 * timeline: many queries (one per frame and row) for each edit.
 *
 * Intervals are half-open [start, end) in any integer unit; an empty or
 * reversed interval (end <= start) is stored but never reported.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NtIntervalIndex NtIntervalIndex;

/* Return FALSE to stop the walk. */
typedef gboolean (*NtIntervalFunc) (gint64   start,
                                    gint64   end,
                                    gpointer data,
                                    gpointer user_data);

NtIntervalIndex *nt_interval_index_new         (GDestroyNotify   data_free);
void             nt_interval_index_free        (NtIntervalIndex *self);
void             nt_interval_index_clear       (NtIntervalIndex *self);
guint            nt_interval_index_get_size    (NtIntervalIndex *self);

void             nt_interval_index_add         (NtIntervalIndex *self,
                                                gint64           start,
                                                gint64           end,
                                                gpointer         data);
/* Removes the interval whose data is @data (pointer equality); frees it
 * with data_free.  Returns whether one was found. */
gboolean         nt_interval_index_remove      (NtIntervalIndex *self,
                                                gpointer         data);

/* Calls @func for every interval that shares at least one unit with
 * [from, to), in order of start (ties in insertion order); returns the
 * number of calls. */
guint            nt_interval_index_foreach_in  (NtIntervalIndex *self,
                                                gint64           from,
                                                gint64           to,
                                                NtIntervalFunc   func,
                                                gpointer         user_data);
/* Whether anything overlaps [from, to), ignoring @except (may be NULL). */
gboolean         nt_interval_index_any_in      (NtIntervalIndex *self,
                                                gint64           from,
                                                gint64           to,
                                                gpointer         except);

/* Sorted access: the n-th interval by start. */
gpointer         nt_interval_index_get_nth     (NtIntervalIndex *self,
                                                guint            n,
                                                gint64          *start,
                                                gint64          *end);
/* Position of the first interval starting at or after @t (the size when
 * none does). */
guint            nt_interval_index_lower_bound (NtIntervalIndex *self,
                                                gint64           t);
/* Position of @data in start order, or -1. */
int              nt_interval_index_position    (NtIntervalIndex *self,
                                                gpointer         data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtIntervalIndex, nt_interval_index_free)

G_END_DECLS
