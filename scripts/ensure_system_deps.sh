#!/usr/bin/env bash
# Debian's Chromium (browser tests) and a CJK font (Chinese renders as boxes without one).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || missing+=(fonts-wqy-zenhei)
fc-list 2>/dev/null | grep -qi "color emoji" || missing+=(fonts-noto-color-emoji)
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get update && apt-get install -y ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive bash -c "$cmd"
else
  echo "Missing system packages: ${missing[*]}. Run as root:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi
