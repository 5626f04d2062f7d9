#!/bin/sh
# Run once by the postgres image on a new volume: the service's own role, neither a superuser nor BYPASSRLS, owning
# its database, so that row-level security (forced on the children's tables) holds for it.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v password="$PLACEWISE_DB_PASSWORD" <<'SQL'
CREATE ROLE placewise LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD :'password';
CREATE DATABASE placewise OWNER placewise;
REVOKE ALL ON DATABASE placewise FROM PUBLIC;
SQL
