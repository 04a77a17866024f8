/* nt-i18n.h: translations in a language chosen at run time
 *
 * The console follows the user's language through gettext. One part of it
 * does not: the lobby kiosk shows Japanese and English in turn, and the
 * widgets it shares with the main window (the beam panel, the beamline
 * cards) must follow the kiosk's language button, not the session's.
 *
 * Code that may show text in such a chosen language includes this header
 * instead of <glib/gi18n.h>. Its _(), C_() and nt_ngettext() translate
 * through gettext as usual, unless a language scope is active on the
 * calling thread (nt_language_scope_enter()); then they translate into that
 * language from its compiled catalogue (the same .mo file gettext uses),
 * "en" giving the English source text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <glib/gi18n-lib.h>
#include <string.h>

G_BEGIN_DECLS

#define NT_I18N_ERROR (nt_i18n_error_quark ())

typedef enum
{
  NT_I18N_ERROR_NOT_FOUND,
  NT_I18N_ERROR_INVALID,
} NtI18nError;

GQuark nt_i18n_error_quark (void);

typedef struct _NtCatalog NtCatalog;

NtCatalog  *nt_catalog_new_from_bytes   (GBytes      *mo_data,
                                         GError     **error);
NtCatalog  *nt_catalog_ref              (NtCatalog   *catalog);
void        nt_catalog_unref            (NtCatalog   *catalog);
guint       nt_catalog_get_n_messages   (NtCatalog   *catalog);
const char *nt_catalog_lookup           (NtCatalog   *catalog,
                                         const char  *msgid);
const char *nt_catalog_lookup_plural    (NtCatalog   *catalog,
                                         const char  *msgid,
                                         gulong       n);
guint       nt_catalog_get_n_plurals    (NtCatalog   *catalog);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtCatalog, nt_catalog_unref)

gboolean    nt_plural_eval              (const char  *expression,
                                         gulong       n,
                                         gulong      *index);

NtCatalog  *nt_i18n_get_catalog         (const char  *language,
                                         GError     **error);

/* A language scope: between enter and leave (or the end of the block, with
 * g_auto), _() on this thread translates into @language. NULL means the
 * session's language, as without a scope. Scopes nest. */
typedef struct
{
  gboolean    entered;
  const char *previous;
} NtLanguageScope;

#define NT_LANGUAGE_SCOPE_INIT { FALSE, NULL }

void        nt_language_scope_enter     (NtLanguageScope *scope,
                                         const char      *language);
void        nt_language_scope_leave     (NtLanguageScope *scope);
const char *nt_i18n_get_language        (void);
gboolean    nt_i18n_prefers_japanese    (void);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NtLanguageScope, nt_language_scope_leave)

/* For widgets with a "language" property (see HACKING.md). */
GParamSpec *nt_language_param_spec_new  (void);
gboolean    nt_language_replace         (char           **language,
                                         const char      *new_language);

const char *nt_gettext                  (const char  *msgid) G_GNUC_FORMAT (1);
const char *nt_pgettext                 (const char  *msgctxtid,
                                         gsize        msgidoffset) G_GNUC_FORMAT (1);
const char *nt_ngettext                 (const char  *msgid,
                                         const char  *msgid_plural,
                                         gulong       n) G_GNUC_FORMAT (1) G_GNUC_FORMAT (2);

#undef _
#undef C_
#define _(String) nt_gettext (String)
#define C_(Context, String) nt_pgettext (Context "\004" String, strlen (Context) + 1)

G_END_DECLS
