/* nt-schedule-seed.c: the demo fiscal year of the scheduling store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills the store with realistic years: the demo run plan of
 * nt-run-plan.c; a dozen fictional coalition members with units; public
 * proposals for the A term on every station that offers public shifts in
 * the 2026A call (public beamlines and coalition main stations) with their
 * allocations adding up to the call's shift counts, and the B term in
 * proportion to its user-operation time, both booked to their end;
 * coalition bookings month by month, one member booked to exactly its
 * quota; staff and commissioning time.  Every object goes through the same
 * rules as the API, one fiscal year per transaction.  All names are
 * invented.
 *
 * The store holds a rolling window: the fiscal year before the one asked
 * for, that year and the next.  A year is seeded once (its mark is kept in
 * table meta) and never if the store already has periods in it (a plan
 * someone made), so a later start only adds years and never touches what
 * users created or edited.
 */
#define G_LOG_DOMAIN "nt-schedule-seed"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "nt-alloc-rules.h"
#include "nt-run-plan.h"
#include "nt-schedule-store-private.h"

typedef struct
{
  gint64 start;
  gint64 end;
} Span;

typedef struct
{
  NtScheduleStore *store;
  GArray          *user_op;   /* Span: merged user-operation time */
  GArray          *commiss;   /* Span: commissioning periods */
  GHashTable      *busy;      /* station -> GArray of Span */
  NtScheduleActor  actor;
  NtScheduleFault *fault;
  guint            serial;    /* proposal numbers */
  guint            counter;   /* varies statuses deterministically */
} Seed;

static const struct {
  const char *name;
  int         units;
  const char *contract_start;
  const char *stations[2];
  int         percent;   /* of the quota booked this year */
} demo_members[] = {
  { "Aobayama Advanced Materials", 3, "2024-04-01", { "BL08U", "BL09U" }, 85 },
  { "Hirosegawa Semiconductor", 2, "2024-04-01", { "BL07U", "BL14U" }, 90 },
  { "Kitakami Battery Works", 1, "2024-04-01", { "BL08U", "BL09U" }, 100 },
  { "Zao Polymer Laboratories", 4, "2024-04-01", { "BL09W", "BL08W-SAXS" }, 75 },
  { "Sendai-wan Catalyst Consortium", 2, "2024-04-01", { "BL09U", "BL08W-XAFS" }, 80 },
  { "Matsushima Food Science", 1, "2025-04-01", { "BL08W-SAXS", "BL09W" }, 70 },
  { "Izumigatake Optics", 2, "2024-04-01", { "BL10U", "BL14U" }, 88 },
  { "Miyagino Steel Research", 5, "2024-04-01", { "BL08W-XRD", "BL09W" }, 78 },
  { "Natori Pharma Analytics", 1, "2026-04-01", { "BL08W-XRD", "BL10U" }, 95 },
  { "Shiogama Surface Coatings", 2, "2024-04-01", { "BL07U", "BL08U" }, 65 },
  { "Tagajo Fine Ceramics", 3, "2025-04-01", { "BL08W-XAFS", "BL09U" }, 82 },
  { "Rifu Energy Materials", 1, "2024-04-01", { "BL14U", "BL07U" }, 60 },
};

static const char * const titles[] = {
  "Resonant inelastic X-ray scattering on layered cuprate thin films",
  "Operando soft X-ray spectroscopy of lithium-rich cathode interfaces",
  "Nano-ARPES of twisted bilayer graphene devices",
  "Chemical mapping of corrosion fronts in weathering steel",
  "Element-specific magnetic imaging of skyrmion lattices",
  "In situ XAFS of single-atom catalysts under reaction gas",
  "Hierarchical structure of cellulose nanofibre composites",
  "Coherent diffraction imaging of battery particles during cycling",
  "Charge-transfer excitations in nickelate superconductors",
  "Soft X-ray absorption of organic semiconductor blends",
  "Interface electronic structure of perovskite solar cells",
  "Time-resolved small-angle scattering of protein crystallisation",
  "Local structure of amorphous oxide thin-film transistors",
  "Spin-resolved photoemission of topological insulator surfaces",
  "Depth profiling of polymer electrolyte degradation",
  "X-ray absorption of rare-earth-free permanent magnets",
};

static const char * const people[] = {
  "Aoi Kanzaki", "Ren Tsukishima", "Mio Hasekura", "Daichi Oritate", "Yuna Sakuragaoka",
  "Kaito Minamiyama", "Hina Tomizawa", "Sora Kuwagasaki", "Riku Imaharu", "Emma Lindqvist",
  "Lucas Okonkwo-Berg", "Mei Shiraishi-Dunn", "Haruto Kasumigaoka", "Noa Vettori", "Akari Nishikigoi",
};

static const char * const organisations[] = {
  "Hirose River University", "Zao Institute of Technology", "Kita-Aoba National Laboratory",
  "Miyagi Coast University", "Izumi Research Centre for Materials", "Yamagata Plateau University",
  "Pacific Rim Institute of Science",
};

/* Approved shifts of successive proposals: each a valid count. */
static const int shift_pattern[] = { 6, 9, 3, 12, 6, 2, 9, 1, 6, 15, 3, 6, 9, 2, 12 };

/* 00:00 JST on the first day of the @month-th month of the fiscal year */
static gint64
month_start (int fiscal_year,
             int month)
{
  int m = 4 + month;

  return nt_time_from_local (fiscal_year + (m > 12), m > 12 ? m - 12 : m, 1, 0, 0);
}

static GArray *
merge_spans (GArray       *plan,
             NtPeriodKind  kind)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Span));

  for (guint i = 0; i < plan->len; i++)
    {
      const NtPeriodSpan *p = &g_array_index (plan, NtPeriodSpan, i);
      Span s = { p->start, p->end };

      if (p->kind != kind)
        continue;
      if (out->len > 0 && g_array_index (out, Span, out->len - 1).end == s.start)
        g_array_index (out, Span, out->len - 1).end = s.end;
      else
        g_array_append_val (out, s);
    }
  return out;
}

static GArray *
busy_of (Seed       *seed,
         const char *station)
{
  GArray *busy = g_hash_table_lookup (seed->busy, station);

  if (busy == NULL)
    {
      busy = g_array_new (FALSE, FALSE, sizeof (Span));
      g_hash_table_insert (seed->busy, g_strdup (station), busy);
    }
  return busy;
}

/* First start >= @from, on @grid, with [start, start + len) inside one
 * span of @spans, before @limit, and free on the station; -1 if none. */
static gint64
find_slot (Seed             *seed,
           GArray           *spans,
           const char       *station,
           gint64            from,
           gint64            limit,
           gint64            len,
           const NtTimeGrid *grid)
{
  GArray *busy = busy_of (seed, station);

  for (guint i = 0; i < spans->len; i++)
    {
      const Span *sp = &g_array_index (spans, Span, i);
      gint64 t;

      if (sp->end <= from)
        continue;
      t = nt_time_grid_ceil (grid, MAX (from, sp->start));
      while (t + len <= MIN (sp->end, limit))
        {
          gboolean clash = FALSE;

          for (guint j = 0; j < busy->len; j++)
            {
              const Span *b = &g_array_index (busy, Span, j);

              if (nt_rules_spans_overlap (t, t + len, b->start, b->end))
                {
                  t = nt_time_grid_ceil (grid, b->end);
                  clash = TRUE;
                  break;
                }
            }
          if (!clash)
            return t;
        }
      if (sp->start >= limit)
        break;
    }
  return -1;
}

static JsonObject *
alloc_body (const char *station,
            gint64      start,
            gint64      end,
            const char *slot,
            const char *status)
{
  JsonObject *o = json_object_new ();
  char buf[NT_TIME_ISO_LEN + 1];

  json_object_set_string_member (o, "station", station);
  nt_time_format_iso_buf (start, buf);
  json_object_set_string_member (o, "start", buf);
  nt_time_format_iso_buf (end, buf);
  json_object_set_string_member (o, "end", buf);
  json_object_set_string_member (o, "slot", slot);
  json_object_set_string_member (o, "status", status);
  return o;
}

static gboolean
create (Seed       *seed,
        NtResource  resource,
        JsonObject *body,
        gint64     *id_out)
{
  g_autoptr(JsonNode) node = nt_schedule_store_create_in_tx (seed->store, resource, body, &seed->actor,
                                                             &seed->fault);

  json_object_unref (body);             /* create() takes the body it is given */
  if (node == NULL)
    return FALSE;
  if (id_out != NULL)
    *id_out = json_object_get_int_member (json_node_get_object (node), "id");
  return TRUE;
}

static gboolean
book (Seed       *seed,
      const char *station,
      gint64      start,
      gint64      end,
      JsonObject *body)
{
  Span s = { start, end };

  if (!create (seed, NT_RESOURCE_ALLOCATION, body, NULL))
    return FALSE;
  g_array_append_val (busy_of (seed, station), s);
  return TRUE;
}

/* Places @shifts of a public proposal, splitting the block if no free run
 * is long enough; returns the shifts placed. */
static gint64
place_public (Seed       *seed,
              const char *station,
              const char *proposal,
              gint64      shifts,
              gint64      from,
              gint64      term_start,
              gint64      term_end,
              gboolean   *failed)
{
  const NtTimeGrid *grid = nt_schedule_store_get_shift_grid (seed->store);
  gint64 shift_s = (gint64) grid->length_minutes * 60;
  gint64 t;

  t = find_slot (seed, seed->user_op, station, from, term_end, shifts * shift_s, grid);
  if (t < 0 && from > term_start)
    t = find_slot (seed, seed->user_op, station, term_start, term_end, shifts * shift_s, grid);
  if (t < 0)
    {
      gint64 half = shifts / 2;

      if (shifts <= 1)
        return 0;
      return place_public (seed, station, proposal, half, from, term_start, term_end, failed) +
             place_public (seed, station, proposal, shifts - half, from, term_start, term_end, failed);
    }
  else
    {
      JsonObject *body = alloc_body (station, t, t + shifts * shift_s, "public",
                                     (seed->counter++ % 11 == 5) ? "draft" : "confirmed");

      json_object_set_string_member (body, "proposal", proposal);
      if (!book (seed, station, t, t + shifts * shift_s, body))
        {
          *failed = TRUE;
          return 0;
        }
      return shifts;
    }
}

static gboolean
seed_public_term (Seed        *seed,
                  int          fiscal_year,
                  NtTerm       term,
                  double       fraction)
{
  NtCatalogue *catalogue = nt_schedule_store_get_catalogue (seed->store);
  g_autoptr(GPtrArray) stations = nt_catalogue_list_stations (catalogue);
  g_autofree char *term_name = nt_time_term_name (fiscal_year, term);
  gint64 t0, t1;

  nt_time_term_bounds (fiscal_year, term, &t0, &t1);

  for (guint i = 0; i < stations->len; i++)
    {
      NtStation *st = g_ptr_array_index (stations, i);
      gint64 total = (gint64) (nt_station_get_public_shifts_2026a (st) * fraction);
      gint64 left = total;
      gint64 n_props = 0, k = 0;

      /* Public time only on public beamlines and coalition main stations */
      if (nt_station_get_kind (st) != NT_STATION_MAIN || total == 0)
        continue;

      for (gint64 sum = 0, j = 0; sum < total; j++)
        {
          sum += shift_pattern[j % G_N_ELEMENTS (shift_pattern)];
          n_props++;
        }

      while (left > 0)
        {
          g_autofree char *id = g_strdup_printf ("%s%04u", term_name, ++seed->serial);
          JsonObject *p = json_object_new ();
          gint64 approved = MIN (left, shift_pattern[k % G_N_ELEMENTS (shift_pattern)]);
          gint64 placed, from;
          gboolean failed = FALSE;

          /* Keep every approved count valid: 4 → 3 + 1, 5 → 3 + 2, 7 → 6 + 1 … */
          if (!nt_rules_check_shift_count (approved, NULL))
            approved -= approved % 3;

          json_object_set_string_member (p, "id", id);
          json_object_set_string_member (p, "title", titles[seed->serial % G_N_ELEMENTS (titles)]);
          json_object_set_string_member (p, "pi", people[seed->serial % G_N_ELEMENTS (people)]);
          json_object_set_string_member (p, "organisation",
                                         organisations[seed->serial % G_N_ELEMENTS (organisations)]);
          json_object_set_boolean_member (p, "proprietary", seed->serial % 5 == 0);
          json_object_set_int_member (p, "shifts_requested", approved + (approved * (seed->serial % 4)) / 2);
          json_object_set_int_member (p, "shifts_approved", approved);
          if (!create (seed, NT_RESOURCE_PROPOSAL, p, NULL))
            return FALSE;

          /* Spread over the whole term, so that the bookings run to its
           * end with the free shifts between them. */
          from = t0 + (t1 - t0) * k / MAX (n_props, 1);
          placed = place_public (seed, nt_station_get_id (st), id, approved, from, t0, t1, &failed);
          if (failed)
            return FALSE;
          if (placed < approved)
            g_debug ("%s: placed %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " shifts", id, placed, approved);
          left -= approved;
          k++;
        }

    }
  return TRUE;
}

/* Runs @sql with one text parameter on the store's connection; the first
 * column of its first row goes to @out (left as it is without a row).
 * Returns SQLite's result code of the step (or of the prepare). */
static int
run_with_text (NtScheduleStore *store,
               const char      *sql,
               const char      *text,
               gint64          *out)
{
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2 (nt_db_get_handle (nt_schedule_store_get_db (store)), sql, -1, &s, NULL);

  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_text (s, 1, text, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW && out != NULL)
    *out = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  return rc;
}

/* The id of the member called @name, or 0. */
static gint64
find_member (Seed       *seed,
             const char *name)
{
  gint64 id = 0;

  run_with_text (seed->store, "SELECT id FROM members WHERE name = ?", name, &id);
  return id;
}

static gboolean
seed_members (Seed *seed,
              int   fiscal_year)
{
  const NtTimeGrid *hour = nt_schedule_store_get_hour_grid (seed->store);
  gint64 y0, y1;

  nt_time_fiscal_year_bounds (fiscal_year, &y0, &y1);

  for (guint i = 0; i < G_N_ELEMENTS (demo_members); i++)
    {
      JsonObject *m = json_object_new ();
      g_autofree char *contract_end = g_strdup_printf ("%.4d-03-31", atoi (demo_members[i].contract_start) + 10);
      gint64 id = 0;
      gint64 target_h = demo_members[i].units * NT_HOURS_PER_UNIT * demo_members[i].percent / 100;
      gint64 n_blocks, block_h = 12;

      /* A member seeded with an earlier year is booked again, not made twice;
       * none is booked before its contract starts. */
      id = find_member (seed, demo_members[i].name);
      if (id == 0)
        {
          json_object_set_string_member (m, "name", demo_members[i].name);
          json_object_set_int_member (m, "units", demo_members[i].units);
          json_object_set_string_member (m, "contract_start", demo_members[i].contract_start);
          json_object_set_string_member (m, "contract_end", contract_end);
          if (!create (seed, NT_RESOURCE_MEMBER, m, &id))
            return FALSE;
        }
      else
        json_object_unref (m);
      if (atoi (demo_members[i].contract_start) > fiscal_year ||
          atoi (demo_members[i].contract_start) + 10 <= fiscal_year)
        continue;

      /* Month by month, in blocks of 12 h (the last one shorter) */
      n_blocks = (target_h + block_h - 1) / block_h;
      for (gint64 b = 0; b < n_blocks; b++)
        {
          gint64 len_h = MIN (block_h, target_h - b * block_h);
          int month = (int) (b * 12 / n_blocks);
          gint64 from, t = -1;
          const char *station = NULL;

          from = month_start (fiscal_year, month) + (gint64) (((b * 7 + i * 3) % 20)) * 86400;

          /* The month's stations, then anywhere in the year */
          for (guint tries = 0; tries < 4 && t < 0; tries++)
            {
              station = demo_members[i].stations[(b + tries) % 2];
              t = find_slot (seed, seed->user_op, station, tries < 2 ? from : y0, y1, len_h * 3600, hour);
            }
          if (t < 0)
            continue;
          {
            JsonObject *body;
            const char *status = "confirmed";

            seed->counter++;
            if (seed->counter % 13 == 0)
              status = "draft";
            body = alloc_body (station, t, t + len_h * 3600, "coalition", status);
            json_object_set_int_member (body, "member", id);
            if (!book (seed, station, t, t + len_h * 3600, body))
              return FALSE;
          }
        }
    }
  return TRUE;
}

static gboolean
seed_staff (Seed *seed,
            int   fiscal_year)
{
  const NtTimeGrid *hour = nt_schedule_store_get_hour_grid (seed->store);
  static const char * const staff_stations[] = { "BL08W-SAXS", "BL08W-XRD", "BL10U" };
  gint64 y0, y1;

  nt_time_fiscal_year_bounds (fiscal_year, &y0, &y1);

  /* Beamline commissioning in each commissioning period */
  for (guint i = 0; i < seed->commiss->len; i++)
    {
      const Span *sp = &g_array_index (seed->commiss, Span, i);

      for (guint j = 0; j < 2; j++)
        {
          const char *station = staff_stations[j];
          gint64 t = find_slot (seed, seed->commiss, station, sp->start, sp->end, 16 * 3600, hour);

          if (t >= 0 && !book (seed, station, t, t + 16 * 3600,
                               alloc_body (station, t, t + 16 * 3600, "commissioning", "confirmed")))
            return FALSE;
        }
    }

  /* A staff day a month on each of the stations above */
  for (int month = 0; month < 12; month++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (staff_stations); j++)
        {
          const char *station = staff_stations[j];
          gint64 t = find_slot (seed, seed->user_op, station, month_start (fiscal_year, month) + 10 * 86400,
                                y1, 8 * 3600, hour);

          if (t >= 0 && !book (seed, station, t, t + 8 * 3600,
                               alloc_body (station, t, t + 8 * 3600, "staff",
                                           month == 6 && j == 0 ? "cancelled" : "confirmed")))
            return FALSE;
        }
    }
  return TRUE;
}

/* Hours of @spans inside [from, to). */
static gint64
span_seconds (GArray *spans,
              gint64  from,
              gint64  to)
{
  gint64 total = 0;

  for (guint i = 0; i < spans->len; i++)
    {
      const Span *sp = &g_array_index (spans, Span, i);
      gint64 a = MAX (sp->start, from), b = MIN (sp->end, to);

      if (b > a)
        total += b - a;
    }
  return total;
}

static void
year_mark (int  fiscal_year,
           char buf[32])
{
  g_snprintf (buf, 32, "demo_fy.%d", fiscal_year);
}

/* Seeded already, or holding periods someone made. */
static gboolean
year_is_taken (NtScheduleStore *self,
               int              fiscal_year)
{
  GArray *plan = nt_schedule_store_get_plan (self);
  char key[32];
  gint64 y0, y1;

  year_mark (fiscal_year, key);
  if (run_with_text (self, "SELECT 1 FROM meta WHERE key = ?", key, NULL) == SQLITE_ROW)
    return TRUE;

  nt_time_fiscal_year_bounds (fiscal_year, &y0, &y1);
  for (guint i = 0; i < plan->len; i++)
    {
      const NtPeriodSpan *p = &g_array_index (plan, NtPeriodSpan, i);

      if (p->start < y1 && p->end > y0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
mark_year (Seed *seed,
           int   fiscal_year)
{
  char key[32];

  year_mark (fiscal_year, key);
  return run_with_text (seed->store, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, 1)", key, NULL)
         == SQLITE_DONE;
}

static gboolean
seed_year (NtScheduleStore  *self,
           int               fiscal_year,
           GError          **error)
{
  g_autoptr(GArray) plan = NULL;
  Seed seed = { 0 };
  gboolean ok = FALSE;
  gint64 a0, a1, b0, b1, a_s, b_s;

  seed.store = self;
  seed.actor.name = "seed";
  seed.actor.role = NT_ROLE_ADMIN;
  seed.busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);

  plan = nt_demo_plan_build (fiscal_year);
  seed.user_op = merge_spans (plan, NT_PERIOD_USER_OPERATION);
  seed.commiss = merge_spans (plan, NT_PERIOD_COMMISSIONING);

  /* Term B's public time is term A's call in proportion to the user
   * operation each term has, less a tenth kept free (A's call leaves
   * about as much of its term). */
  nt_time_term_bounds (fiscal_year, NT_TERM_A, &a0, &a1);
  nt_time_term_bounds (fiscal_year, NT_TERM_B, &b0, &b1);
  a_s = span_seconds (seed.user_op, a0, a1);
  b_s = span_seconds (seed.user_op, b0, b1);

  if (!nt_schedule_store_begin (self, &seed.fault))
    goto out;

  for (guint i = 0; i < plan->len; i++)
    {
      const NtPeriodSpan *p = &g_array_index (plan, NtPeriodSpan, i);
      JsonObject *o = json_object_new ();
      char buf[NT_TIME_ISO_LEN + 1];

      json_object_set_string_member (o, "kind", nt_period_kind_to_string (p->kind));
      nt_time_format_iso_buf (p->start, buf);
      json_object_set_string_member (o, "start", buf);
      nt_time_format_iso_buf (p->end, buf);
      json_object_set_string_member (o, "end", buf);
      json_object_set_string_member (o, "note", "");
      if (!create (&seed, NT_RESOURCE_PERIOD, o, NULL))
        goto rollback;
    }

  if (!seed_public_term (&seed, fiscal_year, NT_TERM_A, 1.0) ||
      !seed_public_term (&seed, fiscal_year, NT_TERM_B, a_s > 0 ? 0.9 * b_s / a_s : 0) ||
      !seed_staff (&seed, fiscal_year) ||
      !seed_members (&seed, fiscal_year))
    goto rollback;

  if (!mark_year (&seed, fiscal_year))
    {
      seed.fault = nt_schedule_fault_new (500, "internal", NULL, "Cannot mark the year as seeded");
      goto rollback;
    }

  ok = nt_schedule_store_commit (self, &seed.fault);
  goto out;

rollback:
  nt_schedule_store_rollback (self);
out:
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot seed the demo year %d: %s (%s)",
                 fiscal_year,
                 seed.fault != NULL ? seed.fault->message : "unknown",
                 seed.fault != NULL ? seed.fault->code : "?");
  g_clear_pointer (&seed.fault, nt_schedule_fault_free);
  g_clear_pointer (&seed.busy, g_hash_table_unref);
  g_clear_pointer (&seed.user_op, g_array_unref);
  g_clear_pointer (&seed.commiss, g_array_unref);
  return ok;
}

gboolean
nt_schedule_store_seed_demo (NtScheduleStore  *self,
                             int               fiscal_year,
                             GError          **error)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), FALSE);

  for (int fy = fiscal_year - 1; fy <= fiscal_year + 1; fy++)
    {
      if (year_is_taken (self, fy))
        continue;
      g_debug ("Seeding the demo fiscal year %d", fy);
      if (!seed_year (self, fy, error))
        return FALSE;
    }
  return TRUE;
}
