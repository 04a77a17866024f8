/* nt-archive-client.h: history from an EPICS Archiver Appliance retrieval
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NT_TYPE_ARCHIVE_CLIENT (nt_archive_client_get_type ())
#define NT_TYPE_ARCHIVE_RESULT (nt_archive_result_get_type ())

/**
 * NtArchiveKind:
 * @NT_ARCHIVE_MEAN: the mean of each bin (`mean_N(pv)`)
 * @NT_ARCHIVE_MIN: the minimum of each bin (`min_N(pv)`)
 * @NT_ARCHIVE_MAX: the maximum of each bin (`max_N(pv)`)
 * @NT_ARCHIVE_MINMAX: both minimum and maximum, for an envelope
 *
 * What a binned query asks for; raw queries (no bins) ignore it.
 */
typedef enum
{
  NT_ARCHIVE_MEAN,
  NT_ARCHIVE_MIN,
  NT_ARCHIVE_MAX,
  NT_ARCHIVE_MINMAX,
} NtArchiveKind;

typedef struct _NtArchiveResult NtArchiveResult;

G_DECLARE_FINAL_TYPE (NtArchiveClient, nt_archive_client, NT, ARCHIVE_CLIENT, GObject)

NtArchiveClient *nt_archive_client_new          (const char           *retrieval_uri);
const char      *nt_archive_client_get_uri      (NtArchiveClient      *self);
void             nt_archive_client_set_max_response_size (NtArchiveClient *self,
                                                          gsize            max_bytes);
void             nt_archive_client_fetch_async  (NtArchiveClient      *self,
                                                 const char           *pv,
                                                 gint64                from_usec,
                                                 gint64                to_usec,
                                                 guint                 n_bins,
                                                 NtArchiveKind         kind,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
NtArchiveResult *nt_archive_client_fetch_finish (NtArchiveClient      *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

guint            nt_archive_bin_seconds         (gint64                from_usec,
                                                 gint64                to_usec,
                                                 guint                 n_bins);

GType            nt_archive_result_get_type     (void) G_GNUC_CONST;
NtArchiveResult *nt_archive_result_ref          (NtArchiveResult      *self);
void             nt_archive_result_unref        (NtArchiveResult      *self);
const char      *nt_archive_result_get_pv       (NtArchiveResult      *self);
const char      *nt_archive_result_get_units    (NtArchiveResult      *self);
int              nt_archive_result_get_precision (NtArchiveResult     *self);
gboolean         nt_archive_result_is_binned    (NtArchiveResult      *self);
NtArchiveKind    nt_archive_result_get_kind     (NtArchiveResult      *self);
guint            nt_archive_result_get_bin_seconds (NtArchiveResult   *self);
guint            nt_archive_result_get_n_samples (NtArchiveResult     *self);
const gint64    *nt_archive_result_get_times    (NtArchiveResult      *self);
const double    *nt_archive_result_get_values   (NtArchiveResult      *self);
const double    *nt_archive_result_get_max_values (NtArchiveResult    *self);
const guint8    *nt_archive_result_get_severities (NtArchiveResult    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtArchiveResult, nt_archive_result_unref)

G_END_DECLS
