/* nt-clock.c: the one source of "now"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This is the only file in src/ that reads the wall clock
 * (build-aux/check-clock.sh checks that).
 */
#define G_LOG_DOMAIN "nt-clock"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "nt-clock.h"
#include "nt-i18n.h"

struct _NtClock
{
  GObject parent_instance;

  GMutex mutex;
  NtClockMode mode;
  gint64 fixed_us;      /* FIXED: the instant */
  gint64 offset_us;     /* OFFSET: added to the wall clock */
  gint64 start_us;      /* SCALED: the instant at anchor_mono */
  gint64 anchor_mono;   /* SCALED: g_get_monotonic_time() at start_us */
  double scale;         /* SCALED: simulated seconds per real second */
};

G_DEFINE_FINAL_TYPE (NtClock, nt_clock, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
nt_clock_finalize (GObject *object)
{
  NtClock *self = NT_CLOCK (object);

  g_mutex_clear (&self->mutex);
  G_OBJECT_CLASS (nt_clock_parent_class)->finalize (object);
}

static void
nt_clock_class_init (NtClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_clock_finalize;

  /**
   * NtClock::changed:
   *
   * The clock was set: "now" may have jumped or its rate changed.
   * Emitted in the thread that set it.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
nt_clock_init (NtClock *self)
{
  g_mutex_init (&self->mutex);
  self->mode = NT_CLOCK_REAL;
  self->scale = 1.0;
}

NtClock *
nt_clock_new (void)
{
  return g_object_new (NT_TYPE_CLOCK, NULL);
}

NtClock *
nt_clock_new_fixed (gint64 instant_us)
{
  NtClock *self = nt_clock_new ();

  self->mode = NT_CLOCK_FIXED;
  self->fixed_us = instant_us;
  self->scale = 0.0;
  return self;
}

NtClock *
nt_clock_new_scaled (gint64 start_us,
                     double scale)
{
  NtClock *self = nt_clock_new ();

  nt_clock_set_scaled (self, start_us, scale);
  return self;
}

/* Called with the mutex held. */
static gint64
now_locked (NtClock *self)
{
  switch (self->mode)
    {
    case NT_CLOCK_FIXED:
      return self->fixed_us;
    case NT_CLOCK_OFFSET:
      return g_get_real_time () + self->offset_us;
    case NT_CLOCK_SCALED:
      {
        gint64 elapsed = g_get_monotonic_time () - self->anchor_mono;
        return self->start_us + (gint64) llround ((double) elapsed * self->scale);
      }
    case NT_CLOCK_REAL:
    default:
      return g_get_real_time ();
    }
}

NtClock *
nt_clock_copy (NtClock *self)
{
  NtClock *copy;

  g_return_val_if_fail (NT_IS_CLOCK (self), NULL);

  copy = nt_clock_new ();
  g_mutex_lock (&self->mutex);
  copy->mode = self->mode;
  copy->fixed_us = self->fixed_us;
  copy->offset_us = self->offset_us;
  copy->scale = self->scale;
  if (self->mode == NT_CLOCK_SCALED)
    {
      copy->start_us = now_locked (self);
      copy->anchor_mono = g_get_monotonic_time ();
    }
  g_mutex_unlock (&self->mutex);
  return copy;
}

NtClock *
nt_clock_get_default (void)
{
  static NtClock *default_clock;

  if (g_once_init_enter (&default_clock))
    g_once_init_leave (&default_clock, nt_clock_new ());
  return default_clock;
}

gint64
nt_clock_now_us (void)
{
  return nt_clock_get_now_us (nt_clock_get_default ());
}

gint64
nt_clock_now (void)
{
  return nt_clock_get_now (nt_clock_get_default ());
}

gint64
nt_clock_real_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

gint64
nt_clock_get_now_us (NtClock *self)
{
  gint64 now;

  g_return_val_if_fail (NT_IS_CLOCK (self), 0);

  g_mutex_lock (&self->mutex);
  now = now_locked (self);
  g_mutex_unlock (&self->mutex);
  return now;
}

gint64
nt_clock_get_now (NtClock *self)
{
  gint64 us = nt_clock_get_now_us (self);

  /* Floor, so that a second's fraction before the epoch rounds down. */
  return us >= 0 ? us / G_USEC_PER_SEC : -((-us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

NtClockMode
nt_clock_get_mode (NtClock *self)
{
  NtClockMode mode;

  g_return_val_if_fail (NT_IS_CLOCK (self), NT_CLOCK_REAL);

  g_mutex_lock (&self->mutex);
  mode = self->mode;
  g_mutex_unlock (&self->mutex);
  return mode;
}

double
nt_clock_get_scale (NtClock *self)
{
  double scale;

  g_return_val_if_fail (NT_IS_CLOCK (self), 1.0);

  g_mutex_lock (&self->mutex);
  switch (self->mode)
    {
    case NT_CLOCK_FIXED:
      scale = 0.0;
      break;
    case NT_CLOCK_SCALED:
      scale = self->scale;
      break;
    case NT_CLOCK_REAL:
    case NT_CLOCK_OFFSET:
    default:
      scale = 1.0;
      break;
    }
  g_mutex_unlock (&self->mutex);
  return scale;
}

gboolean
nt_clock_differs_from_real (NtClock *self,
                            gint64   tolerance_us)
{
  gint64 delta;

  g_return_val_if_fail (NT_IS_CLOCK (self), FALSE);

  if (nt_clock_get_scale (self) != 1.0)
    return TRUE;
  delta = nt_clock_get_now_us (self) - g_get_real_time ();
  return delta > tolerance_us || delta < -tolerance_us;
}

static void
emit_changed (NtClock *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Puts the clock in @mode: @value is the fixed instant, the offset or the
 * scaled clock's start, as @mode says; then tells who follows it. */
static void
set_mode (NtClock     *self,
          NtClockMode  mode,
          gint64       value,
          double       scale)
{
  g_mutex_lock (&self->mutex);
  self->mode = mode;
  if (mode == NT_CLOCK_FIXED)
    self->fixed_us = value;
  else if (mode == NT_CLOCK_OFFSET)
    self->offset_us = value;
  else if (mode == NT_CLOCK_SCALED)
    {
      self->start_us = value;
      self->anchor_mono = g_get_monotonic_time ();
    }
  self->scale = scale;
  g_mutex_unlock (&self->mutex);
  emit_changed (self);
}

void
nt_clock_set_real (NtClock *self)
{
  g_return_if_fail (NT_IS_CLOCK (self));
  set_mode (self, NT_CLOCK_REAL, 0, 1.0);
}

void
nt_clock_set_fixed (NtClock *self,
                    gint64   instant_us)
{
  g_return_if_fail (NT_IS_CLOCK (self));
  set_mode (self, NT_CLOCK_FIXED, instant_us, 0.0);
}

void
nt_clock_set_offset (NtClock *self,
                     gint64   offset_us)
{
  g_return_if_fail (NT_IS_CLOCK (self));
  set_mode (self, NT_CLOCK_OFFSET, offset_us, 1.0);
}

void
nt_clock_set_scaled (NtClock *self,
                     gint64   start_us,
                     double   scale)
{
  g_return_if_fail (NT_IS_CLOCK (self));
  g_return_if_fail (scale > 0.0 && isfinite (scale));
  set_mode (self, NT_CLOCK_SCALED, start_us, scale);
}

void
nt_clock_set_from (NtClock *self,
                   NtClock *other)
{
  g_autoptr(NtClock) copy = NULL;

  g_return_if_fail (NT_IS_CLOCK (self));
  g_return_if_fail (NT_IS_CLOCK (other));

  if (self == other)
    return;
  copy = nt_clock_copy (other);
  g_mutex_lock (&self->mutex);
  self->mode = copy->mode;
  self->fixed_us = copy->fixed_us;
  self->offset_us = copy->offset_us;
  self->start_us = copy->start_us;
  self->anchor_mono = copy->anchor_mono;
  self->scale = copy->scale;
  g_mutex_unlock (&self->mutex);
  emit_changed (self);
}

void
nt_clock_advance (NtClock *self,
                  gint64   delta_us)
{
  g_return_if_fail (NT_IS_CLOCK (self));

  g_mutex_lock (&self->mutex);
  switch (self->mode)
    {
    case NT_CLOCK_FIXED:
      self->fixed_us += delta_us;
      break;
    case NT_CLOCK_SCALED:
      self->start_us += delta_us;
      break;
    case NT_CLOCK_REAL:
      self->mode = NT_CLOCK_OFFSET;
      self->offset_us = delta_us;
      break;
    case NT_CLOCK_OFFSET:
    default:
      self->offset_us += delta_us;
      break;
    }
  g_mutex_unlock (&self->mutex);
  emit_changed (self);
}

gboolean
nt_clock_parse_instant (const char  *str,
                        gint64      *out_us,
                        GError     **error)
{
  g_autoptr(GTimeZone) tokyo = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *text = NULL;
  gsize len;

  g_return_val_if_fail (out_us != NULL, FALSE);

  if (str == NULL || *str == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("No time given: write it as 2026-07-15T10:00+09:00"));
      return FALSE;
    }

  text = g_strstrip (g_strdup (str));
  len = strlen (text);
  /* "2026-07-15 10:00" reads as "2026-07-15T10:00". */
  if (len > 10 && text[10] == ' ')
    text[10] = 'T';
  /* A bare date means its midnight. */
  if (len == 10)
    {
      char *with_time = g_strconcat (text, "T00:00", NULL);
      g_free (text);
      text = with_time;
    }

  /* GLib wants seconds: "T10:00+09:00" reads as "T10:00:00+09:00". */
  if (strlen (text) >= 16 && text[10] == 'T' && g_ascii_isdigit (text[11]) && g_ascii_isdigit (text[12]) &&
      text[13] == ':' && g_ascii_isdigit (text[14]) && g_ascii_isdigit (text[15]) && text[16] != ':')
    {
      char *with_seconds = g_strdup_printf ("%.16s:00%s", text, text + 16);
      g_free (text);
      text = with_seconds;
    }

  tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  if (tokyo == NULL)
    tokyo = g_time_zone_new_offset (9 * 3600);
  dt = g_date_time_new_from_iso8601 (text, tokyo);
  if (dt == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a date and time: write it as 2026-07-15T10:00+09:00"),
                   str);
      return FALSE;
    }
  *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC
            + g_date_time_get_microsecond (dt);
  return TRUE;
}

gboolean
nt_clock_configure (NtClock     *self,
                    const char  *now,
                    double       scale,
                    GError     **error)
{
  gint64 start_us;

  g_return_val_if_fail (NT_IS_CLOCK (self), FALSE);

  if (!(scale > 0.0) || !isfinite (scale))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The time scale must be a positive number, not %g"), scale);
      return FALSE;
    }
  if (now == NULL && scale == 1.0)
    return TRUE;
  if (now == NULL)
    start_us = nt_clock_get_now_us (self);
  else if (!nt_clock_parse_instant (now, &start_us, error))
    return FALSE;

  if (scale == 1.0)
    nt_clock_set_offset (self, start_us - g_get_real_time ());
  else
    nt_clock_set_scaled (self, start_us, scale);
  return TRUE;
}
