/* nt-schedule-client.h: the scheduling service's client (REST + change feed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "nt-allocation.h"
#include "nt-booking-store.h"
#include "nt-client-error.h"
#include "nt-member.h"
#include "nt-proposal.h"
#include "nt-pv-client.h"
#include "nt-run-period.h"

G_BEGIN_DECLS

/* ---- NtScheduleFailure: what the service said when it refused ---- */

#define NT_TYPE_SCHEDULE_FAILURE (nt_schedule_failure_get_type ())

typedef struct _NtScheduleFailure NtScheduleFailure;

GType              nt_schedule_failure_get_type    (void) G_GNUC_CONST;
NtScheduleFailure *nt_schedule_failure_ref         (NtScheduleFailure *failure);
void               nt_schedule_failure_unref       (NtScheduleFailure *failure);
guint              nt_schedule_failure_get_status  (NtScheduleFailure *failure);
const char        *nt_schedule_failure_get_code    (NtScheduleFailure *failure);
const char        *nt_schedule_failure_get_message (NtScheduleFailure *failure);
const char        *nt_schedule_failure_get_field   (NtScheduleFailure *failure);
JsonNode          *nt_schedule_failure_get_details (NtScheduleFailure *failure);
gpointer           nt_schedule_failure_get_current (NtScheduleFailure *failure);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtScheduleFailure, nt_schedule_failure_unref)

/* ---- NtScheduleClient ---- */

#define NT_TYPE_SCHEDULE_CLIENT (nt_schedule_client_get_type ())

G_DECLARE_FINAL_TYPE (NtScheduleClient, nt_schedule_client, NT, SCHEDULE_CLIENT, GObject)

/* Any slot, for the allocation filter. */
#define NT_SLOT_ANY (-1)

NtScheduleClient  *nt_schedule_client_new                      (const char         *base_uri,
                                                                const char         *token);
const char        *nt_schedule_client_get_base_uri             (NtScheduleClient   *self);
void               nt_schedule_client_set_token                (NtScheduleClient   *self,
                                                                const char         *token);

/* Reads.  Lists return a GPtrArray of model objects and the store's
 * revision at the time of reading; big lists are parsed in a worker thread.
 * A time bound of 0 leaves that side open.
 */
void               nt_schedule_client_list_beamlines_async     (NtScheduleClient   *self,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
JsonNode          *nt_schedule_client_list_beamlines_finish    (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                GError            **error);
void               nt_schedule_client_list_run_plan_async      (NtScheduleClient   *self,
                                                                gint64              from,
                                                                gint64              to,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
GPtrArray         *nt_schedule_client_list_run_plan_finish     (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                gint64             *revision,
                                                                GError            **error);
void               nt_schedule_client_list_allocations_async   (NtScheduleClient   *self,
                                                                gint64              from,
                                                                gint64              to,
                                                                const char         *station,
                                                                int                 slot,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
GPtrArray         *nt_schedule_client_list_allocations_finish  (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                gint64             *revision,
                                                                GError            **error);
/* The same list into compact records, no object per allocation. */
void               nt_schedule_client_list_allocation_store_async  (NtScheduleClient   *self,
                                                                    gint64              from,
                                                                    gint64              to,
                                                                    const char         *station,
                                                                    int                 slot,
                                                                    GCancellable       *cancellable,
                                                                    GAsyncReadyCallback callback,
                                                                    gpointer            user_data);
NtBookingStore    *nt_schedule_client_list_allocation_store_finish (NtScheduleClient   *self,
                                                                    GAsyncResult       *result,
                                                                    gint64             *revision,
                                                                    GError            **error);
void               nt_schedule_client_list_members_async       (NtScheduleClient   *self,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
GPtrArray         *nt_schedule_client_list_members_finish      (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                gint64             *revision,
                                                                GError            **error);
void               nt_schedule_client_list_proposals_async     (NtScheduleClient   *self,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
GPtrArray         *nt_schedule_client_list_proposals_finish    (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                gint64             *revision,
                                                                GError            **error);
void               nt_schedule_client_get_summary_async        (NtScheduleClient   *self,
                                                                int                 fiscal_year,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
JsonNode          *nt_schedule_client_get_summary_finish       (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                GError            **error);
/* Who the token belongs to: {"name", "role"}; @role the role's wire name. */
void               nt_schedule_client_whoami_async             (NtScheduleClient   *self,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
JsonNode          *nt_schedule_client_whoami_finish            (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                char              **role,
                                                                GError            **error);
void               nt_schedule_client_list_audit_async         (NtScheduleClient   *self,
                                                                gint64              from,
                                                                gint64              to,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
JsonNode          *nt_schedule_client_list_audit_finish        (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                GError            **error);

/* One stored object by id: @type is NT_TYPE_RUN_PERIOD, NT_TYPE_ALLOCATION,
 * NT_TYPE_MEMBER or NT_TYPE_PROPOSAL; @id its id ("345", "2026A0012"). */
void               nt_schedule_client_get_object_async         (NtScheduleClient   *self,
                                                                GType               type,
                                                                const char         *id,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
gpointer           nt_schedule_client_get_object_finish        (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                GError            **error);
void               nt_schedule_client_list_terms_async         (NtScheduleClient   *self,
                                                                int                 fiscal_year,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
JsonNode          *nt_schedule_client_list_terms_finish        (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                GError            **error);
/* The iCalendar text of one station, one beamline, or (both NULL) the
 * whole run plan. */
void               nt_schedule_client_get_calendar_async       (NtScheduleClient   *self,
                                                                const char         *station,
                                                                const char         *beamline,
                                                                gint64              from,
                                                                gint64              to,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
GBytes            *nt_schedule_client_get_calendar_finish      (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                GError            **error);

/* Writes.  @object is one of NtRunPeriod, NtAllocation, NtMember or
 * NtProposal.  Create POSTs it; update PATCHes it and delete DELETEs it,
 * both with If-Match set to the object's etag.  Create and update return
 * the stored version (new id, etag and revision): replace your copy with
 * it.  On a refusal @failure (optional) tells what the service said: the
 * rule's code on 409, the field on 400/422, and on 412 the current version
 * (nt_schedule_failure_get_current()).  @override_reason (nullable; the
 * admin role only) lets an allocation exceed a member's quota; the service
 * keeps it in the audit log.
 */
void               nt_schedule_client_create_async             (NtScheduleClient   *self,
                                                                gpointer            object,
                                                                const char         *override_reason,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
gpointer           nt_schedule_client_create_finish            (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                NtScheduleFailure **failure,
                                                                GError            **error);
void               nt_schedule_client_update_async             (NtScheduleClient   *self,
                                                                gpointer            object,
                                                                const char         *override_reason,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
gpointer           nt_schedule_client_update_finish            (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                NtScheduleFailure **failure,
                                                                GError            **error);
void               nt_schedule_client_delete_async             (NtScheduleClient   *self,
                                                                gpointer            object,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
gboolean           nt_schedule_client_delete_finish            (NtScheduleClient   *self,
                                                                GAsyncResult       *result,
                                                                NtScheduleFailure **failure,
                                                                GError            **error);

/* Change feed: WebSocket /api/v1/changes?since=N.  Emits ::change once per
 * committed change, in revision order; on a dropped connection it
 * reconnects with back-off and jitter and resumes after the last revision
 * it delivered.
 */
void               nt_schedule_client_start_changes            (NtScheduleClient   *self,
                                                                gint64              since);
void               nt_schedule_client_stop_changes             (NtScheduleClient   *self);
void               nt_schedule_client_reconnect_now            (NtScheduleClient   *self);
gint64             nt_schedule_client_get_last_revision        (NtScheduleClient   *self);
NtConnectionState  nt_schedule_client_get_feed_state           (NtScheduleClient   *self);
const char        *nt_schedule_client_get_feed_error           (NtScheduleClient   *self);
void               nt_schedule_client_set_reconnect_delays     (NtScheduleClient   *self,
                                                                guint               min_ms,
                                                                guint               max_ms);

G_END_DECLS
