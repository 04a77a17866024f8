/* nt-kiosk-window-private.h: what the files of the kiosk window share
 *
 * The instance struct and the entry points each file offers the others:
 * nt-kiosk-window.c (the window: status, turning pages, pointer, exit
 * chord, public API), nt-kiosk-window-texts.c (the kiosk's own words and
 * its language), nt-kiosk-window-pages.c (the beam, beamlines and facility
 * pages), nt-kiosk-window-plan.c (the run-plan page and its reading) and
 * nt-kiosk-window-reliability.c ("How reliable is our beam?").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "nt-chart-feed.h"
#include "nt-kiosk-window.h"
#include "nt-share-bar.h"
#include "nt-statistics-client.h"
#include "nt-station-schedule.h"
#include "nt-strip-chart.h"

G_BEGIN_DECLS

/* A label whose words follow the kiosk's language. */
typedef struct
{
  GtkLabel *label;
  char     *section;
  char     *key;
} Bound;

struct _NtKioskWindow
{
  AdwApplicationWindow  parent_instance;

  NtContext            *context;
  GSettings            *settings;
  JsonParser           *texts;
  char                 *language;      /* "ja" or "en" */
  gboolean              alternate;
  GPtrArray            *bound;         /* of Bound */
  GPtrArray            *speakers;      /* widgets with a "language": they speak the kiosk's */
  GPtrArray            *page_names;    /* in carousel order */
  guint                 current;
  guint                 n_turns;

  AdwCarousel          *carousel;
  GtkLabel             *status_label;
  GtkBox               *indicator_box;
  GtkButton            *language_button;
  char                 *status_text;

  NtPvClient           *pv_client;
  NtStripChart         *chart;
  NtChartFeed          *feed;
  NtStationSchedule    *station_schedule;  /* what each card has booked now */

  GtkBox               *beamline_text_box;
  GtkBox               *plan_today_box;
  GtkBox               *plan_week_box;
  GtkBox               *plan_beamtime_box;
  GtkLabel             *plan_note;
  GtkLabel             *plan_hours;
  GPtrArray            *periods;       /* of NtRunPeriod, or NULL before the first read */
  GPtrArray            *allocations;   /* of NtAllocation */
  gint64                plan_day;      /* the local day the plan was read for */
  gboolean              plan_stale;
  guint                 plan_pending;
  gboolean              plan_failed;
  char                 *plan_text;

  NtStatisticsClient   *reliability_client;
  NtStatistics         *reliability;   /* this fiscal year so far, or NULL */
  GtkBox               *reliability_box;
  GtkLabel             *reliability_percent;
  GtkLabel             *reliability_note;
  GtkWidget            *reliability_chart;
  gboolean              reliability_failed;
  gboolean              reliability_pending;
  guint                 reliability_id;
  char                 *reliability_text;

  GCancellable         *cancellable;
  guint                 rotate_id;
  guint                 pointer_id;
  guint                 plan_id;
  guint                 retry_id;
  gboolean              pointer_hidden;
  double                pointer_x;
  double                pointer_y;
  gboolean              pointer_seen;
  gboolean              exiting;

  GtkShortcut          *exit_shortcut;
  guint                 exit_keyval;
  GdkModifierType       exit_modifiers;
};

/* nt-kiosk-window-texts.c */
void        nt_kiosk_window_init_texts             (NtKioskWindow *self);
void        nt_kiosk_window_load_texts             (NtKioskWindow *self);
const char *nt_kiosk_window_lookup                 (NtKioskWindow *self,
                                                    const char    *section,
                                                    const char    *key);
const char *nt_kiosk_window_text                   (NtKioskWindow *self,
                                                    const char    *key);
GtkWidget  *nt_kiosk_window_make_label             (const char    *str,
                                                    const char    *css_class,
                                                    gboolean       wrap);
GtkWidget  *nt_kiosk_window_bound_label            (NtKioskWindow *self,
                                                    const char    *key,
                                                    const char    *css_class,
                                                    gboolean       wrap);
GtkWidget  *nt_kiosk_window_speaker                (NtKioskWindow *self,
                                                    GtkWidget     *widget);
void        nt_kiosk_window_name_chart_series      (NtKioskWindow *self);
void        nt_kiosk_window_update_language_button (NtKioskWindow *self);
void        nt_kiosk_window_apply_language         (NtKioskWindow *self);

/* nt-kiosk-window-pages.c */
GtkWidget  *nt_kiosk_window_page_box               (void);
void        nt_kiosk_window_remove_children        (GtkBox        *box);
void        nt_kiosk_window_build_pages            (NtKioskWindow *self);
void        nt_kiosk_window_rebuild_beamline_texts (NtKioskWindow *self);

/* nt-kiosk-window-plan.c */
GtkWidget  *nt_kiosk_window_build_plan_page        (NtKioskWindow *self);
void        nt_kiosk_window_load_plan              (NtKioskWindow *self);
void        nt_kiosk_window_rebuild_plan           (NtKioskWindow *self);

/* nt-kiosk-window-reliability.c */
GtkWidget  *nt_kiosk_window_build_reliability_page (NtKioskWindow *self);
void        nt_kiosk_window_load_reliability       (NtKioskWindow *self);
void        nt_kiosk_window_rebuild_reliability    (NtKioskWindow *self);

G_END_DECLS
