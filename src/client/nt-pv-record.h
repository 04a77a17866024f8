/* nt-pv-record.h: the cached state of one PV, merged from PVWS updates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NT_TYPE_PV_RECORD (nt_pv_record_get_type ())

typedef struct _NtPvRecord NtPvRecord;

typedef enum
{
  NT_PV_SEVERITY_NONE,
  NT_PV_SEVERITY_MINOR,
  NT_PV_SEVERITY_MAJOR,
  NT_PV_SEVERITY_INVALID,
  NT_PV_SEVERITY_UNDEFINED,
} NtPvSeverity;

typedef enum
{
  NT_PV_VALUE_NONE,
  NT_PV_VALUE_DOUBLE,
  NT_PV_VALUE_STRING,
  NT_PV_VALUE_ENUM,
} NtPvValueKind;

/**
 * NtPvState:
 * @NT_PV_STATE_WAITING: subscribed; no value yet on this connection
 * @NT_PV_STATE_CONNECTED: live: the last value came on the open connection
 * @NT_PV_STATE_DISCONNECTED: not live: the connection to the server is
 *   lost, or the server reports the PV itself as disconnected (severity
 *   UNDEFINED); whatever value is cached is stale
 * @NT_PV_STATE_FAILED: the server refused the PV (see the error message)
 */
typedef enum
{
  NT_PV_STATE_WAITING,
  NT_PV_STATE_CONNECTED,
  NT_PV_STATE_DISCONNECTED,
  NT_PV_STATE_FAILED,
} NtPvState;

GType          nt_pv_record_get_type        (void) G_GNUC_CONST;

NtPvRecord    *nt_pv_record_new             (const char   *name);
NtPvRecord    *nt_pv_record_ref             (NtPvRecord   *self);
void           nt_pv_record_unref           (NtPvRecord   *self);

gboolean       nt_pv_record_merge           (NtPvRecord   *self,
                                             JsonObject   *update,
                                             GError      **error);
void           nt_pv_record_set_state       (NtPvRecord   *self,
                                             NtPvState     state,
                                             const char   *message);

const char    *nt_pv_record_get_name        (const NtPvRecord *self);
NtPvState      nt_pv_record_get_state       (const NtPvRecord *self);
const char    *nt_pv_record_get_message     (const NtPvRecord *self);
gboolean       nt_pv_record_is_live         (const NtPvRecord *self);
guint          nt_pv_record_get_n_updates   (const NtPvRecord *self);

NtPvValueKind  nt_pv_record_get_value_kind  (const NtPvRecord *self);
double         nt_pv_record_get_double      (const NtPvRecord *self);
const char    *nt_pv_record_get_string      (const NtPvRecord *self);
int            nt_pv_record_get_enum_index  (const NtPvRecord *self);
const char    *nt_pv_record_get_enum_text   (const NtPvRecord *self);
char          *nt_pv_record_format_value    (const NtPvRecord *self);

gint64         nt_pv_record_get_seconds     (const NtPvRecord *self);
int            nt_pv_record_get_nanos       (const NtPvRecord *self);
gint64         nt_pv_record_get_time_usec   (const NtPvRecord *self);
NtPvSeverity   nt_pv_record_get_severity    (const NtPvRecord *self);

gboolean       nt_pv_record_has_metadata    (const NtPvRecord *self);
const char    *nt_pv_record_get_vtype       (const NtPvRecord *self);
const char    *nt_pv_record_get_units       (const NtPvRecord *self);
const char    *nt_pv_record_get_description (const NtPvRecord *self);
int            nt_pv_record_get_precision   (const NtPvRecord *self);
void           nt_pv_record_get_limits      (const NtPvRecord *self,
                                             double           *min,
                                             double           *max);
void           nt_pv_record_get_warn_limits (const NtPvRecord *self,
                                             double           *low,
                                             double           *high);
void           nt_pv_record_get_alarm_limits (const NtPvRecord *self,
                                              double           *low,
                                              double           *high);
const char * const *nt_pv_record_get_labels (const NtPvRecord *self);
gboolean       nt_pv_record_get_readonly    (const NtPvRecord *self);

const char    *nt_pv_severity_to_string     (NtPvSeverity  severity);
gboolean       nt_pv_severity_from_string   (const char   *str,
                                             NtPvSeverity *severity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtPvRecord, nt_pv_record_unref)

G_END_DECLS
