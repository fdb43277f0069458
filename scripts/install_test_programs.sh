#!/usr/bin/env bash
# Install the real programs the tests talk to, when missing and when this machine can:
# Chromium (browser tests), Dovecot (IMAP inbox sync), NSD (DNS benchmark).
# Tests that need a missing one are skipped locally with the reason, and fail in CI.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
[ -x /usr/sbin/nsd ] || need+=(nsd)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} (for the tests)…"
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
    || echo "Could not install ${need[*]}: the tests that need them will be skipped."
else
  echo "Missing ${need[*]}: install them (apt-get install ${need[*]}) to run every test."
fi
exit 0
