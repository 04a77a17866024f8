/* nt-i18n.c: translations in a language chosen at run time
 *
 * A compiled message catalogue (.mo, as msgfmt writes it) is a header of
 * seven 32-bit words in the writer's byte order: the magic 0x950412de, the
 * format revision, the number of messages N, and the offsets of two tables
 * of N (length, offset) pairs, the original strings and their
 * translations, sorted by original; then a hash table we do not need. An
 * original with a plural is "singular\0plural"; its translation holds one
 * NUL-separated form per plural form. The message with the empty original
 * is the catalogue's header, whose Plural-Forms line says how many forms
 * there are and which one a count takes (a C expression in n).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-i18n"

#include "config.h"

#include "nt-i18n.h"

#define MO_MAGIC 0x950412deU

struct _NtCatalog
{
  GBytes          *bytes;
  const guint8    *data;
  gsize            size;
  gboolean         swapped;
  guint32          n_messages;
  guint32          translations;  /* offset of the translation table */
  GHashTable      *index;         /* original (up to its first NUL) → message number + 1 */
  guint            n_plurals;
  char            *plural;        /* the Plural-Forms expression */
};

G_DEFINE_QUARK (nt-i18n-error-quark, nt_i18n_error)

static guint32
read_word (const NtCatalog *catalog,
           gsize            offset)
{
  guint32 word;

  memcpy (&word, catalog->data + offset, sizeof word);
  return catalog->swapped ? GUINT32_SWAP_LE_BE (word) : word;
}

/* Checks the (length, offset) pair at @entry and returns the string it
 * names, which must end with a NUL inside the file. */
static const char *
read_string (const NtCatalog *catalog,
             gsize            entry,
             guint32         *length_out)
{
  guint32 length = read_word (catalog, entry);
  guint32 offset = read_word (catalog, entry + 4);

  if (offset > catalog->size || length >= catalog->size - offset)
    return NULL;
  if (catalog->data[offset + length] != '\0')
    return NULL;

  if (length_out != NULL)
    *length_out = length;
  return (const char *) catalog->data + offset;
}

/* ---- Plural-Forms expressions ----------------------------------------- */

typedef struct
{
  const char *p;
  gulong      n;
  gboolean    failed;
} PluralParser;

static gulong parse_conditional (PluralParser *pp);

static void
skip_spaces (PluralParser *pp)
{
  while (g_ascii_isspace (*pp->p))
    pp->p++;
}

static gboolean
accept (PluralParser *pp,
        const char   *token)
{
  gsize len = strlen (token);

  skip_spaces (pp);
  if (strncmp (pp->p, token, len) != 0)
    return FALSE;
  /* "<" must not take the first half of "<=", nor "!" of "!=". */
  if (len == 1 && (token[0] == '<' || token[0] == '>' || token[0] == '!' || token[0] == '=') && pp->p[1] == '=')
    return FALSE;
  pp->p += len;
  return TRUE;
}

static gulong
parse_primary (PluralParser *pp)
{
  skip_spaces (pp);
  if (*pp->p == 'n')
    {
      pp->p++;
      return pp->n;
    }
  if (g_ascii_isdigit (*pp->p))
    {
      char *end = NULL;
      guint64 value = g_ascii_strtoull (pp->p, &end, 10);

      pp->p = end;
      return (gulong) value;
    }
  if (accept (pp, "("))
    {
      gulong value = parse_conditional (pp);

      if (!accept (pp, ")"))
        pp->failed = TRUE;
      return value;
    }

  pp->failed = TRUE;
  return 0;
}

static gulong
parse_unary (PluralParser *pp)
{
  if (accept (pp, "!"))
    return !parse_unary (pp);
  return parse_primary (pp);
}

static gulong
parse_multiplicative (PluralParser *pp)
{
  gulong value = parse_unary (pp);

  while (!pp->failed)
    {
      if (accept (pp, "*"))
        value *= parse_unary (pp);
      else if (accept (pp, "/") || accept (pp, "%"))
        {
          gboolean divide = pp->p[-1] == '/';
          gulong right = parse_unary (pp);

          if (right == 0)
            {
              pp->failed = TRUE;
              return 0;
            }
          value = divide ? value / right : value % right;
        }
      else
        break;
    }
  return value;
}

static gulong
parse_additive (PluralParser *pp)
{
  gulong value = parse_multiplicative (pp);

  while (!pp->failed)
    {
      if (accept (pp, "+"))
        value += parse_multiplicative (pp);
      else if (accept (pp, "-"))
        value -= parse_multiplicative (pp);
      else
        break;
    }
  return value;
}

static gulong
parse_relational (PluralParser *pp)
{
  gulong value = parse_additive (pp);

  while (!pp->failed)
    {
      if (accept (pp, "<="))
        value = value <= parse_additive (pp);
      else if (accept (pp, ">="))
        value = value >= parse_additive (pp);
      else if (accept (pp, "<"))
        value = value < parse_additive (pp);
      else if (accept (pp, ">"))
        value = value > parse_additive (pp);
      else
        break;
    }
  return value;
}

static gulong
parse_equality (PluralParser *pp)
{
  gulong value = parse_relational (pp);

  while (!pp->failed)
    {
      if (accept (pp, "=="))
        value = value == parse_relational (pp);
      else if (accept (pp, "!="))
        value = value != parse_relational (pp);
      else
        break;
    }
  return value;
}

static gulong
parse_and (PluralParser *pp)
{
  gulong value = parse_equality (pp);

  while (!pp->failed && accept (pp, "&&"))
    {
      gulong right = parse_equality (pp);

      value = value && right;
    }
  return value;
}

static gulong
parse_or (PluralParser *pp)
{
  gulong value = parse_and (pp);

  while (!pp->failed && accept (pp, "||"))
    {
      gulong right = parse_and (pp);

      value = value || right;
    }
  return value;
}

static gulong
parse_conditional (PluralParser *pp)
{
  gulong condition = parse_or (pp);

  if (!pp->failed && accept (pp, "?"))
    {
      gulong when_true = parse_conditional (pp);
      gulong when_false;

      if (!accept (pp, ":"))
        {
          pp->failed = TRUE;
          return 0;
        }
      when_false = parse_conditional (pp);
      return condition ? when_true : when_false;
    }
  return condition;
}

/**
 * nt_plural_eval:
 * @expression: a Plural-Forms expression, such as "n != 1" or
 *   "n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2"
 * @n: the count
 * @index: (out): the plural form the count takes
 *
 * Returns: %FALSE if @expression is not one gettext understands
 */
gboolean
nt_plural_eval (const char *expression,
                gulong      n,
                gulong     *index)
{
  PluralParser pp = { expression, n, FALSE };
  gulong value;

  g_return_val_if_fail (expression != NULL, FALSE);

  value = parse_conditional (&pp);
  skip_spaces (&pp);
  if (pp.failed || (*pp.p != '\0' && *pp.p != ';'))
    return FALSE;

  *index = value;
  return TRUE;
}

/* ---- Catalogues ------------------------------------------------------- */

static void
read_plural_forms (NtCatalog  *catalog,
                   const char *header)
{
  const char *line = strstr (header, "Plural-Forms:");
  const char *nplurals;
  const char *plural;
  g_autofree char *text = NULL;
  char *end;
  gulong ignored;

  catalog->n_plurals = 2;
  g_free (catalog->plural);
  catalog->plural = g_strdup ("n != 1");
  if (line == NULL)
    return;

  end = strchr (line, '\n');
  text = end != NULL ? g_strndup (line, end - line) : g_strdup (line);
  nplurals = strstr (text, "nplurals=");
  plural = strstr (text, "plural=");
  if (nplurals != NULL && plural == nplurals + 2)  /* "plural=" inside "nplurals=" */
    plural = strstr (nplurals + 9, "plural=");
  if (nplurals == NULL || plural == NULL)
    return;

  catalog->n_plurals = MAX (1, (guint) g_ascii_strtoull (nplurals + 9, NULL, 10));
  plural += 7;
  end = strchr (plural, ';');
  g_free (catalog->plural);
  catalog->plural = end != NULL ? g_strndup (plural, end - plural) : g_strdup (plural);

  if (!nt_plural_eval (catalog->plural, 1, &ignored))
    {
      g_debug ("Plural-Forms expression “%s” not understood; using n != 1", catalog->plural);
      g_free (catalog->plural);
      catalog->plural = g_strdup ("n != 1");
      catalog->n_plurals = 2;
    }
}

/**
 * nt_catalog_new_from_bytes:
 * @mo_data: a compiled message catalogue, as msgfmt writes it
 *
 * Returns: (transfer full): the catalogue, or %NULL with
 *   %NT_I18N_ERROR_INVALID when @mo_data is not a whole, sound catalogue
 */
NtCatalog *
nt_catalog_new_from_bytes (GBytes  *mo_data,
                           GError **error)
{
  g_autoptr(NtCatalog) catalog = g_atomic_rc_box_new0 (NtCatalog);
  guint32 magic;
  guint32 originals;

  g_return_val_if_fail (mo_data != NULL, NULL);

  catalog->bytes = g_bytes_ref (mo_data);
  catalog->data = g_bytes_get_data (mo_data, &catalog->size);
  catalog->index = g_hash_table_new (g_str_hash, g_str_equal);
  catalog->n_plurals = 2;
  catalog->plural = g_strdup ("n != 1");

  if (catalog->size < 28)
    {
      g_set_error (error, NT_I18N_ERROR, NT_I18N_ERROR_INVALID,
                   "The message catalogue is too short (%zu bytes)", catalog->size);
      return NULL;
    }

  memcpy (&magic, catalog->data, sizeof magic);
  if (magic == MO_MAGIC)
    catalog->swapped = FALSE;
  else if (GUINT32_SWAP_LE_BE (magic) == MO_MAGIC)
    catalog->swapped = TRUE;
  else
    {
      g_set_error (error, NT_I18N_ERROR, NT_I18N_ERROR_INVALID,
                   "Not a compiled message catalogue (magic number 0x%08x)", magic);
      return NULL;
    }

  if ((read_word (catalog, 4) >> 16) > 1)
    {
      g_set_error (error, NT_I18N_ERROR, NT_I18N_ERROR_INVALID,
                   "Message catalogue format revision %u is not known", read_word (catalog, 4) >> 16);
      return NULL;
    }

  catalog->n_messages = read_word (catalog, 8);
  originals = read_word (catalog, 12);
  catalog->translations = read_word (catalog, 16);

  if (catalog->n_messages > catalog->size / 16 ||
      originals > catalog->size - (gsize) catalog->n_messages * 8 ||
      catalog->translations > catalog->size - (gsize) catalog->n_messages * 8)
    {
      g_set_error (error, NT_I18N_ERROR, NT_I18N_ERROR_INVALID,
                   "The message catalogue's tables run past its end");
      return NULL;
    }

  for (guint32 i = 0; i < catalog->n_messages; i++)
    {
      const char *original = read_string (catalog, originals + (gsize) i * 8, NULL);
      const char *translation = read_string (catalog, catalog->translations + (gsize) i * 8, NULL);

      if (original == NULL || translation == NULL)
        {
          g_set_error (error, NT_I18N_ERROR, NT_I18N_ERROR_INVALID,
                       "Message %u of the catalogue lies outside it", i);
          return NULL;
        }

      if (original[0] == '\0')
        read_plural_forms (catalog, translation);
      else
        g_hash_table_insert (catalog->index, (gpointer) original, GUINT_TO_POINTER (i + 1));
    }

  return g_steal_pointer (&catalog);
}

static void
catalog_clear (NtCatalog *catalog)
{
  g_hash_table_unref (catalog->index);
  g_bytes_unref (catalog->bytes);
  g_free (catalog->plural);
}

NtCatalog *
nt_catalog_ref (NtCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);

  return g_atomic_rc_box_acquire (catalog);
}

void
nt_catalog_unref (NtCatalog *catalog)
{
  g_return_if_fail (catalog != NULL);

  g_atomic_rc_box_release_full (catalog, (GDestroyNotify) catalog_clear);
}

/**
 * nt_catalog_get_n_messages:
 *
 * Returns: how many messages the catalogue translates (its header aside)
 */
guint
nt_catalog_get_n_messages (NtCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, 0);

  return g_hash_table_size (catalog->index);
}

guint
nt_catalog_get_n_plurals (NtCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, 0);

  return catalog->n_plurals;
}

static const char *
lookup_forms (NtCatalog  *catalog,
              const char *msgid,
              guint32    *length)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (catalog->index, msgid));

  if (i == 0)
    return NULL;
  return read_string (catalog, catalog->translations + (gsize) (i - 1) * 8, length);
}

/**
 * nt_catalog_lookup:
 * @msgid: the English original; "context\004original" for a message with a
 *   context
 *
 * Returns: (nullable): the translation, or %NULL when the catalogue has none
 */
const char *
nt_catalog_lookup (NtCatalog  *catalog,
                   const char *msgid)
{
  const char *translation;

  g_return_val_if_fail (catalog != NULL, NULL);
  g_return_val_if_fail (msgid != NULL, NULL);

  translation = lookup_forms (catalog, msgid, NULL);
  return translation != NULL && translation[0] != '\0' ? translation : NULL;
}

/**
 * nt_catalog_lookup_plural:
 * @msgid: the English singular
 * @n: the count
 *
 * Returns: (nullable): the form of the translation that @n takes
 */
const char *
nt_catalog_lookup_plural (NtCatalog  *catalog,
                          const char *msgid,
                          gulong      n)
{
  const char *forms;
  guint32 length;
  gulong index = 0;

  g_return_val_if_fail (catalog != NULL, NULL);
  g_return_val_if_fail (msgid != NULL, NULL);

  forms = lookup_forms (catalog, msgid, &length);
  if (forms == NULL || forms[0] == '\0')
    return NULL;

  if (!nt_plural_eval (catalog->plural, n, &index) || index >= catalog->n_plurals)
    index = 0;

  /* Step over @index forms; a catalogue with fewer forms than it
   * promises gives its first. */
  for (const char *form = forms; form < forms + length + 1; form += strlen (form) + 1, index--)
    if (index == 0)
      return form;
  return forms;
}

/* ---- The catalogues on disk, and the scope ---------------------------- */

static GMutex      catalogs_lock;
static GHashTable *catalogs;  /* language → NtCatalog, or NULL when there is none */

static NtCatalog *
load_catalog (const char  *language,
              GError     **error)
{
  const char *dir = bindtextdomain (GETTEXT_PACKAGE, NULL);
  g_autofree char *base = g_strconcat (GETTEXT_PACKAGE, ".mo", NULL);
  g_autofree char *path = g_build_filename (dir, language, "LC_MESSAGES", base, NULL);
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  NtCatalog *catalog;

  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      g_set_error (error, NT_I18N_ERROR, NT_I18N_ERROR_NOT_FOUND,
                   "No translations into “%s”: %s", language, local_error->message);
      return NULL;
    }

  bytes = g_mapped_file_get_bytes (file);
  catalog = nt_catalog_new_from_bytes (bytes, &local_error);
  if (catalog == NULL)
    g_set_error (error, NT_I18N_ERROR, NT_I18N_ERROR_INVALID,
                 "%s: %s", path, local_error->message);
  return catalog;
}

/**
 * nt_i18n_get_catalog:
 * @language: a language code ("ja")
 *
 * Finds the console's compiled translations into @language where gettext
 * would (the directory bound to the console's text domain), reading them
 * the first time they are asked for. The file is small and mapped, not
 * read.
 *
 * Returns: (transfer none) (nullable): the catalogue, kept for the life of
 *   the process, or %NULL if there is none
 */
NtCatalog *
nt_i18n_get_catalog (const char  *language,
                     GError     **error)
{
  NtCatalog *catalog = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (language != NULL, NULL);

  g_mutex_lock (&catalogs_lock);
  if (catalogs == NULL)
    catalogs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) nt_catalog_unref);

  if (!g_hash_table_lookup_extended (catalogs, language, NULL, (gpointer *) &catalog))
    {
      catalog = load_catalog (language, &local_error);
      /* A language without a catalogue is remembered too: the disk is
       * asked once. */
      g_hash_table_insert (catalogs, g_strdup (language), catalog);
      if (catalog == NULL)
        g_debug ("%s", local_error->message);
    }
  g_mutex_unlock (&catalogs_lock);

  if (catalog == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, NT_I18N_ERROR, NT_I18N_ERROR_NOT_FOUND,
                     "No translations into “%s”", language);
    }
  return catalog;
}

/* The scope's language, per thread, as an interned string. */
static GPrivate scope_language;

const char *
nt_i18n_get_language (void)
{
  return g_private_get (&scope_language);
}

/**
 * nt_language_scope_enter:
 * @scope: a scope, %NT_LANGUAGE_SCOPE_INIT
 * @language: (nullable): "en", "ja", or %NULL for the session's language
 *
 * Until nt_language_scope_leave(), the gettext macros on this thread
 * translate into @language.
 */
void
nt_language_scope_enter (NtLanguageScope *scope,
                         const char      *language)
{
  g_return_if_fail (scope != NULL);
  g_return_if_fail (!scope->entered);

  scope->entered = TRUE;
  scope->previous = g_private_get (&scope_language);
  g_private_set (&scope_language, (gpointer) (language != NULL ? g_intern_string (language) : NULL));
}

void
nt_language_scope_leave (NtLanguageScope *scope)
{
  if (!scope->entered)
    return;

  g_private_set (&scope_language, (gpointer) scope->previous);
  scope->entered = FALSE;
}

/**
 * nt_language_param_spec_new:
 *
 * Returns: (transfer floating): the "language" property of a widget that
 *   can speak a language other than the session's: a string, "en" or
 *   "ja", or %NULL for the session's language
 */
GParamSpec *
nt_language_param_spec_new (void)
{
  return g_param_spec_string ("language", NULL, NULL, NULL,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

/**
 * nt_language_replace:
 * @language: (inout) (nullable): a widget's language field
 * @new_language: (nullable): the language it is to speak
 *
 * Returns: %TRUE if @language changed (and the widget must say its words
 *   again and notify)
 */
gboolean
nt_language_replace (char       **language,
                     const char  *new_language)
{
  g_return_val_if_fail (language != NULL, FALSE);

  if (g_strcmp0 (*language, new_language) == 0)
    return FALSE;

  g_free (*language);
  *language = g_strdup (new_language);
  return TRUE;
}

/**
 * nt_i18n_prefers_japanese:
 *
 * Returns: whether the words shown now are Japanese: the scope's language
 *   if there is one, else the session's first language
 */
gboolean
nt_i18n_prefers_japanese (void)
{
  const char *language = nt_i18n_get_language ();
  const char * const *languages;

  if (language != NULL)
    return g_str_has_prefix (language, "ja");

  languages = g_get_language_names ();
  for (guint i = 0; languages[i] != NULL; i++)
    {
      if (g_str_has_prefix (languages[i], "ja"))
        return TRUE;
      if (g_str_equal (languages[i], "C") || g_str_equal (languages[i], "C.UTF-8"))
        continue;
      return FALSE;
    }
  return FALSE;
}

/* The catalogue for the scope's language; NULL for English (the source
 * text) and for a language without one. */
static NtCatalog *
scope_catalog (const char *language)
{
  if (g_str_equal (language, "en") || g_str_has_prefix (language, "en_"))
    return NULL;
  return nt_i18n_get_catalog (language, NULL);
}

const char *
nt_gettext (const char *msgid)
{
  const char *language = nt_i18n_get_language ();
  NtCatalog *catalog;
  const char *translation;

  if (language == NULL)
    return g_dgettext (GETTEXT_PACKAGE, msgid);

  catalog = scope_catalog (language);
  translation = catalog != NULL ? nt_catalog_lookup (catalog, msgid) : NULL;
  return translation != NULL ? translation : msgid;
}

const char *
nt_pgettext (const char *msgctxtid,
             gsize       msgidoffset)
{
  const char *language = nt_i18n_get_language ();
  NtCatalog *catalog;
  const char *translation;

  if (language == NULL)
    return g_dpgettext (GETTEXT_PACKAGE, msgctxtid, msgidoffset);

  catalog = scope_catalog (language);
  translation = catalog != NULL ? nt_catalog_lookup (catalog, msgctxtid) : NULL;
  return translation != NULL ? translation : msgctxtid + msgidoffset;
}

const char *
nt_ngettext (const char *msgid,
             const char *msgid_plural,
             gulong      n)
{
  const char *language = nt_i18n_get_language ();
  NtCatalog *catalog;
  const char *translation;

  if (language == NULL)
    return g_dngettext (GETTEXT_PACKAGE, msgid, msgid_plural, n);

  catalog = scope_catalog (language);
  translation = catalog != NULL ? nt_catalog_lookup_plural (catalog, msgid, n) : NULL;
  if (translation != NULL)
    return translation;
  return n == 1 ? msgid : msgid_plural;
}
