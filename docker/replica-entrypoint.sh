#!/bin/sh
# A streaming replica of the `db` service: on an empty volume, copy the primary with pg_basebackup
# (which writes the standby settings), then run PostgreSQL as a hot standby.
set -eu
mkdir -p "$PGDATA"
chown postgres:postgres "$PGDATA"
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until gosu postgres pg_basebackup -h db -U "$POSTGRES_USER" -D "$PGDATA" -R -X stream; do
    echo "waiting for the primary to accept a base backup"
    sleep 2
  done
fi
exec gosu postgres postgres -c hot_standby=on
