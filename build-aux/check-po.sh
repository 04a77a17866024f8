#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a language in po/LINGUAS has a message that is untranslated or
# fuzzy against the current sources (po/POTFILES.in), or does not compile.
set -eu
top=${1:-.}
cd "$top"

pot=$(mktemp)
trap 'rm -f "$pot" "$pot".*' EXIT

files=()
while read -r f; do
  case "$f" in ''|'#'*) continue ;; esac
  files+=("$f")
done < po/POTFILES.in

# Every source with a translatable string must be listed.
status=0
while read -r f; do
  if ! grep -qxF "$f" po/POTFILES.in; then
    echo "$f has translatable strings but is not listed in po/POTFILES.in"
    status=1
  fi
done < <( (grep -rlE '(^|[^A-Za-z0-9_])(N?C?_)\(' src --include='*.c'; \
           grep -rl 'translatable="yes"' src --include='*.ui') | sort)

# A format macro inside a translatable string (_("%" G_GINT64_FORMAT …))
# cuts the message short for xgettext, so it could never be translated.
if grep -rnE '_\("[^"]*"[[:space:]]*G_G?U?INT(64|SIZE)_FORMAT' src --include='*.c'; then
  echo "Translatable strings above use a G_*_FORMAT macro: use %lld with a (long long) cast."
  status=1
fi

# xgettext picks the right parser per file: C for .c, ITS rules for .ui,
# .desktop, metainfo and gschema files.
xgettext --from-code=UTF-8 --add-comments=Translators \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 --keyword=nt_ngettext:1,2 \
  --package-name=nanoterasu-console -o "$pot" "${files[@]}"

while read -r lang; do
  case "$lang" in ''|'#'*) continue ;; esac
  merged="$pot.$lang"
  msgmerge --quiet --no-fuzzy-matching -o "$merged" "po/$lang.po" "$pot"
  stats=$(msgfmt --check --statistics -o /dev/null "$merged" 2>&1)
  echo "$lang: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*)
      echo "po/$lang.po is not complete. Untranslated or fuzzy messages:"
      msgattrib --untranslated --only-fuzzy "$merged" 2>/dev/null | grep -E '^msgid' | head -40 || true
      msgattrib --untranslated "$merged" | grep -E '^msgid' | head -40 || true
      status=1
      ;;
  esac
done < po/LINGUAS
exit $status
