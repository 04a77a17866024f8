/* nt-facility-profile.h: which signal names and endpoints a facility uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define NT_TYPE_FACILITY_PROFILE (nt_facility_profile_get_type ())

G_DECLARE_FINAL_TYPE (NtFacilityProfile, nt_facility_profile, NT, FACILITY_PROFILE, GObject)

/* Path of the profile under a services base URI. */
#define NT_FACILITY_PROFILE_PATH "/api/v1/facility-profile"

NtFacilityProfile *nt_facility_profile_new_from_bytes   (GBytes               *bytes,
                                                         const char           *base_uri,
                                                         GError              **error);
NtFacilityProfile *nt_facility_profile_new_from_file    (GFile                *file,
                                                         const char           *base_uri,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
void               nt_facility_profile_load_file_async  (GFile                *file,
                                                         const char           *base_uri,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
NtFacilityProfile *nt_facility_profile_load_file_finish (GAsyncResult         *result,
                                                         GError              **error);
void               nt_facility_profile_load_async       (SoupSession          *session,
                                                         const char           *base_uri,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
NtFacilityProfile *nt_facility_profile_load_finish      (GAsyncResult         *result,
                                                         GError              **error);

const char        *nt_facility_profile_get_facility_name (NtFacilityProfile   *self);
gboolean           nt_facility_profile_get_simulated    (NtFacilityProfile    *self);
const char        *nt_facility_profile_get_base_uri     (NtFacilityProfile    *self);
const char        *nt_facility_profile_lookup           (NtFacilityProfile    *self,
                                                         const char           *key);
char             **nt_facility_profile_dup_keys         (NtFacilityProfile    *self);
const char        *nt_facility_profile_get_live_endpoint    (NtFacilityProfile *self);
const char        *nt_facility_profile_get_history_endpoint (NtFacilityProfile *self);
char              *nt_facility_profile_dup_live_uri     (NtFacilityProfile    *self);
char              *nt_facility_profile_dup_history_uri  (NtFacilityProfile    *self);
/* The services' clock as the profile gave it ("clock": {"now", "scale"}):
 * @now_us is their time now (what they said, moved on at @scale since the
 * profile was read).  FALSE if the profile has no clock. */
gboolean           nt_facility_profile_get_clock        (NtFacilityProfile    *self,
                                                         gint64               *now_us,
                                                         double               *scale);

G_END_DECLS
