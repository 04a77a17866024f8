#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up everything and runs the console from the build directory: installs
# the Debian packages that are missing, builds, and starts
# nanoterasu-console with its settings schema, so nothing needs installing.
# Arguments are passed to the console (for example --facility URL).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
builddir=${BUILDDIR:-_build/run}

bash build-aux/install-deps.sh

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir"
fi
ninja -C "$builddir"

export GSETTINGS_SCHEMA_DIR="$top/$builddir/data"
export NT_LOCALEDIR="$top/$builddir/po"
exec "$builddir/src/nanoterasu-console" "$@"
