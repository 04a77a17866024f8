/* nt-strip-chart-a11y.c: what NtStripChart tells screen readers
 *
 * The accessible description (the latest value of the first series, its
 * time, severity and the span shown), at most once a second, in the
 * chart's language.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-strip-chart"

#include "config.h"

#include <math.h>

#include "nt-i18n.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"

/* "15 minutes", "8 hours", "7 days": for the accessible description. */
static char *
span_words (gint64 span_us)
{
  gint64 s = span_us / G_USEC_PER_SEC;

  if (s < 2 * 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong)MAX (s / 60, 1)),
                            (int)MAX (s / 60, 1));
  if (s < 2 * 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", (gulong)(s / 3600)),
                            (int)(s / 3600));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", (gulong)(s / 86400)),
                          (int)(s / 86400));
}

void
_nt_strip_chart_update_accessible (NtStripChart *self)
{
  Series *s;
  gint64 t = 0;
  double v = NAN;
  guint8 sev = 0;
  gsize n;
  g_autofree char *desc = NULL;
  g_autofree char *span = NULL;
  gint64 now_mono = g_get_monotonic_time ();
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  if (self->series->len == 0)
    return;
  nt_language_scope_enter (&scope, self->language);
  if (now_mono - self->last_a11y_update < G_USEC_PER_SEC && self->last_a11y_update != 0)
    return;
  self->last_a11y_update = now_mono;

  s = g_ptr_array_index (self->series, 0);
  span = span_words (self->span_us);
  n = nt_series_get_n_samples (s->series);
  if (n > 0)
    nt_series_get_sample (s->series, n - 1, &t, &v, &sev);

  if (n == 0)
    desc = g_strdup_printf (_("%s: no data"), s->name);
  else if (isnan (v) || sev == NT_SERIES_SEVERITY_UNDEFINED)
    desc = g_strdup_printf (_("%s: disconnected"), s->name);
  else
    {
      g_autoptr(GDateTime) dt = _nt_strip_chart_local_time (t);
      g_autofree char *when = dt ? g_date_time_format (dt, "%H:%M:%S") : g_strdup ("");
      const char *word = _nt_strip_chart_severity_word (sev);

      /* TRANSLATORS: accessible description: series, value, unit, time,
       * severity (", minor alarm" or nothing), the span shown */
      desc = g_strdup_printf (_("%s: %.*f %s at %s JST%s%s; chart of the last %s"),
                              s->name, _nt_strip_chart_series_digits (self, s), v, s->unit, when,
                              word ? ", " : "", word ? word : "", span);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, desc,
                                  -1);
}

/* The chart's name for screen readers: the first series', or "Strip
 * chart" while it has none. */
void
_nt_strip_chart_set_accessible_label (NtStripChart *self,
                                      const char   *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* The words changed (the language, a series' name): say them afresh now,
 * in the description and the readout. */
void
_nt_strip_chart_words_changed (NtStripChart *self)
{
  self->last_a11y_update = 0;
  _nt_strip_chart_update_accessible (self);
  if (self->hovering)
    _nt_strip_chart_update_hover (self);
}
