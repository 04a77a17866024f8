/* test-i18n.c: compiled catalogues read without gettext, plural rules,
 * and language scopes (what lets the kiosk speak a language of its own)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "nt-i18n.h"
#include "test-instants.h"

typedef struct
{
  const char *original;
  gsize       original_len;   /* 0: strlen */
  const char *translation;
  gsize       translation_len;
} Message;

/* Writes a catalogue as msgfmt would, in either byte order, without the
 * optional hash table. @messages must be sorted by original. */
static GBytes *
build_mo (const Message *messages,
          guint          n,
          gboolean       big_endian)
{
  GByteArray *out = g_byte_array_new ();
  guint32 header[7];
  gsize originals = 28;
  gsize translations = originals + n * 8;
  gsize strings = translations + n * 8;
  g_autoptr(GByteArray) text = g_byte_array_new ();
  g_autofree guint32 *table = g_new0 (guint32, n * 4);

  for (guint i = 0; i < n; i++)
    {
      gsize olen = messages[i].original_len ? messages[i].original_len : strlen (messages[i].original);
      gsize tlen = messages[i].translation_len ? messages[i].translation_len : strlen (messages[i].translation);

      table[i * 2] = olen;
      table[i * 2 + 1] = strings + text->len;
      g_byte_array_append (text, (const guint8 *) messages[i].original, olen + 1);
      table[n * 2 + i * 2] = tlen;
      table[n * 2 + i * 2 + 1] = strings + text->len;
      g_byte_array_append (text, (const guint8 *) messages[i].translation, tlen + 1);
    }

  header[0] = 0x950412de;
  header[1] = 0;
  header[2] = n;
  header[3] = originals;
  header[4] = translations;
  header[5] = 0;
  header[6] = 0;
  for (guint i = 0; i < 7; i++)
    {
      guint32 w = big_endian ? GUINT32_TO_BE (header[i]) : GUINT32_TO_LE (header[i]);
      g_byte_array_append (out, (const guint8 *) &w, 4);
    }
  for (guint i = 0; i < n * 4; i++)
    {
      guint32 w = big_endian ? GUINT32_TO_BE (table[i]) : GUINT32_TO_LE (table[i]);
      g_byte_array_append (out, (const guint8 *) &w, 4);
    }
  g_byte_array_append (out, text->data, text->len);

  return g_byte_array_free_to_bytes (out);
}

static const Message polish[] = {
  { "", 0, "Content-Type: text/plain; charset=UTF-8\n"
           "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n", 0 },
  { "%d file\0%d files", 16, "%d plik\0%d pliki\0%d plików", 27 },
  { "Open", 0, "Otwórz", 0 },
  { "menu\004Open", 0, "Otwórz menu", 0 },
};

static void
test_catalog_both_byte_orders (void)
{
  for (guint big = 0; big < 2; big++)
    {
      g_autoptr(GBytes) bytes = build_mo (polish, G_N_ELEMENTS (polish), big);
      g_autoptr(GError) error = NULL;
      g_autoptr(NtCatalog) catalog = nt_catalog_new_from_bytes (bytes, &error);

      g_assert_no_error (error);
      g_assert_nonnull (catalog);
      g_assert_cmpuint (nt_catalog_get_n_messages (catalog), ==, 3);
      g_assert_cmpuint (nt_catalog_get_n_plurals (catalog), ==, 3);
      g_assert_cmpstr (nt_catalog_lookup (catalog, "Open"), ==, "Otwórz");
      g_assert_cmpstr (nt_catalog_lookup (catalog, "menu\004Open"), ==, "Otwórz menu");
      g_assert_null (nt_catalog_lookup (catalog, "Close"));
      g_assert_cmpstr (nt_catalog_lookup_plural (catalog, "%d file", 1), ==, "%d plik");
      g_assert_cmpstr (nt_catalog_lookup_plural (catalog, "%d file", 3), ==, "%d pliki");
      g_assert_cmpstr (nt_catalog_lookup_plural (catalog, "%d file", 5), ==, "%d plików");
      g_assert_cmpstr (nt_catalog_lookup_plural (catalog, "%d file", 22), ==, "%d pliki");
      g_assert_cmpstr (nt_catalog_lookup_plural (catalog, "%d file", 12), ==, "%d plików");
    }
}

static void
expect_invalid (GBytes *taken)
{
  g_autoptr(GBytes) bytes = taken;
  g_autoptr(GError) error = NULL;
  NtCatalog *catalog = nt_catalog_new_from_bytes (bytes, &error);

  g_assert_null (catalog);
  g_assert_error (error, NT_I18N_ERROR, NT_I18N_ERROR_INVALID);
  g_test_message ("rejected: %s", error->message);
}

static void
test_catalog_malformed (void)
{
  g_autoptr(GBytes) good = build_mo (polish, G_N_ELEMENTS (polish), FALSE);
  gsize size;
  const guint8 *data = g_bytes_get_data (good, &size);
  g_autofree guint8 *copy = NULL;

  /* Empty, short, not a catalogue at all */
  expect_invalid (g_bytes_new_static ("", 0));
  expect_invalid (g_bytes_new_static ("\xde\x12\x04\x95", 4));
  expect_invalid (g_bytes_new_static ("msgid \"Open\"\nmsgstr \"Otwórz\"\n......", 40));

  /* Cut anywhere: never a crash, always an error (or, cut inside the
   * unused tail, a catalogue). */
  for (gsize cut = 0; cut < size; cut++)
    {
      g_autoptr(GBytes) part = g_bytes_new (data, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(NtCatalog) catalog = nt_catalog_new_from_bytes (part, &error);

      g_assert_true ((catalog == NULL) != (error == NULL));
    }

  /* A string offset pointing past the end */
  copy = g_memdup2 (data, size);
  copy[28 + 8 + 4] = 0xff;
  copy[28 + 8 + 5] = 0xff;
  expect_invalid (g_bytes_new_take (g_steal_pointer (&copy), size));

  /* A string whose NUL is missing */
  copy = g_memdup2 (data, size);
  copy[28 + 8] += 1;  /* second original one byte longer: runs into its NUL */
  expect_invalid (g_bytes_new_take (g_steal_pointer (&copy), size));

  /* A message count far beyond the file */
  copy = g_memdup2 (data, size);
  copy[8] = 0xff;
  copy[9] = 0xff;
  copy[10] = 0xff;
  expect_invalid (g_bytes_new_take (g_steal_pointer (&copy), size));

  /* A revision from the future */
  copy = g_memdup2 (data, size);
  copy[6] = 7;
  expect_invalid (g_bytes_new_take (g_steal_pointer (&copy), size));
}

static void
test_plural_expressions (void)
{
  static const struct {
    const char *expression;
    gulong      n;
    gulong      index;
  } cases[] = {
    { "0", 5, 0 },
    { "n != 1", 1, 0 },
    { "n != 1", 0, 1 },
    { "(n > 1)", 1, 0 },
    { "(n > 1)", 2, 1 },
    { "n==1 ? 0 : n==2 ? 1 : 2", 2, 1 },
    { "n==1 ? 0 : n==2 ? 1 : 2", 7, 2 },
    { "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)", 21, 0 },
    { "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)", 11, 2 },
    { "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)", 104, 1 },
    { "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5", 105, 3 },
    { "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5", 111, 4 },
    { "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5", 100, 5 },
    { "!(n < 2) + 2 * 3 - 6 / 2", 1, 3 },
    { "n <= 1 ? 0 : 1;", 1, 0 },
  };
  static const char *bad[] = { "", "n +", "(n", "n / 0", "n % (n - n)", "n ? 1", "x", "n 1", "n == 1 ) ", };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gulong index = 99;

      g_assert_true (nt_plural_eval (cases[i].expression, cases[i].n, &index));
      g_assert_cmpuint (index, ==, cases[i].index);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gulong index = 99;

      g_assert_false (nt_plural_eval (bad[i], 3, &index));
      g_assert_cmpuint (index, ==, 99);
    }
}

/* The console's own Japanese catalogue, as the build compiled it. */
static void
test_console_catalogue (void)
{
  g_autoptr(GError) error = NULL;
  NtCatalog *ja = nt_i18n_get_catalog ("ja", &error);

  g_assert_no_error (error);
  g_assert_nonnull (ja);
  g_assert_cmpuint (nt_catalog_get_n_messages (ja), >, 300);
  g_assert_cmpuint (nt_catalog_get_n_plurals (ja), ==, 1);
  g_assert_cmpstr (nt_catalog_lookup (ja, "Stored current"), ==, "蓄積電流");
  g_assert_cmpstr (nt_catalog_lookup (ja, "program\004Public"), ==, "共用");
  g_assert_nonnull (nt_catalog_lookup_plural (ja, "%u station", 3));
  g_assert_true (nt_catalog_lookup_plural (ja, "%u station", 1) == nt_catalog_lookup_plural (ja, "%u station", 3));

  /* Asked again: the same catalogue, not read again. */
  g_assert_true (nt_i18n_get_catalog ("ja", NULL) == ja);

  g_assert_null (nt_i18n_get_catalog ("xx", &error));
  g_assert_error (error, NT_I18N_ERROR, NT_I18N_ERROR_NOT_FOUND);
}

static gpointer
other_thread (gpointer data)
{
  /* A scope belongs to the thread that entered it. */
  return g_strdup (_("Stored current"));
}

static void
test_scopes (void)
{
  g_autofree char *elsewhere = NULL;
  g_autofree char *count = NULL;

  /* The tests run in the C locale: English, as the session speaks it. */
  g_assert_null (nt_i18n_get_language ());
  g_assert_cmpstr (_("Stored current"), ==, "Stored current");
  g_assert_false (nt_i18n_prefers_japanese ());

  {
    g_auto(NtLanguageScope) ja = NT_LANGUAGE_SCOPE_INIT;

    nt_language_scope_enter (&ja, "ja");
    g_assert_cmpstr (nt_i18n_get_language (), ==, "ja");
    g_assert_true (nt_i18n_prefers_japanese ());
    g_assert_cmpstr (_("Stored current"), ==, "蓄積電流");
    g_assert_cmpstr (C_("program", "Public"), ==, "共用");
    count = g_strdup_printf (nt_ngettext ("%u station", "%u stations", 3), 3);
    g_assert_false (g_str_equal (count, "3 stations"));
    /* Words the catalogue does not have stay English. */
    g_assert_cmpstr (_("No such words in the console"), ==, "No such words in the console");

    elsewhere = g_thread_join (g_thread_new ("other", other_thread, NULL));
    g_assert_cmpstr (elsewhere, ==, "Stored current");

    {
      g_auto(NtLanguageScope) en = NT_LANGUAGE_SCOPE_INIT;

      nt_language_scope_enter (&en, "en");
      g_assert_cmpstr (_("Stored current"), ==, "Stored current");
      g_assert_cmpstr (C_("program", "Public"), ==, "Public");
      g_assert_cmpstr (nt_ngettext ("%u station", "%u stations", 3), ==, "%u stations");
      g_assert_cmpstr (nt_ngettext ("%u station", "%u stations", 1), ==, "%u station");
      g_assert_false (nt_i18n_prefers_japanese ());
    }

    /* Leaving the inner scope brings the outer's language back. */
    g_assert_cmpstr (_("Stored current"), ==, "蓄積電流");
  }

  g_assert_null (nt_i18n_get_language ());
  g_assert_cmpstr (_("Stored current"), ==, "Stored current");

  /* A language without a catalogue shows the English words. */
  {
    g_auto(NtLanguageScope) xx = NT_LANGUAGE_SCOPE_INIT;

    nt_language_scope_enter (&xx, "xx");
    g_assert_cmpstr (_("Stored current"), ==, "Stored current");
  }
}

static void
test_language_field (void)
{
  g_autofree char *language = NULL;
  g_autoptr(GParamSpec) pspec = g_param_spec_ref_sink (nt_language_param_spec_new ());

  g_assert_false (nt_language_replace (&language, NULL));
  g_assert_true (nt_language_replace (&language, "ja"));
  g_assert_cmpstr (language, ==, "ja");
  g_assert_false (nt_language_replace (&language, "ja"));
  g_assert_true (nt_language_replace (&language, "en"));
  g_assert_true (nt_language_replace (&language, NULL));
  g_assert_null (language);

  g_assert_cmpstr (g_param_spec_get_name (pspec), ==, "language");
  g_assert_true (G_IS_PARAM_SPEC_STRING (pspec));
  g_assert_true ((pspec->flags & G_PARAM_EXPLICIT_NOTIFY) != 0);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("NT_LOCALEDIR");

  setlocale (LC_ALL, "");
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_init (&argc, &argv, NULL);

  /* Every test here runs at a named instant, never at the real date. */

  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/i18n/catalog/byte-orders", test_catalog_both_byte_orders);
  g_test_add_func ("/i18n/catalog/malformed", test_catalog_malformed);
  g_test_add_func ("/i18n/plural-expressions", test_plural_expressions);
  g_test_add_func ("/i18n/console-catalogue", test_console_catalogue);
  g_test_add_func ("/i18n/scopes", test_scopes);
  g_test_add_func ("/i18n/language-field", test_language_field);

  return g_test_run ();
}
