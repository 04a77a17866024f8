/* nt-clock.h: the one source of "now"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every part of the console and of the reference services asks an NtClock
 * what time it is; nothing else reads the wall clock.  A clock is one of:
 *
 *   real    the system's wall clock
 *   fixed   stands still at an instant until it is set or advanced (tests)
 *   offset  the wall clock plus a constant offset
 *   scaled  starts at an instant and runs @scale seconds per real second
 *           (measured on the monotonic clock, so it never jumps with NTP)
 *
 * Instants are gint64 Unix microseconds (nt_clock_get_now_us) or seconds
 * (nt_clock_get_now), UTC.  A clock may be read from any thread.
 *
 * The process has one default clock (real unless configured): the console's
 * views read it, and the reference services read it unless they are given
 * a clock of their own.  Monotonic time for timeouts and frame timing stays
 * g_get_monotonic_time().
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  NT_CLOCK_REAL,
  NT_CLOCK_FIXED,
  NT_CLOCK_OFFSET,
  NT_CLOCK_SCALED,
} NtClockMode;

#define NT_TYPE_CLOCK (nt_clock_get_type ())

G_DECLARE_FINAL_TYPE (NtClock, nt_clock, NT, CLOCK, GObject)

NtClock    *nt_clock_new               (void);
NtClock    *nt_clock_new_fixed         (gint64       instant_us);
NtClock    *nt_clock_new_scaled        (gint64       start_us,
                                        double       scale);
/* A new clock with the settings @self has now (a scaled clock goes on from
 * where @self is, at the same rate). */
NtClock    *nt_clock_copy              (NtClock     *self);

/* The process-wide clock (never NULL; owned by nt-clock). */
NtClock    *nt_clock_get_default       (void);
/* Shortcuts for the default clock. */
gint64      nt_clock_now               (void);   /* seconds */
gint64      nt_clock_now_us            (void);   /* microseconds */

/* The wall clock, in seconds: only to show beside the clock's time
 * ("your computer says …"), never as "now". */
gint64      nt_clock_real_now          (void);

gint64      nt_clock_get_now_us        (NtClock     *self);
gint64      nt_clock_get_now           (NtClock     *self);
NtClockMode nt_clock_get_mode          (NtClock     *self);
/* Simulated seconds per real second: 0 for a fixed clock, 1 for real and offset. */
double      nt_clock_get_scale         (NtClock     *self);
/* TRUE when the clock is more than @tolerance_us away from the wall clock
 * or does not run at the wall clock's rate. */
gboolean    nt_clock_differs_from_real (NtClock     *self,
                                        gint64       tolerance_us);

/* Each of these emits ::changed. */
void        nt_clock_set_real          (NtClock     *self);
void        nt_clock_set_fixed         (NtClock     *self,
                                        gint64       instant_us);
void        nt_clock_set_offset        (NtClock     *self,
                                        gint64       offset_us);
void        nt_clock_set_scaled        (NtClock     *self,
                                        gint64       start_us,
                                        double       scale);
/* Takes the settings of @other (as nt_clock_copy would). */
void        nt_clock_set_from          (NtClock     *self,
                                        NtClock     *other);
/* Moves a fixed clock on (or, for the other modes, shifts them) by @delta_us. */
void        nt_clock_advance           (NtClock     *self,
                                        gint64       delta_us);

/* "2026-07-15T10:00+09:00", "2026-07-15T01:00:00Z", "2026-07-15 10:00"
 * (Asia/Tokyo when no offset is given) or "2026-07-15" (00:00 Asia/Tokyo):
 * the instants --now accepts.  FALSE with @error in words otherwise. */
gboolean    nt_clock_parse_instant     (const char  *str,
                                        gint64      *out_us,
                                        GError     **error);

/* What --now and --time-scale do: with neither (@now NULL, @scale 1) the
 * clock is left as it is; otherwise it runs from @now (default: the
 * present) at @scale.  FALSE with @error in words for a bad instant or a
 * scale that is not a positive number. */
gboolean    nt_clock_configure         (NtClock     *self,
                                        const char  *now,
                                        double       scale,
                                        GError     **error);

G_END_DECLS
