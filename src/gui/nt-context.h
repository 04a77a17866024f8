/* nt-context.h: what every view of the console shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nt-archive-client.h"
#include "nt-catalogue.h"
#include "nt-facility-profile.h"
#include "nt-pv-client.h"
#include "nt-schedule-client.h"

G_BEGIN_DECLS

typedef enum
{
  NT_CONTEXT_IDLE,      /* nothing started yet */
  NT_CONTEXT_STARTING,  /* starting the simulated facility, or reading the profile */
  NT_CONTEXT_READY,     /* profile read, clients made: views may subscribe */
  NT_CONTEXT_FAILED,    /* see nt_context_get_error() */
} NtContextState;

#define NT_TYPE_CONTEXT (nt_context_get_type ())

G_DECLARE_FINAL_TYPE (NtContext, nt_context, NT, CONTEXT, GObject)

NtContext         *nt_context_new                 (GSettings  *settings,
                                                   const char *facility_url);
GSettings         *nt_context_get_settings        (NtContext  *self);
NtCatalogue       *nt_context_get_catalogue       (NtContext  *self);
const GError      *nt_context_get_catalogue_error (NtContext  *self);
const char        *nt_context_get_facility_url    (NtContext  *self);
gboolean           nt_context_is_simulated        (NtContext  *self);

void               nt_context_start               (NtContext  *self);
void               nt_context_shutdown            (NtContext  *self);
NtContextState     nt_context_get_state           (NtContext  *self);
const GError      *nt_context_get_error           (NtContext  *self);
const char        *nt_context_get_base_uri        (NtContext  *self);
const char        *nt_context_get_token           (NtContext  *self);
void               nt_context_set_token           (NtContext  *self,
                                                   const char *token);
gboolean           nt_context_get_token_refused   (NtContext  *self);
void               nt_context_set_token_refused   (NtContext  *self,
                                                   gboolean    refused);
NtFacilityProfile *nt_context_get_profile         (NtContext  *self);
NtPvClient        *nt_context_get_pv_client       (NtContext  *self);
NtArchiveClient   *nt_context_get_archive_client  (NtContext  *self);
NtScheduleClient  *nt_context_get_schedule_client (NtContext  *self);
void               nt_context_ensure_changes      (NtContext  *self,
                                                   gint64      since);
const char        *nt_context_lookup_pv           (NtContext  *self,
                                                   const char *key);
void               nt_context_follow_state        (NtContext  *self,
                                                   GCallback   state_cb,
                                                   gpointer    data);

GParamSpec        *nt_context_param_spec_new      (void);

G_END_DECLS
