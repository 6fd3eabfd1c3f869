#!/usr/bin/env bash
# Make sure the system packages the test suite needs are present:
#   QGIS 3.22 (qgis, python3-qgis, qgis-providers) for the PyQGIS / qgis_process tests,
#   chromium for the headless web-map tests, fonts-noto-cjk so Chinese labels render in
#   static maps, poppler-utils (pdftoppm) to look at PDFs, xvfb for desktop screenshots.
# When a package is missing and we are root on Debian/Ubuntu, install it with apt-get;
# otherwise print the exact command to run and fail.
set -euo pipefail
pkgs=(qgis python3-qgis qgis-providers chromium fonts-noto-cjk poppler-utils xvfb xauth)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${pkgs[*]}"
  exit 0
fi
echo "missing system packages: ${missing[*]}"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Install them first, e.g.: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
