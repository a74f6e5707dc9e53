#!/usr/bin/env bash
# Debian's Chromium (browser tests), a CJK font (Chinese renders as boxes without one), and
# nginx with Debian's brotli modules (the public tier: make serve-public, its tests and bench).
# `--serve`: only what `make serve-public` needs (nginx).
set -euo pipefail
missing=()
modules=/usr/lib/nginx/modules
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ -e $modules/ngx_http_brotli_filter_module.so ] || missing+=(libnginx-mod-http-brotli-filter)
[ -e $modules/ngx_http_brotli_static_module.so ] || missing+=(libnginx-mod-http-brotli-static)
if [ "${1:-}" != "--serve" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || missing+=(fonts-wqy-zenhei)
  fc-list 2>/dev/null | grep -qi "color emoji" || missing+=(fonts-noto-color-emoji)
fi
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
