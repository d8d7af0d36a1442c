#!/usr/bin/env bash
# Start the local PostgreSQL and MariaDB servers the tests use, if they are not running.
# Commands are the ones this machine kind documents; each is a no-op when the server is up.
set -euo pipefail
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
fi
if ! mysqladmin -uroot -h127.0.0.1 ping >/dev/null 2>&1; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p 5432 && mysqladmin -uroot -h127.0.0.1 ping >/dev/null 2>&1 && exit 0
  sleep 1
done
echo "ensure-services: PostgreSQL or MariaDB did not come up on 127.0.0.1" >&2
exit 1
