/* nt-schedule-store-settings.c: the settings of the scheduling store
 * (table settings): the grids, the coalition rate, the public shares,
 * the statistics' threshold, grace time and target, and GET / PATCH
 * /settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-schedule-store"

#include "config.h"

#include "nt-alloc-rules.h"
#include "nt-schedule-store-private.h"

void
nt_schedule_store_load_settings (NtScheduleStore *self)
{
  sqlite3_stmt *s = nt_schedule_store_stmt (self, "SELECT key, value FROM settings");
  const char *v;

  g_hash_table_remove_all (self->settings);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_hash_table_insert (self->settings, nt_schedule_col_text (s, 0), nt_schedule_col_text (s, 1));
  sqlite3_reset (s);

  self->shift_grid = NT_TIME_GRID_SHIFT_DEFAULT;
  self->hour_grid = NT_TIME_GRID_HOUR;
  if ((v = g_hash_table_lookup (self->settings, "shift_grid")) != NULL &&
      !nt_time_grid_parse (v, &self->shift_grid))
    self->shift_grid = NT_TIME_GRID_SHIFT_DEFAULT;
  if ((v = g_hash_table_lookup (self->settings, "hour_grid")) != NULL &&
      !nt_time_grid_parse (v, &self->hour_grid))
    self->hour_grid = NT_TIME_GRID_HOUR;
}

static gboolean
write_setting (NtScheduleStore *self,
               const char      *key,
               const char      *value)
{
  sqlite3_stmt *s = nt_schedule_store_stmt (self, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");
  gboolean ok;

  nt_schedule_bind_text (s, 1, key);
  nt_schedule_bind_text (s, 2, value);
  ok = sqlite3_step (s) == SQLITE_DONE;
  sqlite3_reset (s);
  return ok;
}

static gboolean
put_setting (NtScheduleStore  *self,
             const char       *key,
             const char       *value,
             NtScheduleFault **fault)
{
  return write_setting (self, key, value) ||
         nt_schedule_store_db_fault (self, fault, "Cannot store the setting");
}

/* The statistics settings: key, default, lower bound (exclusive unless
 * @min_inclusive), upper bound (inclusive), and the words of a refusal. */
static const struct
{
  const char *key;
  double      fallback;
  double      min;
  gboolean    min_inclusive;
  double      max;
  const char *words;
} stats_settings[] = {
  { "delivery_threshold_fraction", 0.1, 0.0, FALSE, 1.0,
    "must be a fraction of the planned current above 0 and at most 1 (0.1 is 10 %)" },
  { "fault_grace_seconds", 60.0, 0.0, TRUE, 86400.0,
    "must be a number of seconds from 0 to 86400" },
  { "target_availability", 95.0, 0.0, FALSE, 100.0,
    "must be a percentage above 0 and at most 100" },
};

static double
stats_setting (NtScheduleStore *self,
               guint            i)
{
  const char *v = g_hash_table_lookup (self->settings, stats_settings[i].key);

  return v != NULL ? g_ascii_strtod (v, NULL) : stats_settings[i].fallback;
}

static gboolean
apply_stats_settings (NtScheduleStore  *self,
                      JsonObject       *o,
                      NtScheduleFault **fault)
{
  for (guint i = 0; i < G_N_ELEMENTS (stats_settings); i++)
    {
      JsonNode *v = json_object_get_member (o, stats_settings[i].key);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double x;

      if (v == NULL)
        continue;
      if (!JSON_NODE_HOLDS_VALUE (v) ||
          (json_node_get_value_type (v) != G_TYPE_DOUBLE && json_node_get_value_type (v) != G_TYPE_INT64))
        return nt_schedule_invalid (fault, stats_settings[i].key, stats_settings[i].words);
      x = json_node_get_double (v);
      if (!(stats_settings[i].min_inclusive ? x >= stats_settings[i].min : x > stats_settings[i].min) ||
          !(x <= stats_settings[i].max))
        return nt_schedule_invalid (fault, stats_settings[i].key, stats_settings[i].words);
      if (!put_setting (self, stats_settings[i].key, g_ascii_dtostr (buf, sizeof buf, x), fault))
        return FALSE;
    }
  return TRUE;
}

static JsonNode *
settings_to_json (NtScheduleStore *self)
{
  JsonObject *o = json_object_new ();
  JsonObject *share = json_object_new ();
  GListModel *bls = nt_catalogue_get_beamlines (self->catalogue);
  g_autofree char *shift = nt_time_grid_to_string (&self->shift_grid);
  g_autofree char *hour = nt_time_grid_to_string (&self->hour_grid);
  const char *rev_s = g_hash_table_lookup (self->settings, "revision");
  gint64 rev = rev_s != NULL ? g_ascii_strtoll (rev_s, NULL, 10) : 0;

  json_object_set_string_member (o, "shift_grid", shift);
  json_object_set_string_member (o, "hour_grid", hour);
  json_object_set_int_member (o, "coalition_rate_jpy", nt_schedule_store_get_hourly_rate (self));
  for (guint i = 0; i < g_list_model_get_n_items (bls); i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (bls, i);

      if (nt_beamline_get_program (bl) == NT_PROGRAM_COALITION)
        json_object_set_double_member (share, nt_beamline_get_id (bl),
                                       nt_schedule_store_get_public_share_target (self, nt_beamline_get_id (bl)));
    }
  json_object_set_object_member (o, "public_share", share);
  for (guint i = 0; i < G_N_ELEMENTS (stats_settings); i++)
    json_object_set_double_member (o, stats_settings[i].key, stats_setting (self, i));
  nt_schedule_set_meta (o, NT_RESOURCE_SETTINGS, "", rev);
  return nt_schedule_take_object (o);
}

/* Active allocations off the grids (after a change of them). */
static gboolean
check_grids (NtScheduleStore  *self,
             NtScheduleFault **fault)
{
  g_autoptr(GArray) off = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *s = nt_schedule_store_stmt (self, "SELECT id, slot, start, \"end\" FROM allocations "
                                                  "WHERE status != 'cancelled'");

  while (sqlite3_step (s) == SQLITE_ROW)
    {
      NtSlot slot = NT_SLOT_STAFF;
      gint64 id = sqlite3_column_int64 (s, 0);

      nt_slot_from_string ((const char *) sqlite3_column_text (s, 1), &slot);
      if (!nt_rules_check_grid (slot, sqlite3_column_int64 (s, 2), sqlite3_column_int64 (s, 3),
                                &self->shift_grid, &self->hour_grid, NULL))
        g_array_append_val (off, id);
    }
  sqlite3_reset (s);
  if (off->len == 0)
    return TRUE;
  FAULT (fault, 409, nt_rule_error_to_code (NT_RULE_ERROR_OFF_GRID), nt_schedule_ids_details ("allocations", off),
         "%u active allocations would be off the new grid", off->len);
  return FALSE;
}

static gboolean
apply_public_share (NtScheduleStore  *self,
                    JsonNode         *node,
                    NtScheduleFault **fault)
{
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return nt_schedule_invalid (fault, "public_share", "must be an object of beamline: share");
  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *v = json_object_get_member (json_node_get_object (node), l->data);
      NtBeamline *bl = nt_catalogue_lookup_beamline (self->catalogue, l->data);
      g_autofree char *key = g_strdup_printf ("public_share.%s", (const char *) l->data);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double share;

      if (bl == NULL || nt_beamline_get_program (bl) != NT_PROGRAM_COALITION)
        return nt_schedule_invalid (fault, "public_share", "names a beamline that is not a coalition beamline");
      if (!JSON_NODE_HOLDS_VALUE (v) ||
          (json_node_get_value_type (v) != G_TYPE_DOUBLE && json_node_get_value_type (v) != G_TYPE_INT64))
        return nt_schedule_invalid (fault, "public_share", "values must be numbers from 0 to 1");
      share = json_node_get_double (v);
      if (!(share >= 0.0 && share <= 1.0))
        return nt_schedule_invalid (fault, "public_share", "values must be numbers from 0 to 1");
      if (!put_setting (self, key, g_ascii_dtostr (buf, sizeof buf, share), fault))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_settings (NtScheduleStore  *self,
                JsonObject       *o,
                NtScheduleFault **fault)
{
  g_autofree char *shift = NULL;
  g_autofree char *hour = NULL;
  gint64 rate = -1;
  NtTimeGrid grid;

  if (!nt_schedule_body_string (o, "shift_grid", FALSE, FALSE, 32, &shift, fault) ||
      !nt_schedule_body_string (o, "hour_grid", FALSE, FALSE, 32, &hour, fault) ||
      !nt_schedule_body_int (o, "coalition_rate_jpy", FALSE, FALSE, &rate, fault))
    return FALSE;
  if (shift != NULL && !nt_time_grid_parse (shift, &grid))
    return nt_schedule_invalid (fault, "shift_grid", "must be a grid like 09:00/8h");
  if (hour != NULL && !nt_time_grid_parse (hour, &grid))
    return nt_schedule_invalid (fault, "hour_grid", "must be a grid like 00:00/1h");
  if (json_object_has_member (o, "coalition_rate_jpy") && (rate < 0 || rate > 100000000))
    return nt_schedule_invalid (fault, "coalition_rate_jpy", "must be from 0 to 100000000");

  if ((shift != NULL && !put_setting (self, "shift_grid", shift, fault)) ||
      (hour != NULL && !put_setting (self, "hour_grid", hour, fault)))
    return FALSE;
  if (json_object_has_member (o, "coalition_rate_jpy"))
    {
      char buf[32];

      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, rate);
      if (!put_setting (self, "coalition_rate_jpy", buf, fault))
        return FALSE;
    }
  if (!apply_stats_settings (self, o, fault))
    return FALSE;
  if (json_object_has_member (o, "public_share"))
    return apply_public_share (self, json_object_get_member (o, "public_share"), fault);
  return TRUE;
}

/* Public API */

const NtTimeGrid *
nt_schedule_store_get_shift_grid (NtScheduleStore *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  return &self->shift_grid;
}

const NtTimeGrid *
nt_schedule_store_get_hour_grid (NtScheduleStore *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  return &self->hour_grid;
}

gboolean
nt_schedule_store_set_setting (NtScheduleStore  *self,
                               const char       *key,
                               const char       *value,
                               GError          **error)
{
  NtTimeGrid grid;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_tx, FALSE);

  if ((g_str_equal (key, "shift_grid") || g_str_equal (key, "hour_grid")) &&
      !nt_time_grid_parse (value, &grid))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a grid like 09:00/8h", value);
      return FALSE;
    }
  if (!write_setting (self, key, value))
    {
      nt_db_set_error (self->db, error, "Cannot store the setting");
      return FALSE;
    }
  nt_schedule_store_load_settings (self);
  return TRUE;
}

double
nt_schedule_store_get_public_share_target (NtScheduleStore *self,
                                           const char      *beamline)
{
  g_autofree char *key = g_strdup_printf ("public_share.%s", beamline);
  const char *v = g_hash_table_lookup (self->settings, key);

  return v != NULL ? g_ascii_strtod (v, NULL) : 0.40;
}

gint64
nt_schedule_store_get_hourly_rate (NtScheduleStore *self)
{
  const char *v = g_hash_table_lookup (self->settings, "coalition_rate_jpy");

  return v != NULL ? g_ascii_strtoll (v, NULL, 10) : 35000;
}

JsonNode *
nt_schedule_store_get_settings (NtScheduleStore *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  nt_schedule_store_refresh (self);
  return settings_to_json (self);
}

JsonNode *
nt_schedule_store_update_settings (NtScheduleStore        *self,
                                   const char             *if_match,
                                   JsonNode               *body,
                                   const NtScheduleActor  *actor,
                                   NtScheduleFault       **fault)
{
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  char rev[32];
  JsonObject *o;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);

  if ((o = nt_schedule_body_object (body, fault)) == NULL)
    return NULL;
  before = settings_to_json (self);
  if (if_match == NULL)
    {
      FAULT (fault, 428, "precondition_required", NULL, "Send If-Match with the ETag of the settings you edited");
      return NULL;
    }
  if (!nt_schedule_etag_matches (before, if_match))
    {
      FAULT (fault, 412, "precondition_failed", nt_schedule_current_details (before),
             "The settings were changed by someone else; here they are now");
      return NULL;
    }
  if (!nt_schedule_store_begin (self, fault))
    return NULL;
  self->tx_revision++;
  g_snprintf (rev, sizeof rev, "%" G_GINT64_FORMAT, self->tx_revision);
  if (!apply_settings (self, o, fault) ||
      !put_setting (self, "revision", rev, fault))
    goto fail;
  nt_schedule_store_load_settings (self);
  if (!check_grids (self, fault))
    goto fail;
  after = settings_to_json (self);
  if (!nt_schedule_store_record_change (self, NT_RESOURCE_SETTINGS, "updated", "settings", before, after,
                                        actor, NULL, fault) ||
      !nt_schedule_store_commit (self, fault))
    goto fail;
  return g_steal_pointer (&after);

fail:
  nt_schedule_store_rollback (self);
  nt_schedule_store_load_settings (self);
  return NULL;
}
