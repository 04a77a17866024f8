/* test-fuzz-fixes.c: what the fuzz targets found, each fix pinned down
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib 1.6 takes several JSON values one after another ("1 {…}") as
 * one valid text, keeps one and leaks the others; it takes an empty text
 * or a comment as valid with no root.  nt_json_load_one() refuses both, and
 * every parser of outside input loads through it: these tests feed such
 * texts to the loader and to each parser and check the clear error (and,
 * in the sanitizer build, that nothing leaks).
 */
#define G_LOG_DOMAIN "test-fuzz-fixes"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "nt-archive-client-private.h"
#include "nt-catalogue.h"
#include "nt-client-error.h"
#include "nt-facility-profile.h"
#include "nt-model-json.h"

static const char * const two_values[] = {
  "8{\"a\":{\"b\":1}}",
  "{\"a\":{\"b\":1}} {\"c\":2}",
  "8 {\"a\":1}",
  "[1] [2]",
  "\"x\" \"y\"",
  "true false",
  "{\"type\":\"update\"}{\"type\":\"update\"}",
};

static const char * const no_value[] = {
  "",
  "   \n\t ",
  "/* nothing */",
};

static void
test_load_one (void)
{
  static const char * const one_value[] = {
    "1", " {\"a\":[1,2,{\"b\":\"}{\"}]} ", "[\"\\\"]\"]", "\"a b\"", "null", "-1.5e3",
  };

  for (guint i = 0; i < G_N_ELEMENTS (two_values); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) error = NULL;

      g_assert_false (nt_json_load_one (parser, two_values[i], strlen (two_values[i]), &error));
      g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, "more than one JSON value");
    }
  for (guint i = 0; i < G_N_ELEMENTS (no_value); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) error = NULL;

      g_assert_false (nt_json_load_one (parser, no_value[i], strlen (no_value[i]), &error));
      g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
    }
  {
    g_autoptr(JsonParser) parser = json_parser_new_immutable ();
    g_autoptr(GError) error = NULL;

    g_assert_false (nt_json_load_one (parser, NULL, 0, &error));
    g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  }
  for (guint i = 0; i < G_N_ELEMENTS (one_value); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) error = NULL;

      g_assert_true (nt_json_load_one (parser, one_value[i], strlen (one_value[i]), &error));
      g_assert_no_error (error);
      g_assert_nonnull (json_parser_get_root (parser));
    }
}

/* The parsers that read outside input refuse the same texts. */
static void
test_parsers_refuse (void)
{
  const char *texts[G_N_ELEMENTS (two_values) + G_N_ELEMENTS (no_value)];

  for (guint i = 0; i < G_N_ELEMENTS (two_values); i++)
    texts[i] = two_values[i];
  for (guint i = 0; i < G_N_ELEMENTS (no_value); i++)
    texts[G_N_ELEMENTS (two_values) + i] = no_value[i];

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (texts[i], strlen (texts[i]));
      g_autoptr(GError) archive_error = NULL;
      g_autoptr(GError) profile_error = NULL;
      g_autoptr(GError) catalogue_error = NULL;
      g_autoptr(NtFacilityProfile) profile = NULL;
      g_autoptr(NtCatalogue) catalogue = NULL;

      g_assert_cmpint (nt_archive_client_parse_reply (bytes, 0, &archive_error), ==, -1);
      g_assert_error (archive_error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA);
      profile = nt_facility_profile_new_from_bytes (bytes, NULL, &profile_error);
      g_assert_null (profile);
      g_assert_nonnull (profile_error);
      catalogue = nt_catalogue_new_from_bytes (bytes, &catalogue_error);
      g_assert_null (catalogue);
      g_assert_nonnull (catalogue_error);
      g_assert_false (nt_client_error_parse_body (bytes, NULL, NULL, NULL));
    }

  /* An error body followed by another value is not an error body */
  {
    const char *text = "{\"error\":{\"code\":\"invalid\",\"message\":\"m\"}} {\"x\":1}";
    g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));

    g_assert_false (nt_client_error_parse_body (bytes, NULL, NULL, NULL));
  }
}

/* A PREC (a string) beyond gint64 was cast from double as it was:
 * undefined behaviour (UBSan: float-cast-overflow).  It is clamped to the
 * precisions a chart shows. */
static void
test_archive_huge_precision (void)
{
  static const char * const precs[] = {
    "\"-99999999999999999999999999999999999999999999999999999999999993\"", "\"1e300\"", "\"inf\"",
    "\"-inf\"", "1e300",
  };

  for (guint i = 0; i < G_N_ELEMENTS (precs); i++)
    {
      g_autofree char *text = g_strdup_printf ("[{\"meta\":{\"name\":\"SR:DCCT:CURRENT\",\"PREC\":%s},"
                                               "\"data\":[{\"secs\":1784077200,\"nanos\":0,\"val\":400.1,"
                                               "\"severity\":0,\"status\":0}]}]", precs[i]);
      gsize len = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), len);
      g_autoptr(GError) error = NULL;
      gssize n = nt_archive_client_parse_reply (bytes, 0, &error);

      /* a double 1e300 is not a whole gint64: refused; the others read */
      if (i == G_N_ELEMENTS (precs) - 1)
        g_assert_cmpint (n, ==, -1);
      else
        {
          g_assert_no_error (error);
          g_assert_cmpint (n, ==, 1);
        }
    }
}

/* A beamline's requested_days of 1e308 (and a station's
 * public_shifts_2026a of 3.1e10) was cast from double to guint as it was:
 * undefined behaviour (UBSan: float-cast-overflow).  Refused now. */
static void
check_catalogue_huge (const char *member,
                      const char *value)
{
  g_autoptr(GBytes) shipped = g_resources_lookup_data ("/jp/nanoterasu/Console/catalogue/beamlines.json",
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autofree char *pattern = g_strdup_printf ("\"%s\": *[0-9]+", member);
  g_autofree char *replacement = g_strdup_printf ("\"%s\": %s", member, value);
  g_autoptr(GRegex) days = g_regex_new (pattern, 0, 0, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NtCatalogue) catalogue = NULL;

  g_assert_nonnull (shipped);
  text = g_regex_replace_literal (days, g_bytes_get_data (shipped, NULL), g_bytes_get_size (shipped), 0,
                                  replacement, 0, NULL);
  g_assert_nonnull (strstr (text, replacement));
  bytes = g_bytes_new (text, strlen (text));
  catalogue = nt_catalogue_new_from_bytes (bytes, &error);
  g_assert_null (catalogue);
  g_assert_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, member));
}

static void
test_catalogue_huge_counts (void)
{
  check_catalogue_huge ("requested_days", "1e308");
  check_catalogue_huge ("public_shifts_2026a", "3.1e10");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fuzz-fixes/json/load-one", test_load_one);
  g_test_add_func ("/fuzz-fixes/json/parsers-refuse", test_parsers_refuse);
  g_test_add_func ("/fuzz-fixes/archive/huge-precision", test_archive_huge_precision);
  g_test_add_func ("/fuzz-fixes/catalogue/huge-counts", test_catalogue_huge_counts);

  return g_test_run ();
}
