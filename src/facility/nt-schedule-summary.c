/* nt-schedule-summary.c: the fiscal-year summary of the scheduling store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/summary?fy=2026 answers, for the fiscal year and each of its
 * terms: hours by period kind (and, for the year, against the 6,000 h
 * accelerator / 5,000 h user / 1,000 h study plan); per beamline and
 * station, booked hours by slot; each coalition main station's public
 * share against its target; each member's hours used, left and fees at the
 * hourly rate; and, for the year, the 2022 survey's requested days against
 * the days offered (user-operation hours / 24).
 */
#define G_LOG_DOMAIN "nt-schedule-summary"

#include "config.h"

#include "nt-alloc-rules.h"
#include "nt-allocation.h"
#include "nt-run-plan.h"
#include "nt-schedule-store-private.h"

#define PLAN_ACCELERATOR_HOURS 6000
#define PLAN_USER_HOURS        5000
#define PLAN_STUDY_HOURS       1000

typedef struct
{
  gint64 seconds[NT_N_SLOTS];
} SlotHours;

static double
hours (gint64 seconds)
{
  return seconds / 3600.0;
}

static gint64
clip (gint64 a0,
      gint64 a1,
      gint64 s,
      gint64 e)
{
  return MAX (0, MIN (a1, e) - MAX (a0, s));
}

static JsonObject *
section (NtScheduleStore *self,
         const char      *name,
         gint64           start,
         gint64           end,
         gboolean         whole_year,
         int              fiscal_year)
{
  JsonObject *o = json_object_new ();
  JsonObject *kinds = json_object_new ();
  JsonArray *beamlines = json_array_new ();
  JsonArray *members = json_array_new ();
  GArray *plan = nt_schedule_store_get_plan (self);
  NtCatalogue *catalogue = nt_schedule_store_get_catalogue (self);
  GListModel *bls = nt_catalogue_get_beamlines (catalogue);
  g_autoptr(GHashTable) by_station = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) by_member = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  gint64 kind_s[NT_N_PERIOD_KINDS] = { 0 };
  gint64 rate = nt_schedule_store_get_hourly_rate (self);
  sqlite3_stmt *s;
  char buf[NT_TIME_ISO_LEN + 1];

  json_object_set_string_member (o, "name", name);
  nt_time_format_iso_buf (start, buf);
  json_object_set_string_member (o, "start", buf);
  nt_time_format_iso_buf (end, buf);
  json_object_set_string_member (o, "end", buf);

  for (guint i = 0; i < plan->len; i++)
    {
      const NtPeriodSpan *span = &g_array_index (plan, NtPeriodSpan, i);

      kind_s[span->kind] += clip (span->start, span->end, start, end);
    }
  for (int k = 0; k < NT_N_PERIOD_KINDS; k++)
    json_object_set_double_member (kinds, nt_period_kind_to_string (k), hours (kind_s[k]));
  json_object_set_object_member (o, "hours_by_kind", kinds);
  json_object_set_double_member (o, "accelerator_hours",
                                 hours (kind_s[NT_PERIOD_USER_OPERATION] + kind_s[NT_PERIOD_MACHINE_STUDY] +
                                        kind_s[NT_PERIOD_COMMISSIONING]));
  if (whole_year)
    {
      JsonObject *target = json_object_new ();

      json_object_set_int_member (target, "accelerator_hours", PLAN_ACCELERATOR_HOURS);
      json_object_set_int_member (target, "user_operation_hours", PLAN_USER_HOURS);
      json_object_set_int_member (target, "study_hours", PLAN_STUDY_HOURS);
      json_object_set_object_member (o, "plan", target);
    }

  /* Booked hours per station and slot, and per member */
  s = nt_schedule_store_stmt (self, "SELECT station, slot, member, start, \"end\" FROM allocations "
                                    "WHERE status != 'cancelled' AND start < ? AND \"end\" > ?");
  sqlite3_bind_int64 (s, 1, end);
  sqlite3_bind_int64 (s, 2, start);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      const char *station = (const char *) sqlite3_column_text (s, 0);
      NtSlot slot = NT_SLOT_STAFF;
      gint64 secs = clip (sqlite3_column_int64 (s, 3), sqlite3_column_int64 (s, 4), start, end);
      SlotHours *sh = g_hash_table_lookup (by_station, station);

      nt_slot_from_string ((const char *) sqlite3_column_text (s, 1), &slot);
      if (sh == NULL)
        {
          sh = g_new0 (SlotHours, 1);
          g_hash_table_insert (by_station, g_strdup (station), sh);
        }
      sh->seconds[slot] += secs;

      if (slot == NT_SLOT_COALITION && sqlite3_column_type (s, 2) != SQLITE_NULL)
        {
          gint64 member = sqlite3_column_int64 (s, 2);
          gint64 *sum = g_hash_table_lookup (by_member, &member);

          if (sum == NULL)
            {
              gint64 *key = g_new (gint64, 1);

              *key = member;
              sum = g_new0 (gint64, 1);
              g_hash_table_insert (by_member, key, sum);
            }
          *sum += secs;
        }
    }
  sqlite3_reset (s);

  for (guint i = 0; i < g_list_model_get_n_items (bls); i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (bls, i);
      GListModel *stations = nt_beamline_get_stations (bl);
      JsonObject *blo = json_object_new ();
      JsonArray *sts = json_array_new ();
      gint64 bl_total = 0;

      json_object_set_string_member (blo, "id", nt_beamline_get_id (bl));
      json_object_set_string_member (blo, "program", nt_program_to_string (nt_beamline_get_program (bl)));

      for (guint j = 0; j < g_list_model_get_n_items (stations); j++)
        {
          g_autoptr(NtStation) st = g_list_model_get_item (stations, j);
          SlotHours *sh = g_hash_table_lookup (by_station, nt_station_get_id (st));
          JsonObject *sto = json_object_new ();
          JsonObject *slots = json_object_new ();
          gint64 total = 0;

          for (int k = 0; k < NT_N_SLOTS; k++)
            {
              gint64 v = sh != NULL ? sh->seconds[k] : 0;

              json_object_set_double_member (slots, nt_slot_to_string (k), hours (v));
              total += v;
            }
          bl_total += total;
          json_object_set_string_member (sto, "id", nt_station_get_id (st));
          json_object_set_string_member (sto, "kind", nt_station_kind_to_string (nt_station_get_kind (st)));
          json_object_set_object_member (sto, "hours_by_slot", slots);
          json_object_set_double_member (sto, "hours_total", hours (total));

          if (nt_beamline_get_program (bl) == NT_PROGRAM_COALITION &&
              nt_station_get_kind (st) == NT_STATION_MAIN)
            {
              JsonObject *share = json_object_new ();
              gint64 pub = sh != NULL ? sh->seconds[NT_SLOT_PUBLIC] : 0;
              gint64 beam = kind_s[NT_PERIOD_USER_OPERATION];

              json_object_set_double_member (share, "public_hours", hours (pub));
              json_object_set_double_member (share, "user_operation_hours", hours (beam));
              json_object_set_double_member (share, "share", beam > 0 ? (double) pub / beam : 0.0);
              json_object_set_double_member (share, "share_of_booked", total > 0 ? (double) pub / total : 0.0);
              json_object_set_double_member (share, "target",
                                             nt_schedule_store_get_public_share_target (self, nt_beamline_get_id (bl)));
              json_object_set_object_member (sto, "public_share", share);
            }
          json_array_add_object_element (sts, sto);
        }
      json_object_set_array_member (blo, "stations", sts);
      json_object_set_double_member (blo, "hours_total", hours (bl_total));

      if (whole_year)
        {
          JsonObject *survey = json_object_new ();
          double offered = kind_s[NT_PERIOD_USER_OPERATION] / 86400.0;
          guint requested = nt_beamline_get_requested_days (bl);

          json_object_set_int_member (survey, "requested_days", requested);
          json_object_set_double_member (survey, "offered_days", offered);
          json_object_set_double_member (survey, "ratio", offered > 0 ? requested / offered : 0.0);
          json_object_set_object_member (blo, "survey", survey);
        }
      json_array_add_object_element (beamlines, blo);
    }
  json_object_set_array_member (o, "beamlines", beamlines);

  s = nt_schedule_store_stmt (self, "SELECT id, name, units FROM members ORDER BY id");
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      JsonObject *mo = json_object_new ();
      gint64 id = sqlite3_column_int64 (s, 0);
      gint64 units = sqlite3_column_int64 (s, 2);
      gint64 *used = g_hash_table_lookup (by_member, &id);
      gint64 used_s = used != NULL ? *used : 0;

      json_object_set_int_member (mo, "id", id);
      json_object_set_string_member (mo, "name", (const char *) sqlite3_column_text (s, 1));
      json_object_set_int_member (mo, "units", units);
      json_object_set_double_member (mo, "hours_used", hours (used_s));
      if (whole_year)
        {
          json_object_set_int_member (mo, "hours_allowed", units * NT_HOURS_PER_UNIT);
          json_object_set_double_member (mo, "hours_left", units * NT_HOURS_PER_UNIT - hours (used_s));
        }
      json_object_set_double_member (mo, "fee_jpy", hours (used_s) * rate);
      json_array_add_object_element (members, mo);
    }
  sqlite3_reset (s);
  json_object_set_array_member (o, "members", members);
  json_object_set_int_member (o, "hourly_rate_jpy", rate);

  return o;
}

JsonNode *
nt_schedule_store_summary (NtScheduleStore  *self,
                           int               fiscal_year,
                           NtScheduleFault **fault)
{
  JsonObject *root;
  JsonArray *sections;
  JsonNode *node;
  gint64 y0, y1, a0, a1, b0, b1;
  g_autofree char *fy_name = NULL;
  g_autofree char *a_name = NULL;
  g_autofree char *b_name = NULL;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);

  nt_schedule_store_refresh (self);
  if (fiscal_year < 2000 || fiscal_year > 2100)
    {
      if (fault != NULL && *fault == NULL)
        {
          JsonObject *d = json_object_new ();

          json_object_set_string_member (d, "field", "fy");
          node = json_node_new (JSON_NODE_OBJECT);
          json_node_take_object (node, d);
          *fault = nt_schedule_fault_new (422, "invalid", node, "“fy” must be a fiscal year like 2026");
        }
      return NULL;
    }

  nt_time_fiscal_year_bounds (fiscal_year, &y0, &y1);
  nt_time_term_bounds (fiscal_year, NT_TERM_A, &a0, &a1);
  nt_time_term_bounds (fiscal_year, NT_TERM_B, &b0, &b1);
  fy_name = g_strdup_printf ("FY%d", fiscal_year);
  a_name = nt_time_term_name (fiscal_year, NT_TERM_A);
  b_name = nt_time_term_name (fiscal_year, NT_TERM_B);

  root = json_object_new ();
  sections = json_array_new ();
  json_object_set_int_member (root, "fiscal_year", fiscal_year);
  json_object_set_int_member (root, "revision", nt_schedule_store_get_revision (self));
  json_array_add_object_element (sections, section (self, fy_name, y0, y1, TRUE, fiscal_year));
  json_array_add_object_element (sections, section (self, a_name, a0, a1, FALSE, fiscal_year));
  json_array_add_object_element (sections, section (self, b_name, b0, b1, FALSE, fiscal_year));
  json_object_set_array_member (root, "sections", sections);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}
