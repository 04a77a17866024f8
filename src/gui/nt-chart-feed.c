/* nt-chart-feed.c: live values and archive history into one chart series
 *
 * An NtChartFeed joins the two sources of one chart series:
 *
 *  - History: whenever the chart's view changes (::range-changed) it asks
 *    the archive for the visible span, binned to about the plot width as
 *    min and max bins (so spikes and dumps survive), raw when the span is
 *    short enough for raw samples to be no more than about one a pixel,
 *    and puts the answer in the series in place of what was there.
 *  - Live: every batch of PV updates appends the new value (with its
 *    severity) to the series.
 *  - Gaps: when the connection is lost, or the PV itself is disconnected,
 *    the series gets a gap marker at once (drawn as a disconnected span,
 *    never as the last number); when the client reports the reconnect
 *    (NtPvClient::gap) the feed fetches that span from the archive and
 *    refills it, trying again for a while if the archive has not caught
 *    up yet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-chart-feed"

#include "config.h"

#include <math.h>

#include "nt-clock.h"
#include "nt-chart-feed.h"
#include "nt-series.h"

#define RAW_MAX_US_PER_PX  (2 * G_USEC_PER_SEC)  /* coarser than this: bins */
#define REFILL_ATTEMPTS    6
#define REFILL_TOLERANCE   (5 * G_USEC_PER_SEC)  /* a last uncovered tail shorter than this is let go */

struct _NtChartFeed
{
  GObject          parent_instance;

  NtStripChart    *chart;          /* weak */
  guint            series_index;
  NtSeries        *series;
  NtPvClient      *live;
  NtArchiveClient *archive;
  char            *pv;
  NtPvRecord      *record;         /* owned by the client while subscribed */

  gulong           updates_id;
  gulong           gap_id;
  gulong           state_id;
  gulong           range_id;

  GCancellable    *cancellable;    /* everything, on dispose */
  GCancellable    *range_cancellable;
  GList           *retries;        /* Fetch* waiting for a retry timeout */

  gint64           last_live_t;
  gboolean         in_gap;
  gint64           gap_start;
  gboolean         precision_set;
  guint            n_fetches;
  guint            n_pending;      /* in flight or waiting to retry */
  guint            refills_pending;
  GError          *last_error;
};

G_DEFINE_FINAL_TYPE (NtChartFeed, nt_chart_feed, G_TYPE_OBJECT)

typedef struct
{
  NtChartFeed *self;      /* a reference while in flight; not while waiting */
  gint64       from;
  gint64       to;
  guint        width;
  gboolean     refill;
  guint        attempt;
  guint        retry_id;
} Fetch;

static void start_fetch (NtChartFeed *self,
                         Fetch       *fetch);

static void
fetch_free (Fetch *fetch)
{
  NtChartFeed *self = fetch->self;

  self->n_pending--;
  if (fetch->refill && self->refills_pending > 0)
    self->refills_pending--;
  g_free (fetch);
  g_object_unref (self);
}

static guint
chart_width (NtChartFeed *self)
{
  graphene_rect_t plot;

  if (self->chart == NULL)
    return 1000;

  nt_strip_chart_get_plot_area (self->chart, &plot);

  return plot.size.width >= 1 ? (guint)plot.size.width : 1000;
}

static void
mark_gap_once (NtChartFeed *self,
               gint64       t)
{
  if (self->in_gap)
    return;

  t = MAX (t, self->last_live_t + 1);
  self->in_gap = TRUE;
  self->gap_start = t;
  nt_series_mark_gap (self->series, t);
}

static void
set_precision (NtChartFeed *self,
               int          precision)
{
  if (self->precision_set || precision < 0 || self->chart == NULL)
    return;

  self->precision_set = TRUE;
  nt_strip_chart_set_series_precision (self->chart, self->series_index, precision);
}

static gboolean
retry_timeout_cb (gpointer user_data)
{
  Fetch *fetch = user_data;
  NtChartFeed *self = fetch->self;

  fetch->retry_id = 0;
  self->retries = g_list_remove (self->retries, fetch);
  g_object_ref (self);
  start_fetch (self, fetch);

  return G_SOURCE_REMOVE;
}

static void
schedule_retry (NtChartFeed *self,
                Fetch       *fetch)
{
  fetch->attempt++;
  fetch->retry_id = g_timeout_add (500u << MIN (fetch->attempt, 5u), retry_timeout_cb, fetch);
  self->retries = g_list_prepend (self->retries, fetch);
  /* Waiting holds no reference: dispose drops waiting retries. */
  g_object_unref (self);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;
  NtChartFeed *self = fetch->self;
  g_autoptr(NtArchiveResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ts = NULL;
  g_autoptr(GArray) vs = NULL;
  g_autoptr(GArray) sevs = NULL;
  const gint64 *t;
  const double *v, *vmax;
  const guint8 *sev;
  guint n;
  gint64 half_bin, covered_to, replace_from;
  gboolean more;

  res = nt_archive_client_fetch_finish (NT_ARCHIVE_CLIENT (object), result, &error);
  if (res == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          fetch_free (fetch);
          return;
        }

      g_debug ("%s: history for %s failed: %s", G_STRFUNC, self->pv, error->message);
      g_clear_error (&self->last_error);
      self->last_error = g_error_copy (error);
      if (fetch->refill && fetch->attempt + 1 < REFILL_ATTEMPTS)
        schedule_retry (self, fetch);
      else
        fetch_free (fetch);
      return;
    }

  g_clear_error (&self->last_error);
  set_precision (self, nt_archive_result_get_precision (res));

  n = nt_archive_result_get_n_samples (res);
  t = nt_archive_result_get_times (res);
  v = nt_archive_result_get_values (res);
  vmax = nt_archive_result_get_max_values (res);
  sev = nt_archive_result_get_severities (res);
  half_bin = (gint64)nt_archive_result_get_bin_seconds (res) * G_USEC_PER_SEC / 2;

  /* How far the archive's answer reaches: it may lag behind live. */
  covered_to = n > 0 ? MIN (fetch->to, t[n - 1] + MAX (half_bin, 1)) : fetch->from;
  more = fetch->refill && covered_to < fetch->to && fetch->attempt + 1 < REFILL_ATTEMPTS;

  if (n == 0 && !fetch->refill)
    {
      /* Nothing known for the span: leave what is shown. */
      fetch_free (fetch);
      return;
    }

  /* A raw answer starts with the last sample before the span (the value
   * that holds at its start, however old): keep it, so a value that has
   * not changed for days still shows. */
  replace_from = fetch->from;
  if (n > 0 && half_bin == 0 && t[0] < fetch->from)
    replace_from = t[0];

  ts = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n * 2 + 1);
  vs = g_array_sized_new (FALSE, FALSE, sizeof (double), n * 2 + 1);
  sevs = g_array_sized_new (FALSE, FALSE, sizeof (guint8), n * 2 + 1);

  for (guint i = 0; i < n; i++)
    {
      guint8 s = sev != NULL ? sev[i] : NT_SERIES_SEVERITY_NONE;

      if (t[i] < replace_from || t[i] >= covered_to)
        continue;

      /* A min/max bin stands for its bin: both extremes at its centre. */
      g_array_append_val (ts, t[i]);
      g_array_append_val (vs, v[i]);
      g_array_append_val (sevs, s);
      if (vmax != NULL && vmax[i] != v[i])
        {
          g_array_append_val (ts, t[i]);
          g_array_append_val (vs, vmax[i]);
          g_array_append_val (sevs, s);
        }
    }

  if (fetch->refill)
    {
      /* A refill owns the whole gap.  What the archive does not cover yet
       * stays a gap, and is asked for again: the gap shrinks as the
       * archive catches up.  In the end a short tail is let go (a value
       * that did not change leaves nothing in the archive). */
      if (covered_to < fetch->to && (more || fetch->to - covered_to > REFILL_TOLERANCE))
        {
          double nan = NAN;
          guint8 undefined = NT_SERIES_SEVERITY_UNDEFINED;

          g_array_append_val (ts, covered_to);
          g_array_append_val (vs, nan);
          g_array_append_val (sevs, undefined);
        }
      nt_series_replace_range (self->series, replace_from, fetch->to,
                               (const gint64 *)(gpointer)ts->data,
                               (const double *)(gpointer)vs->data,
                               (const guint8 *)sevs->data, ts->len);
    }
  else
    nt_series_replace_range (self->series, replace_from, covered_to,
                             (const gint64 *)(gpointer)ts->data,
                             (const double *)(gpointer)vs->data,
                             (const guint8 *)sevs->data, ts->len);

  /* The gap marker went with the refill: the next live value simply
   * follows. */
  if (self->in_gap && !nt_series_get_open_gap (self->series, NULL))
    self->in_gap = FALSE;

  if (more)
    {
      fetch->from = covered_to;
      schedule_retry (self, fetch);
      return;
    }

  fetch_free (fetch);
}

static void
start_fetch (NtChartFeed *self,
             Fetch       *fetch)
{
  gint64 span = fetch->to - fetch->from;
  guint n_bins = span / MAX (fetch->width, 1) <= RAW_MAX_US_PER_PX ? 0 : fetch->width;
  gint64 ask_to = fetch->to;

  /* A refill asks up to now: a sample at or after the gap's end shows
   * that the archive has caught up with it. */
  if (fetch->refill)
    ask_to = MAX (fetch->to, nt_clock_now_us ());

  self->n_fetches++;
  nt_archive_client_fetch_async (self->archive, self->pv, fetch->from, ask_to,
                                 n_bins, NT_ARCHIVE_MINMAX,
                                 fetch->refill ? self->cancellable : self->range_cancellable,
                                 fetch_cb, fetch);
}

static void
fetch_range (NtChartFeed *self,
             gint64       from,
             gint64       to,
             guint        width)
{
  Fetch *fetch;

  /* Nothing to ask about the future. */
  to = MIN (to, nt_clock_now_us ());
  if (to <= from)
    return;

  /* A new view replaces the last one's request. */
  g_cancellable_cancel (self->range_cancellable);
  g_clear_object (&self->range_cancellable);
  self->range_cancellable = g_cancellable_new ();

  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  self->n_pending++;
  fetch->from = from;
  fetch->to = to;
  fetch->width = width;
  start_fetch (self, fetch);
}

static void
handle_record (NtChartFeed *self)
{
  NtPvRecord *rec = self->record;
  NtPvState state = nt_pv_record_get_state (rec);

  if (nt_pv_record_has_metadata (rec))
    set_precision (self, nt_pv_record_get_precision (rec));

  if (state == NT_PV_STATE_DISCONNECTED || state == NT_PV_STATE_FAILED)
    {
      gint64 lost = nt_pv_client_get_lost_at (self->live);

      mark_gap_once (self, lost != 0 ? lost : nt_clock_now_us ());
      return;
    }

  if (!nt_pv_record_is_live (rec) || nt_pv_record_get_value_kind (rec) != NT_PV_VALUE_DOUBLE)
    return;

  {
    gint64 t = nt_pv_record_get_time_usec (rec);
    double v = nt_pv_record_get_double (rec);
    guint8 sev = (guint8)nt_pv_record_get_severity (rec);

    if (sev == NT_SERIES_SEVERITY_UNDEFINED || isnan (v))
      {
        mark_gap_once (self, t > 0 ? t : nt_clock_now_us ());
        return;
      }

    if (self->in_gap)
      {
        /* The first value after a gap may carry an older stamp (values
         * come only on change): it holds from now on. */
        if (t <= self->gap_start)
          t = nt_clock_now_us ();
        self->in_gap = FALSE;
      }
    else
      {
        gsize n = nt_series_get_n_samples (self->series);

        /* Metadata or state only, or a value a refill brought already. */
        if (t <= self->last_live_t ||
            (n > 0 && t <= nt_series_get_time (self->series, n - 1)))
          return;
      }

    self->last_live_t = t;
    nt_series_append (self->series, t, v, sev);
  }
}

static void
updates_cb (NtPvClient         *client,
            const char * const *names,
            NtChartFeed        *self)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      if (g_strcmp0 (names[i], self->pv) == 0)
        {
          handle_record (self);
          break;
        }
    }
}

static void
state_cb (NtPvClient  *client,
          GParamSpec  *pspec,
          NtChartFeed *self)
{
  if (nt_pv_client_get_state (client) == NT_CONNECTION_DISCONNECTED &&
      nt_pv_client_get_lost_at (client) != 0)
    mark_gap_once (self, nt_pv_client_get_lost_at (client));
}

static void
gap_cb (NtPvClient  *client,
        gint64       lost_at,
        gint64       restored_at,
        NtChartFeed *self)
{
  Fetch *fetch;

  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  fetch->from = self->gap_start != 0 ? MIN (lost_at, self->gap_start) : lost_at;
  fetch->to = MAX (restored_at, fetch->from + 1);
  fetch->width = chart_width (self);
  fetch->refill = TRUE;
  self->n_pending++;
  self->refills_pending++;
  start_fetch (self, fetch);
}

static void
range_changed_cb (NtStripChart *chart,
                  gint64        from,
                  gint64        to,
                  guint         width,
                  NtChartFeed  *self)
{
  fetch_range (self, from, to, width);
}

static void
nt_chart_feed_dispose (GObject *object)
{
  NtChartFeed *self = (NtChartFeed *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->range_cancellable);
  while (self->retries != NULL)
    {
      Fetch *fetch = self->retries->data;

      self->retries = g_list_delete_link (self->retries, self->retries);
      g_clear_handle_id (&fetch->retry_id, g_source_remove);
      self->n_pending--;
      if (fetch->refill && self->refills_pending > 0)
        self->refills_pending--;
      g_free (fetch);
    }

  if (self->live != NULL)
    {
      g_clear_signal_handler (&self->updates_id, self->live);
      g_clear_signal_handler (&self->gap_id, self->live);
      g_clear_signal_handler (&self->state_id, self->live);
      if (self->record != NULL)
        nt_pv_client_unsubscribe (self->live, self->pv);
      self->record = NULL;
    }
  if (self->chart != NULL)
    g_clear_signal_handler (&self->range_id, self->chart);
  g_clear_weak_pointer (&self->chart);

  G_OBJECT_CLASS (nt_chart_feed_parent_class)->dispose (object);
}

static void
nt_chart_feed_finalize (GObject *object)
{
  NtChartFeed *self = (NtChartFeed *)object;

  g_clear_object (&self->series);
  g_clear_object (&self->live);
  g_clear_object (&self->archive);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->range_cancellable);
  g_clear_pointer (&self->pv, g_free);
  g_clear_error (&self->last_error);

  G_OBJECT_CLASS (nt_chart_feed_parent_class)->finalize (object);
}

static void
nt_chart_feed_class_init (NtChartFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_chart_feed_dispose;
  object_class->finalize = nt_chart_feed_finalize;
}

static void
nt_chart_feed_init (NtChartFeed *self)
{
  self->cancellable = g_cancellable_new ();
  self->range_cancellable = g_cancellable_new ();
}

/**
 * nt_chart_feed_new:
 * @chart: the chart; the feed follows its ::range-changed
 * @series_index: which of the chart's series to fill
 * @live: the live-value client (the feed subscribes to @pv on it)
 * @archive: the history client
 * @pv: the PV name (from the facility profile)
 *
 * Starts at once: subscribes, and fetches history for the chart's visible
 * range.  Give the series a capacity (nt_series_new()) that holds a view's
 * worth of live samples, e.g. two weeks at the PV's rate.
 *
 * Returns: (transfer full): the feed; drop it to stop feeding
 */
NtChartFeed *
nt_chart_feed_new (NtStripChart    *chart,
                   guint            series_index,
                   NtPvClient      *live,
                   NtArchiveClient *archive,
                   const char      *pv)
{
  NtChartFeed *self;
  gint64 from, to;

  g_return_val_if_fail (NT_IS_STRIP_CHART (chart), NULL);
  g_return_val_if_fail (series_index < nt_strip_chart_get_n_series (chart), NULL);
  g_return_val_if_fail (NT_IS_PV_CLIENT (live), NULL);
  g_return_val_if_fail (NT_IS_ARCHIVE_CLIENT (archive), NULL);
  g_return_val_if_fail (pv != NULL, NULL);

  self = g_object_new (NT_TYPE_CHART_FEED, NULL);
  g_set_weak_pointer (&self->chart, chart);
  self->series_index = series_index;
  self->series = g_object_ref (nt_strip_chart_get_series (chart, series_index));
  self->live = g_object_ref (live);
  self->archive = g_object_ref (archive);
  self->pv = g_strdup (pv);

  if (nt_series_get_n_samples (self->series) > 0)
    nt_series_get_sample (self->series, nt_series_get_n_samples (self->series) - 1,
                          &self->last_live_t, NULL, NULL);

  self->updates_id = g_signal_connect (live, "updates", G_CALLBACK (updates_cb), self);
  self->gap_id = g_signal_connect (live, "gap", G_CALLBACK (gap_cb), self);
  self->state_id = g_signal_connect (live, "notify::state", G_CALLBACK (state_cb), self);
  self->range_id = g_signal_connect (chart, "range-changed", G_CALLBACK (range_changed_cb), self);

  self->record = nt_pv_client_subscribe (live, pv);
  if (nt_pv_record_is_live (self->record))
    handle_record (self);

  nt_strip_chart_get_visible_range (chart, &from, &to);
  fetch_range (self, from, to, chart_width (self));

  return self;
}

const char *
nt_chart_feed_get_pv (NtChartFeed *self)
{
  g_return_val_if_fail (NT_IS_CHART_FEED (self), NULL);

  return self->pv;
}

/**
 * nt_chart_feed_get_n_fetches:
 *
 * Returns: how many history requests the feed has sent
 */
guint
nt_chart_feed_get_n_fetches (NtChartFeed *self)
{
  g_return_val_if_fail (NT_IS_CHART_FEED (self), 0);

  return self->n_fetches;
}

/**
 * nt_chart_feed_get_n_pending:
 *
 * Returns: history requests in flight or waiting to be tried again; the
 *   feed is finalized only once those in flight have come back
 */
guint
nt_chart_feed_get_n_pending (NtChartFeed *self)
{
  g_return_val_if_fail (NT_IS_CHART_FEED (self), 0);

  return self->n_pending;
}

/**
 * nt_chart_feed_is_refilling:
 *
 * Returns: whether a gap refill is in flight or waiting to try again
 */
gboolean
nt_chart_feed_is_refilling (NtChartFeed *self)
{
  g_return_val_if_fail (NT_IS_CHART_FEED (self), FALSE);

  return self->refills_pending > 0;
}

/**
 * nt_chart_feed_get_last_error:
 *
 * Returns: (nullable): why the last history request failed, or %NULL if
 *   it did not
 */
const GError *
nt_chart_feed_get_last_error (NtChartFeed *self)
{
  g_return_val_if_fail (NT_IS_CHART_FEED (self), NULL);

  return self->last_error;
}
