#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Renders the console's own symbolic icons (src/gui/icons/scalable/actions/*.svg,
# the sources) to the .symbolic.png files the resource bundle ships, at 16 and
# 32 px (32 for a scale-2 screen).  GTK recolours a .symbolic.png as it does
# an SVG, but loads it without librsvg: the sidebar's icons are drawn at start,
# and SVG ones would load librsvg (about 7 MiB resident) for three pictures.
# Run it after changing an icon's SVG, and commit the PNGs.  Needs
# gtk4-encode-symbolic-svg (Debian: libgtk-4-bin).
set -euo pipefail
cd "$(dirname "$0")/../src/gui/icons"
for size in 16 32; do
  mkdir -p "${size}x${size}/actions"
  for svg in scalable/actions/*.svg; do
    gtk4-encode-symbolic-svg -o "${size}x${size}/actions" "$svg" "${size}x${size}"
  done
done
