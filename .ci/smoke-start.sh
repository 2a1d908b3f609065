#!/usr/bin/env bash
# Proves the README's first command on the embedded path: `npm start` with no DATABASE_URL
# answers a GraphQL query within 30 s, and SIGTERM stops it and its PostgreSQL cleanly.
set -euo pipefail
data_dir=$(mktemp -d)
# A port the system hands out as free (a random one could be a service's, such as a message
# broker's 25672).
port=$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
log=$(mktemp)
trap 'rm -rf "$data_dir" "$log"' EXIT

env -u DATABASE_URL CUENTA_DATA_DIR="$data_dir" PORT="$port" npm start >"$log" 2>&1 &
pid=$!
started=$(date +%s)
until body=$(curl -sf -X POST -H 'content-type: application/json' \
  -d '{"query":"{ health { status eventStore { head } } }"}' "http://127.0.0.1:$port/graphql"); do
  if ! kill -0 "$pid" 2>/dev/null || (( $(date +%s) - started > 30 )); then
    echo "npm start did not answer GraphQL within 30 s:"; cat "$log"; kill "$pid" 2>/dev/null || true; exit 1
  fi
  sleep 0.5
done
echo "npm start answered after $(( $(date +%s) - started )) s: $body"
grep -q '"status":"ok"' <<<"$body"

# npm runs the server as a grandchild: signal the process that listens on our port.
server=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
[ -n "$server" ] || { echo "no process listens on port $port"; exit 1; }
kill -TERM "$server"
wait "$pid" || true
grep -q "SIGTERM received: stopping" "$log" || { echo "the server did not see SIGTERM:"; cat "$log"; exit 1; }
if [ -e "$data_dir/postgres/postmaster.pid" ]; then
  echo "the embedded PostgreSQL was left running after SIGTERM:"; cat "$log"; exit 1
fi
echo "SIGTERM stopped the API and its embedded PostgreSQL"
