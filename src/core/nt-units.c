/* nt-units.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-units"

#include "config.h"

#include <math.h>
#include <string.h>

#include "nt-i18n.h"
#include "nt-units.h"

/* Prints a number with as few decimals as it needs, up to @max_decimals. */
static char *
format_number (double value,
               int    max_decimals)
{
  for (int d = 0; d < max_decimals; d++)
    {
      double scale = pow (10, d);

      if (fabs (round (value * scale) - value * scale) < 1e-6)
        return g_strdup_printf ("%.*f", d, value);
    }
  return g_strdup_printf ("%.*f", max_decimals, value);
}

static gboolean
use_kev (double ev)
{
  return ev >= 2000.0;
}

/**
 * nt_format_energy:
 *
 * Returns: a photon energy with its unit: “850 eV”, “13.1 keV”
 */
char *
nt_format_energy (double ev)
{
  g_autofree char *number = NULL;

  if (use_kev (ev))
    {
      number = format_number (ev / 1000.0, 2);
      return g_strdup_printf ("%s keV", number);
    }

  number = format_number (ev, 1);
  return g_strdup_printf ("%s eV", number);
}

/**
 * nt_format_energy_range:
 *
 * Returns: a range of photon energies in one unit: “50–2000 eV”,
 *   “2.1–18.3 keV”
 */
char *
nt_format_energy_range (double min_ev,
                        double max_ev)
{
  g_autofree char *lo = NULL;
  g_autofree char *hi = NULL;

  if (use_kev (max_ev) && min_ev >= 1000.0)
    {
      lo = format_number (min_ev / 1000.0, 2);
      hi = format_number (max_ev / 1000.0, 2);
      return g_strdup_printf ("%s–%s keV", lo, hi);
    }

  lo = format_number (min_ev, 1);
  hi = format_number (max_ev, 1);
  return g_strdup_printf ("%s–%s eV", lo, hi);
}

/**
 * nt_format_energy_list:
 *
 * Returns: fixed energies a station chooses between: “8.0 or 13.1 keV”
 */
char *
nt_format_energy_list (const double *ev,
                       guint         n)
{
  g_autoptr(GString) str = g_string_new (NULL);

  g_return_val_if_fail (n > 0, NULL);

  if (n == 1)
    return nt_format_energy (ev[0]);

  /* One decimal at least, as beamline staff write fixed energies. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *number = use_kev (ev[n - 1])
        ? g_strdup_printf ("%.1f", ev[i] / 1000.0)
        : format_number (ev[i], 1);

      if (i == 0)
        g_string_append (str, number);
      else if (i == n - 1)
        /* Translators: the last of a list of photon energies, as in “8.0 or 13.1” */
        g_string_append_printf (str, _(" or %s"), number);
      else
        g_string_append_printf (str, ", %s", number);
    }

  g_string_append (str, use_kev (ev[n - 1]) ? " keV" : " eV");
  return g_string_free (g_steal_pointer (&str), FALSE);
}

/**
 * nt_format_energy_band:
 *
 * Returns: the name of the band of a beamline whose exact range is not
 *   published: “Soft X-ray” or “Hard X-ray”
 */
char *
nt_format_energy_band (double max_ev)
{
  return g_strdup (max_ev <= 5000.0 ? _("Soft X-ray") : _("Hard X-ray"));
}

/**
 * nt_format_yen:
 * @amount: an amount of money in yen
 *
 * Rounds to a whole yen and groups the digits by three, as yen are written
 * in Japanese and English alike, whatever the locale.
 *
 * Returns: the amount with its sign: “¥17,850,000”
 */
char *
nt_format_yen (double amount)
{
  g_autofree char *digits = NULL;
  GString *out;
  gsize n;

  if (!isfinite (amount))
    return g_strdup ("¥—");
  digits = g_strdup_printf ("%.0f", fabs (amount));
  n = strlen (digits);
  out = g_string_sized_new (n + n / 3 + 4);
  if (amount < 0 && strcmp (digits, "0") != 0)
    g_string_append_c (out, '-');
  g_string_append (out, "¥");
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}
