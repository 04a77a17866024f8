/* nt-time.h: instants, fiscal years, terms and time grids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Instants here are gint64 Unix *seconds* in UTC (the same unit as
 * NtPeriodSpan).  On the wire they are strict ISO 8601 UTC strings,
 * exactly "YYYY-MM-DDTHH:MM:SSZ" (no fractions, no offsets).
 *
 * Calendar questions (fiscal year, term, shift boundaries, whole hours,
 * display) are answered in the facility's time zone, Asia/Tokyo, through
 * GTimeZone: offsets are always looked up in the zone, never assumed to be
 * a fixed +9 h.
 *
 * Fiscal year N runs from 1 April N 00:00 Asia/Tokyo to 1 April N+1 00:00.
 * Terms: A = April to September (1 April 00:00 to 1 October 00:00),
 *        B = October to March (1 October 00:00 to 1 April of N+1 00:00).
 * A term is named "<fiscal year><A|B>", e.g. "2026A".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NT_TIME_ISO_LEN 20  /* strlen ("2026-04-01T00:00:00Z") */

typedef enum
{
  NT_TERM_A,  /* April to September */
  NT_TERM_B,  /* October to March */
} NtTerm;

/* A grid of equally long slots anchored at a local (Asia/Tokyo) time of day.
 * The shift grid defaults to anchor 09:00, 480 min (boundaries 09:00,
 * 17:00, 01:00 JST); the whole-hour grid is anchor 00:00, 60 min.
 * length_minutes must divide 1440.
 */
typedef struct
{
  int anchor_minute;   /* minute of the local day of one boundary, 0..1439 */
  int length_minutes;  /* slot length; a divisor of 1440 */
} NtTimeGrid;

#define NT_TIME_GRID_SHIFT_DEFAULT ((NtTimeGrid) { 9 * 60, 8 * 60 })
#define NT_TIME_GRID_HOUR          ((NtTimeGrid) { 0, 60 })

/* The facility's zone (Asia/Tokyo); owned by nt-time, do not unref. */
GTimeZone  *nt_time_get_zone                  (void);

/* ISO 8601 UTC */
gboolean    nt_time_parse_iso                 (const char  *str,
                                               gint64      *out);
char       *nt_time_format_iso                (gint64       t);
void        nt_time_format_iso_buf            (gint64       t,
                                               char         buf[NT_TIME_ISO_LEN + 1]);

/* Dates "YYYY-MM-DD" (contract dates); strict, validated. */
gboolean    nt_time_parse_date                (const char  *str,
                                               GDate       *out);

/* Local (Asia/Tokyo) wall time to an instant, and back. */
gint64      nt_time_from_local                (int          year,
                                               int          month,
                                               int          day,
                                               int          hour,
                                               int          minute);
GDateTime  *nt_time_to_local                  (gint64       t);
char       *nt_time_format_local              (gint64       t,
                                               const char  *format);

/* Fiscal years and terms */
int         nt_time_fiscal_year_of            (gint64       t);
void        nt_time_fiscal_year_bounds        (int          fiscal_year,
                                               gint64      *start,
                                               gint64      *end);
NtTerm      nt_time_term_of                   (gint64       t,
                                               int         *fiscal_year);
void        nt_time_term_bounds               (int          fiscal_year,
                                               NtTerm       term,
                                               gint64      *start,
                                               gint64      *end);
char       *nt_time_term_name                 (int          fiscal_year,
                                               NtTerm       term);
gboolean    nt_time_parse_term                (const char  *str,
                                               int         *fiscal_year,
                                               NtTerm      *term);

/* Grids */
gboolean    nt_time_grid_is_valid             (const NtTimeGrid *grid);
gboolean    nt_time_grid_parse                (const char       *str,
                                               NtTimeGrid       *grid);
char       *nt_time_grid_to_string            (const NtTimeGrid *grid);
gboolean    nt_time_grid_is_on_grid           (const NtTimeGrid *grid,
                                               gint64            t);
gint64      nt_time_grid_floor                (const NtTimeGrid *grid,
                                               gint64            t);
gint64      nt_time_grid_ceil                 (const NtTimeGrid *grid,
                                               gint64            t);
gint64      nt_time_grid_nearest              (const NtTimeGrid *grid,
                                               gint64            t);
/* Number of whole slots in [start, end) when both are on the grid, else -1. */
gint64      nt_time_grid_count                (const NtTimeGrid *grid,
                                               gint64            start,
                                               gint64            end);

G_END_DECLS
