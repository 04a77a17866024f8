/* nt-series.h: a time series in compact blocks, with a min/max index
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Sample severities, numbered as the EPICS alarm severities the archiver
 * sends (0..3), plus the PV Web Socket "UNDEFINED" of a disconnected PV.
 */
typedef enum
{
  NT_SERIES_SEVERITY_NONE      = 0,
  NT_SERIES_SEVERITY_MINOR     = 1,
  NT_SERIES_SEVERITY_MAJOR     = 2,
  NT_SERIES_SEVERITY_INVALID   = 3,
  NT_SERIES_SEVERITY_UNDEFINED = 4,
} NtSeriesSeverity;

/* How exactly a series keeps its values.  Times are always exact.
 *
 * EXACT: every value as given, a double (about 14 bytes a sample, index
 * included).  For signals read at more digits than a float's seven:
 * photon energy in eV, positions, counters, and whatever a caller does not
 * know the precision of.
 *
 * FLOAT: values rounded to the nearest float (about seven significant
 * digits; a relative error below 6e-8; about 10 bytes a sample): for
 * signals read at fewer digits, such as the stored current in mA (0.01 mA
 * of 400) or a lifetime in hours.  A value beyond the float range is kept
 * as a double.
 */
typedef enum
{
  NT_SERIES_PRECISION_EXACT = 0,
  NT_SERIES_PRECISION_FLOAT = 1,
} NtSeriesPrecision;

#define NT_TYPE_SERIES (nt_series_get_type ())

G_DECLARE_FINAL_TYPE (NtSeries, nt_series, NT, SERIES, GObject)

/* A gap (disconnected span) is a sample whose value is NaN: the series is
 * "in a gap" from that sample to the next sample with a real value.
 */
typedef struct
{
  gint64 start;  /* time of the first NaN sample (Unix µs) */
  gint64 end;    /* time of the next real sample, or G_MAXINT64 if still open */
} NtSeriesGap;

NtSeries      *nt_series_new              (gsize          capacity);
NtSeries      *nt_series_new_with_precision (gsize        capacity,
                                           NtSeriesPrecision precision);

gsize          nt_series_get_capacity     (NtSeries      *self);
NtSeriesPrecision nt_series_get_precision (NtSeries     *self);
gsize          nt_series_get_n_samples    (NtSeries      *self);
gsize          nt_series_get_memory_size  (NtSeries      *self);
gint64         nt_series_get_time         (NtSeries      *self,
                                           gsize          index);
double         nt_series_get_value        (NtSeries      *self,
                                           gsize          index);
gsize          nt_series_copy_range       (NtSeries      *self,
                                           gsize          i0,
                                           gsize          i1,
                                           gint64        *t,
                                           double        *v,
                                           guint8        *severity);
gboolean       nt_series_get_sample       (NtSeries      *self,
                                           gsize          index,
                                           gint64        *t,
                                           double        *v,
                                           guint8        *severity);

void           nt_series_append           (NtSeries      *self,
                                           gint64         t,
                                           double         v,
                                           guint8         severity);
void           nt_series_append_many      (NtSeries      *self,
                                           const gint64  *t,
                                           const double  *v,
                                           const guint8  *severity,
                                           gsize          n);
void           nt_series_mark_gap         (NtSeries      *self,
                                           gint64         t);
void           nt_series_replace_range    (NtSeries      *self,
                                           gint64         from,
                                           gint64         to,
                                           const gint64  *t,
                                           const double  *v,
                                           const guint8  *severity,
                                           gsize          n);
void           nt_series_clear            (NtSeries      *self);

gsize          nt_series_lower_bound      (NtSeries      *self,
                                           gint64         t);
gboolean       nt_series_nearest          (NtSeries      *self,
                                           gint64         t,
                                           gsize         *index);
gboolean       nt_series_range_minmax     (NtSeries      *self,
                                           gsize          i0,
                                           gsize          i1,
                                           double        *min,
                                           double        *max);
void           nt_series_prefetch         (NtSeries      *self,
                                           gsize          index);
gboolean       nt_series_has_gap_in       (NtSeries      *self,
                                           gint64         from,
                                           gint64         to);
GArray        *nt_series_get_gaps         (NtSeries      *self,
                                           gint64         from,
                                           gint64         to);
gboolean       nt_series_get_open_gap     (NtSeries      *self,
                                           gint64        *start);

G_END_DECLS
