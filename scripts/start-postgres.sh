#!/usr/bin/env bash
# Start Debian's PostgreSQL cluster on 127.0.0.1 and create the test role and database (idempotent).
set -euo pipefail
ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q "^$ver main"; then
  pg_createcluster "$ver" main >/dev/null
fi
conf="/etc/postgresql/$ver/main/postgresql.conf"
grep -q "^listen_addresses = '127.0.0.1'" "$conf" || echo "listen_addresses = '127.0.0.1'" >> "$conf"
pg_ctlcluster "$ver" main start 2>/dev/null || pg_ctlcluster "$ver" main status >/dev/null
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sourcetrace') THEN
    CREATE ROLE sourcetrace LOGIN PASSWORD 'sourcetrace' CREATEDB;
  END IF;
END $$;
SQL
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='sourcetrace_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O sourcetrace sourcetrace_test"
echo "postgres $ver ready on 127.0.0.1:5432"
