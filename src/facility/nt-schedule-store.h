/* nt-schedule-store.h: the scheduling plan of record in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store owns the schema ("schedule" migrations in an NtDb), applies
 * every write in one BEGIN IMMEDIATE transaction with the rules of
 * nt-alloc-rules.h, bumps the global revision (table meta), writes one
 * audit row per change (table changes: revision, when, who, resource,
 * action, id, before JSON, after JSON, reason) and, after the commit,
 * emits "changed" (one per change, in revision order) and, for run-plan
 * writes, "plan-changed".
 *
 * Objects go in and out as JSON in the wire format of HACKING.md.
 * Failures are NtScheduleFault: an HTTP status, an error code, an English
 * message, and optional details, ready for the API's error body.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "nt-auth.h"
#include "nt-catalogue.h"
#include "nt-db.h"
#include "nt-time.h"

G_BEGIN_DECLS

typedef enum
{
  NT_RESOURCE_PERIOD,
  NT_RESOURCE_ALLOCATION,
  NT_RESOURCE_MEMBER,
  NT_RESOURCE_PROPOSAL,
  NT_RESOURCE_SETTINGS,   /* the one settings object: GET/PATCH /settings */
} NtResource;

#define NT_N_RESOURCES (NT_RESOURCE_SETTINGS + 1)

const char *nt_resource_to_string (NtResource resource);

typedef struct
{
  guint     status;   /* HTTP status */
  char     *code;     /* "overlap", "invalid", "precondition_failed", … */
  char     *message;  /* English */
  JsonNode *details;  /* nullable */
} NtScheduleFault;

NtScheduleFault *nt_schedule_fault_new  (guint        status,
                                         const char  *code,
                                         JsonNode    *details,
                                         const char  *format,
                                         ...) G_GNUC_PRINTF (4, 5);
void             nt_schedule_fault_free (NtScheduleFault *fault);
/* {"error":{"code":…,"message":…,"details":…}} */
JsonNode        *nt_schedule_fault_to_json (const NtScheduleFault *fault);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtScheduleFault, nt_schedule_fault_free)

/* Who is writing. */
typedef struct
{
  const char *name;
  NtRole      role;
} NtScheduleActor;

/* Filters of the list routes; unset members are 0 / NULL. */
typedef struct
{
  gint64      from;      /* objects ending after it, when has_from */
  gint64      to;        /* objects starting before it, when has_to */
  gboolean    has_from;
  gboolean    has_to;
  const char *station;   /* allocations */
  const char *beamline;  /* allocations */
  const char *slot;      /* allocations */
} NtScheduleQuery;

#define NT_TYPE_SCHEDULE_STORE (nt_schedule_store_get_type ())

G_DECLARE_FINAL_TYPE (NtScheduleStore, nt_schedule_store, NT, SCHEDULE_STORE, GObject)

/* Runs the migrations of component "schedule" on @db. */
NtScheduleStore *nt_schedule_store_new            (NtDb             *db,
                                                   NtCatalogue      *catalogue,
                                                   GError          **error);
NtDb            *nt_schedule_store_get_db         (NtScheduleStore  *self);
NtCatalogue     *nt_schedule_store_get_catalogue  (NtScheduleStore  *self);
gint64           nt_schedule_store_get_revision   (NtScheduleStore  *self);
gboolean         nt_schedule_store_is_empty       (NtScheduleStore  *self);

/* Settings (table settings): "shift_grid" ("09:00/8h"), "hour_grid"
 * ("00:00/1h"), "coalition_rate_jpy" (35000), "public_share.<BL>" (0.40). */
const NtTimeGrid *nt_schedule_store_get_shift_grid (NtScheduleStore *self);
const NtTimeGrid *nt_schedule_store_get_hour_grid  (NtScheduleStore *self);
gboolean         nt_schedule_store_set_setting    (NtScheduleStore  *self,
                                                   const char       *key,
                                                   const char       *value,
                                                   GError          **error);
double           nt_schedule_store_get_public_share_target (NtScheduleStore *self,
                                                            const char      *beamline);
gint64           nt_schedule_store_get_hourly_rate (NtScheduleStore *self);

/* The settings as the API shows them:
 *   {"shift_grid":"09:00/8h","hour_grid":"00:00/1h","coalition_rate_jpy":35000,
 *    "public_share":{"BL07U":0.4,…},"etag":…,"revision":N}
 * Updating them (admin) needs If-Match; a grid change that would put
 * active allocations off the grid is refused (409 off_grid, listing them). */
JsonNode        *nt_schedule_store_get_settings    (NtScheduleStore        *self);
JsonNode        *nt_schedule_store_update_settings (NtScheduleStore        *self,
                                                    const char             *if_match,
                                                    JsonNode               *body,
                                                    const NtScheduleActor  *actor,
                                                    NtScheduleFault       **fault);

/* The run plan as a sorted GArray of NtPeriodSpan (gaps allowed). */
GArray          *nt_schedule_store_dup_plan       (NtScheduleStore  *self);

/* Reads: {"items":[…],"revision":N} */
JsonNode        *nt_schedule_store_list           (NtScheduleStore        *self,
                                                   NtResource              resource,
                                                   const NtScheduleQuery  *query,
                                                   NtScheduleFault       **fault);
/* The same as JSON text (allocations served from a cache of serialized
 * committed rows). */
char            *nt_schedule_store_list_text      (NtScheduleStore        *self,
                                                   NtResource              resource,
                                                   const NtScheduleQuery  *query,
                                                   NtScheduleFault       **fault);
JsonNode        *nt_schedule_store_get            (NtScheduleStore  *self,
                                                   NtResource        resource,
                                                   const char       *id,
                                                   NtScheduleFault **fault);
/* {"items":[{revision, at, who, resource, action, id, before, after, reason}]} */
JsonNode        *nt_schedule_store_audit          (NtScheduleStore        *self,
                                                   const NtScheduleQuery  *query,
                                                   NtScheduleFault       **fault);
/* The change-feed messages after @since, oldest first, at most @limit
 * (0 = all); each {"revision","resource","action","id","object"}. */
GPtrArray       *nt_schedule_store_changes_since  (NtScheduleStore  *self,
                                                   gint64            since,
                                                   guint             limit);
JsonNode        *nt_schedule_store_summary        (NtScheduleStore  *self,
                                                   int               fiscal_year,
                                                   NtScheduleFault **fault);

/* Writes.  @if_match is the ETag the writer last saw (required for update
 * and delete: NULL gives 428).  Allocation and member bodies may carry
 * "override_reason" (admin only) to exceed a member's quota. */
JsonNode        *nt_schedule_store_create         (NtScheduleStore        *self,
                                                   NtResource              resource,
                                                   JsonNode               *body,
                                                   const NtScheduleActor  *actor,
                                                   NtScheduleFault       **fault);
JsonNode        *nt_schedule_store_update         (NtScheduleStore        *self,
                                                   NtResource              resource,
                                                   const char             *id,
                                                   const char             *if_match,
                                                   JsonNode               *body,
                                                   const NtScheduleActor  *actor,
                                                   NtScheduleFault       **fault);
gboolean         nt_schedule_store_delete         (NtScheduleStore        *self,
                                                   NtResource              resource,
                                                   const char             *id,
                                                   const char             *if_match,
                                                   const NtScheduleActor  *actor,
                                                   NtScheduleFault       **fault);

/* Seeds the demo fiscal years @fiscal_year - 1, @fiscal_year and
 * @fiscal_year + 1 (run plan, members, proposals, allocations), every
 * object through the same rules as the API, one transaction per year.
 * A year seeded before, or holding any period, is left as it is. */
gboolean         nt_schedule_store_seed_demo      (NtScheduleStore  *self,
                                                   int               fiscal_year,
                                                   GError          **error);

/* Calendar events (plain data for nt-ics): allocations of @station or
 * @beamline, or the whole run plan when both are NULL. */
typedef struct
{
  char   *uid;
  char   *summary;
  char   *description;
  char   *location;
  gint64  start;
  gint64  end;
  guint   sequence;
  gint64  dtstamp;
} NtScheduleEvent;

/* @station "*" means the allocations of every station; NULL station and
 * beamline, the run plan.  @from and @to (Unix seconds, 0 = open) keep
 * what overlaps [from, to). */
GArray          *nt_schedule_store_calendar_events (NtScheduleStore  *self,
                                                    const char       *station,
                                                    const char       *beamline,
                                                    gint64            from,
                                                    gint64            to,
                                                    NtScheduleFault **fault);

G_END_DECLS
