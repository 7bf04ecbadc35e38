#!/bin/sh
# /usr/local/bin/postern on the image: the CLI with the box's configuration, always as the postern
# user (so that files it creates in the data folder stay readable by the service).
export POSTERN_CONFIG="${POSTERN_CONFIG:-/etc/postern/config.json}"
# Except `postern update ...` run by root: installing a release writes /opt/postern and restarts
# postern.service (as postern-update.service does); its steps on mail data drop to postern by themselves.
if [ "$(id -u)" -eq 0 ] && [ "${1:-}" = update ]; then
  exec /opt/postern/current/runtime/bin/node /opt/postern/current/bin/postern.js "$@"
fi
if [ "$(id -u)" -eq 0 ]; then
  exec setpriv --reuid=postern --regid=postern --init-groups --inh-caps=-all -- /opt/postern/current/runtime/bin/node /opt/postern/current/bin/postern.js "$@"
fi
exec /opt/postern/current/runtime/bin/node /opt/postern/current/bin/postern.js "$@"
