#!/bin/sh
# Adds the gateway user for the compose setup once; the password goes through stdin, never argv.
set -eu
file=/data/users.json
if [ -f "$file" ] && node bin/jsm-pg.js user list --users-file "$file" | grep -qx "$JSM_PG_USER"; then
  exit 0
fi
printf '%s\n' "$JSM_PG_PASSWORD" | node bin/jsm-pg.js user add "$JSM_PG_USER" --users-file "$file"
