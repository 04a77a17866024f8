#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the help and its translations.
#
#   check-help.sh validate HELPDIR   the pages in HELPDIR/C, and each language
#                                    in HELPDIR/LINGUAS merged from its .po by
#                                    itstool, are valid Mallard (yelp-check)
#   check-help.sh complete HELPDIR   each language's .po translates every
#                                    message of the current pages: nothing
#                                    untranslated, nothing fuzzy, and it compiles
#
# The pages are the ones listed in HELPDIR/meson.build (help_pages).
set -eu

mode=$1
help=$2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pages=$(sed -n "/^help_pages = \[/,/^\]/s/^ *'\([^']*\)',.*/\1/p" "$help/meson.build")
if [ -z "$pages" ]; then
  echo "no help_pages found in $help/meson.build"
  exit 1
fi
sources=
for p in $pages; do
  sources="$sources $help/C/$p"
done

langs=$(sed -e 's/#.*//' "$help/LINGUAS")

status=0
case "$mode" in
  validate)
    yelp-check validate "$help/C" || status=1
    for l in $langs; do
      mkdir -p "$tmp/$l"
      msgfmt -o "$tmp/$l.mo" "$help/$l/$l.po"
      # itstool keeps the English of a message whose translation it cannot
      # merge (broken markup) and only warns: that is a failure here.
      # shellcheck disable=SC2086
      if ! itstool -m "$tmp/$l.mo" --lang "$l" -o "$tmp/$l/" $sources > "$tmp/itstool.log" 2>&1 ||
         grep -q . "$tmp/itstool.log"; then
        cat "$tmp/itstool.log"
        echo "itstool could not merge every message of $help/$l/$l.po into the pages"
        status=1
      fi
      if ! yelp-check validate "$tmp/$l"; then
        echo "the $l pages merged from $help/$l/$l.po are not valid Mallard"
        status=1
      fi
    done
    ;;

  complete)
    # shellcheck disable=SC2086
    itstool -o "$tmp/help.pot" $sources
    for l in $langs; do
      msgmerge --quiet -o "$tmp/$l.po" "$help/$l/$l.po" "$tmp/help.pot"
      if ! msgfmt --check -o /dev/null "$tmp/$l.po"; then
        echo "$help/$l/$l.po does not compile"
        status=1
        continue
      fi
      stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/$l.po" 2>&1)
      echo "$l: $stats"
      case "$stats" in
        *fuzzy*|*untranslated*)
          echo "$help/$l/$l.po is not complete against the current pages; these messages need a translation:"
          msgattrib --only-fuzzy --no-obsolete "$tmp/$l.po" | sed '1,/^$/d' | head -60
          msgattrib --untranslated --no-obsolete "$tmp/$l.po" | sed '1,/^$/d' | head -60
          echo "(update it with: ninja help-nanoterasu-console-update-po, then translate)"
          status=1
          ;;
      esac
    done
    ;;

  *)
    echo "usage: $0 validate|complete HELPDIR"
    exit 2
    ;;
esac

exit $status
