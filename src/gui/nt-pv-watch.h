/* nt-pv-watch.h: the live signals one view follows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-context.h"

G_BEGIN_DECLS

typedef struct _NtPvWatch NtPvWatch;

NtPvWatch  *nt_pv_watch_new        (NtContext  *context,
                                    GCallback   context_changed,
                                    GCallback   client_changed,
                                    GCallback   values_changed,
                                    gpointer    owner);
guint       nt_pv_watch_add        (NtPvWatch  *watch,
                                    const char *key);
void        nt_pv_watch_start      (NtPvWatch  *watch);
NtPvClient *nt_pv_watch_get_client (NtPvWatch  *watch);
NtPvRecord *nt_pv_watch_lookup     (NtPvWatch  *watch,
                                    guint       index);
void        nt_pv_watch_free       (NtPvWatch  *watch);

gboolean    nt_pv_record_is_shown  (NtPvRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtPvWatch, nt_pv_watch_free)

G_END_DECLS
