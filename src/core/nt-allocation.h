/* nt-allocation.h: one booking of a station, as the scheduling API sends it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  NT_SLOT_PUBLIC,         /* a public proposal (共用) */
  NT_SLOT_COALITION,      /* a coalition member, charged by the hour */
  NT_SLOT_STAFF,          /* facility staff */
  NT_SLOT_COMMISSIONING,  /* beamline commissioning */
} NtSlot;

#define NT_N_SLOTS (NT_SLOT_COMMISSIONING + 1)

typedef enum
{
  NT_ALLOCATION_DRAFT,
  NT_ALLOCATION_CONFIRMED,
  NT_ALLOCATION_CANCELLED,
} NtAllocationStatus;

#define NT_N_ALLOCATION_STATUSES (NT_ALLOCATION_CANCELLED + 1)

#define NT_TYPE_SLOT              (nt_slot_get_type ())
#define NT_TYPE_ALLOCATION_STATUS (nt_allocation_status_get_type ())
#define NT_TYPE_ALLOCATION        (nt_allocation_get_type ())

GType       nt_slot_get_type                 (void) G_GNUC_CONST;
GType       nt_allocation_status_get_type    (void) G_GNUC_CONST;

/* Wire names: "public", "coalition", "staff", "commissioning". */
const char *nt_slot_to_string                (NtSlot               slot);
gboolean    nt_slot_from_string              (const char          *str,
                                              NtSlot              *slot);
/* Wire names: "draft", "confirmed", "cancelled". */
const char *nt_allocation_status_to_string   (NtAllocationStatus   status);
gboolean    nt_allocation_status_from_string (const char          *str,
                                              NtAllocationStatus  *status);

G_DECLARE_FINAL_TYPE (NtAllocation, nt_allocation, NT, ALLOCATION, GObject)

NtAllocation       *nt_allocation_new           (const char          *station,
                                                 gint64               start,
                                                 gint64               end,
                                                 NtSlot               slot);
NtAllocation       *nt_allocation_new_from_json (JsonNode            *node,
                                                 GError             **error);
JsonNode           *nt_allocation_to_json       (NtAllocation        *self);
NtAllocation       *nt_allocation_copy          (NtAllocation        *self);

gint64              nt_allocation_get_id        (NtAllocation        *self);
const char         *nt_allocation_get_station   (NtAllocation        *self);
void                nt_allocation_set_station   (NtAllocation        *self,
                                                 const char          *station);
gint64              nt_allocation_get_start     (NtAllocation        *self);
void                nt_allocation_set_start     (NtAllocation        *self,
                                                 gint64               start);
gint64              nt_allocation_get_end       (NtAllocation        *self);
void                nt_allocation_set_end       (NtAllocation        *self,
                                                 gint64               end);
NtSlot              nt_allocation_get_slot      (NtAllocation        *self);
void                nt_allocation_set_slot      (NtAllocation        *self,
                                                 NtSlot               slot);
const char         *nt_allocation_get_proposal  (NtAllocation        *self);
void                nt_allocation_set_proposal  (NtAllocation        *self,
                                                 const char          *proposal);
gint64              nt_allocation_get_member    (NtAllocation        *self);
void                nt_allocation_set_member    (NtAllocation        *self,
                                                 gint64               member);
NtAllocationStatus  nt_allocation_get_status    (NtAllocation        *self);
void                nt_allocation_set_status    (NtAllocation        *self,
                                                 NtAllocationStatus   status);
const char         *nt_allocation_get_note      (NtAllocation        *self);
void                nt_allocation_set_note      (NtAllocation        *self,
                                                 const char          *note);
const char         *nt_allocation_get_etag      (NtAllocation        *self);
gint64              nt_allocation_get_revision  (NtAllocation        *self);

G_END_DECLS
