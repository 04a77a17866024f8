#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the Debian 12 packages that building, running and testing the
# NanoTerasu console need, but only those that are missing.
set -eu

packages=(
  build-essential meson ninja-build pkg-config gettext itstool
  libglib2.0-dev libglib2.0-dev-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libsqlite3-dev libical-dev libsecret-1-dev gnome-keyring
  desktop-file-utils appstream-util yelp-tools
  xvfb xauth dbus dbus-bin at-spi2-core
  adwaita-icon-theme hicolor-icon-theme librsvg2-common
  fonts-noto-cjk fonts-cantarell
  # the sanitizer build of run-tests.sh (gcc's runtimes)
  libasan8 libubsan1
  # build-aux/fuzz.sh: clang's libFuzzer and sanitizer runtimes
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  poppler-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
