#!/usr/bin/env bash
# Debian's Chromium and the CJK fonts the console's screens are tested with (`make test`, .ci/run).
# Installed with apt-get when missing (as root); the package lists are fetched only when the
# install cannot do without them. Playwright drives this Chromium: it never downloads a browser.
# The tests run its headless shell (chromium-headless-shell, built from the same Debian source as
# chromium): the browser Playwright itself runs headless, at two fifths of the CPU of `chromium
# --headless`. CHROMIUM=/usr/bin/chromium runs the tests in the full browser instead.
set -euo pipefail
# grep reads all of fc-list's output (no -q): an early exit would fail the pipe (pipefail).
cjk_font() { fc-list 2>/dev/null | grep -i 'Noto Sans CJK' >/dev/null; }
if ! command -v chromium >/dev/null || ! command -v chromium-headless-shell >/dev/null || ! cjk_font; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "install Chromium and the Noto CJK fonts (Debian: apt-get install chromium" \
         "chromium-headless-shell fonts-noto-cjk); without them the browser tests are skipped" >&2
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  packages=(chromium chromium-headless-shell fonts-noto-cjk)
  apt-get install -y --no-install-recommends "${packages[@]}" \
    || { apt-get update && apt-get install -y --no-install-recommends "${packages[@]}"; }
fi
command -v chromium chromium-headless-shell
cjk_font
