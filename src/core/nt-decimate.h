/* nt-decimate.h: min/max per pixel column of a time window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-series.h"

G_BEGIN_DECLS

typedef enum
{
  NT_COLUMN_HAS_NAN      = 1 << 0,  /* a gap (NaN) sample lies in the column */
  NT_COLUMN_GAP_AT_START = 1 << 1,  /* the series is in a gap where the column begins */
  NT_COLUMN_GAP_AT_END   = 1 << 2,  /* … and where it ends */
} NtColumnFlags;

/* One pixel column: the samples whose time t lies in
 * [nt_decimate_column_start (c), nt_decimate_column_start (c + 1)).
 */
typedef struct
{
  double  min;      /* least non-NaN value, NaN if there is none */
  double  max;      /* greatest non-NaN value, NaN if there is none */
  double  first;    /* first non-NaN value in time order, NaN if none */
  double  last;     /* last non-NaN value, NaN if none */
  guint32 n;        /* samples in the column, NaN ones included */
  guint32 flags;    /* NtColumnFlags */
} NtColumn;

/* The neighbours of the window, to join the line at its edges. */
typedef struct
{
  gboolean has_before;
  gint64   before_t;   /* last sample before t0 */
  double   before_v;   /* (may be NaN: the window starts in a gap) */
  gboolean has_after;
  gint64   after_t;    /* first sample at or after t1 */
  double   after_v;
} NtDecimateEdges;

gint64   nt_decimate_column_start (gint64           t0,
                                   gint64           t1,
                                   guint            width,
                                   guint            column);
guint    nt_decimate_column_at    (gint64           t0,
                                   gint64           t1,
                                   guint            width,
                                   gint64           t);
void     nt_decimate              (NtSeries        *series,
                                   gint64           t0,
                                   gint64           t1,
                                   guint            width,
                                   NtColumn        *columns);
void     nt_decimate_columns      (NtSeries        *series,
                                   gint64           t0,
                                   gint64           t1,
                                   guint            width,
                                   guint            first_column,
                                   guint            end_column,
                                   NtColumn        *columns);
void     nt_decimate_edges        (NtSeries        *series,
                                   gint64           t0,
                                   gint64           t1,
                                   NtDecimateEdges *edges);
gboolean nt_decimate_value_range  (const NtColumn  *columns,
                                   guint            width,
                                   double          *min,
                                   double          *max);

G_END_DECLS
