/* nt-member.h: a coalition member, as the scheduling API sends it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* 1 unit = 200 h of coalition beam time a fiscal year. */
#define NT_MEMBER_HOURS_PER_UNIT 200

#define NT_TYPE_MEMBER (nt_member_get_type ())

G_DECLARE_FINAL_TYPE (NtMember, nt_member, NT, MEMBER, GObject)

NtMember     *nt_member_new                    (const char   *name,
                                                guint         units,
                                                const GDate  *contract_start,
                                                const GDate  *contract_end);
NtMember     *nt_member_new_from_json          (JsonNode     *node,
                                                GError      **error);
JsonNode     *nt_member_to_json                (NtMember     *self);
NtMember     *nt_member_copy                   (NtMember     *self);

gint64        nt_member_get_id                 (NtMember     *self);
const char   *nt_member_get_name               (NtMember     *self);
void          nt_member_set_name               (NtMember     *self,
                                                const char   *name);
guint         nt_member_get_units              (NtMember     *self);
void          nt_member_set_units              (NtMember     *self,
                                                guint         units);
guint         nt_member_get_hours_per_year     (NtMember     *self);
const GDate  *nt_member_get_contract_start     (NtMember     *self);
void          nt_member_set_contract_start     (NtMember     *self,
                                                const GDate  *date);
const GDate  *nt_member_get_contract_end       (NtMember     *self);
void          nt_member_set_contract_end       (NtMember     *self,
                                                const GDate  *date);
const char   *nt_member_get_etag               (NtMember     *self);
gint64        nt_member_get_revision           (NtMember     *self);

G_END_DECLS
