#!/bin/sh
# Runs once, when the primary's volume is first initialized: lets the replica stream from it.
set -eu
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
