/* nt-proposal.h: a public beamtime proposal, as the scheduling API sends it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NT_TYPE_PROPOSAL (nt_proposal_get_type ())

G_DECLARE_FINAL_TYPE (NtProposal, nt_proposal, NT, PROPOSAL, GObject)

NtProposal  *nt_proposal_new                  (const char  *id,
                                               const char  *term);
NtProposal  *nt_proposal_new_from_json        (JsonNode    *node,
                                               GError     **error);
JsonNode    *nt_proposal_to_json              (NtProposal  *self);
NtProposal  *nt_proposal_copy                 (NtProposal  *self);

const char  *nt_proposal_get_id               (NtProposal  *self);
const char  *nt_proposal_get_term             (NtProposal  *self);
void         nt_proposal_set_term             (NtProposal  *self,
                                               const char  *term);
const char  *nt_proposal_get_title            (NtProposal  *self);
void         nt_proposal_set_title            (NtProposal  *self,
                                               const char  *title);
const char  *nt_proposal_get_pi               (NtProposal  *self);
void         nt_proposal_set_pi               (NtProposal  *self,
                                               const char  *pi);
const char  *nt_proposal_get_organisation     (NtProposal  *self);
void         nt_proposal_set_organisation     (NtProposal  *self,
                                               const char  *organisation);
gboolean     nt_proposal_get_proprietary      (NtProposal  *self);
void         nt_proposal_set_proprietary      (NtProposal  *self,
                                               gboolean     proprietary);
guint        nt_proposal_get_shifts_requested (NtProposal  *self);
void         nt_proposal_set_shifts_requested (NtProposal  *self,
                                               guint        shifts);
guint        nt_proposal_get_shifts_approved  (NtProposal  *self);
void         nt_proposal_set_shifts_approved  (NtProposal  *self,
                                               guint        shifts);
const char  *nt_proposal_get_etag             (NtProposal  *self);
gint64       nt_proposal_get_revision         (NtProposal  *self);

G_END_DECLS
