#!/bin/sh
# Start PostgreSQL for deploy/compose.yaml; on first start make the cluster, the paperbot user
# and its database.
set -e
PGPORT="${PGPORT:-5433}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb --auth=trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  pg_ctl -w -o "-c listen_addresses= -p $PGPORT" start >/dev/null
  psql -q -p "$PGPORT" -U postgres -c "CREATE USER paperbot" -c "CREATE DATABASE paperbot OWNER paperbot"
  pg_ctl -w stop >/dev/null
fi
exec postgres -c listen_addresses=127.0.0.1 -p "$PGPORT"
