#!/bin/sh
# Writes PgBouncer's configuration from the environment, then runs it in the foreground.
set -eu
dir=/tmp/pgbouncer
mkdir -p "$dir"
printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" > "$dir/users.txt"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=$DB_HOST port=5432
[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
unix_socket_dir = $dir
auth_type = plain
auth_file = $dir/users.txt
pool_mode = transaction
max_client_conn = 2000
default_pool_size = ${POOL_SIZE:-40}
ignore_startup_parameters = extra_float_digits,options,application_name
INI
exec pgbouncer "$dir/pgbouncer.ini"
