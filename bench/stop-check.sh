#!/usr/bin/env bash
# A graceful stop of a stock Tomcat 10.1 running tokenauth on its default embedded Derby must log no SEVERE
# line (issue 13 item 6). Unpacks Tomcat, deploys the WAR as ROOT, drives the database from many request
# threads, optionally redeploys the context, stops Tomcat and counts the SEVERE and WARNING lines logged at
# stop (and at the redeploy). Exits 1 if any SEVERE line was logged after start-up.
#
#   bench/stop-check.sh                     # WAR=target/tokenauth.war, ports 19080/19005
#   REDEPLOY=1 bench/stop-check.sh          # also touch ROOT.war and wait for the context to come back
#   WRK_SECONDS=10 bench/stop-check.sh      # also measure whoami and create_token with wrk before stopping,
#                                           # with the validation cache off, so that each whoami reads the database
#   STOP_HTTP_PORT=19180 STOP_SHUTDOWN_PORT=19105 WORK=/tmp/other bench/stop-check.sh
set -euo pipefail

repo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
war=${WAR:-$repo_dir/target/tokenauth.war}
version=${TOMCAT_VERSION:-10.1.59}
zip=${TOMCAT_ZIP:-$HOME/.m2/repository/org/apache/tomcat/tomcat/$version/tomcat-$version.zip}
work=${WORK:-/tmp/stop-tomcat}
http_port=${STOP_HTTP_PORT:-19080}
shutdown_port=${STOP_SHUTDOWN_PORT:-19005}
rounds=${ROUNDS:-8}
password=stop-check-admin-password
base=http://localhost:$http_port

die() { echo "ERROR: $*" >&2; exit 2; }
[ -f "$war" ] || die "no WAR at $war (mvn -B -q -DskipTests package)"
[ -f "$zip" ] || die "no Tomcat zip at $zip"
! (exec 3<>"/dev/tcp/localhost/$http_port") 2>/dev/null || die "port $http_port is already in use"

rm -rf "$work"
mkdir -p "$work"
unzip -q "$zip" -d "$work"
home=$work/apache-tomcat-$version
chmod +x "$home"/bin/*.sh
rm -rf "$home/webapps/ROOT" "$home/webapps/examples" "$home/webapps/docs"
sed -i -e "s/port=\"8080\"/port=\"$http_port\"/" -e "s/port=\"8005\"/port=\"$shutdown_port\"/" "$home/conf/server.xml"
cp "$war" "$home/webapps/ROOT.war"
export CATALINA_HOME=$home CATALINA_BASE=$home CATALINA_PID=$work/tomcat.pid
export CATALINA_OPTS="-Dtokenauth.admin.password=$password -Dtokenauth.data.dir=$work/data -Dtokenauth.password.iterations=1000 -Dtokenauth.token.limit=100000000 ${EXTRA_OPTS:-}"
if [ -n "${WRK_SECONDS:-}" ]; then
  CATALINA_OPTS="$CATALINA_OPTS -Dtokenauth.token.cache.ttl=0 -Dtokenauth.throttle.token.address=0"
fi
log=$home/logs/catalina.out

wait_up() {
  for _ in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" = 200 ] && return 0
    sleep 0.5
  done
  die "tokenauth did not come up; see $log"
}

session() { # log in, create a token with the session and one with the token, use and revoke them
  local jar token second
  jar=$(mktemp)
  curl -s -o /dev/null -c "$jar" -b "$jar" -d "username=admin" --data-urlencode "password=$password" "$base/login"
  token=$(curl -s -b "$jar" -X POST "$base/api/create_token" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
  [ -n "$token" ] || { rm -f "$jar"; return 1; }
  second=$(curl -s -X POST -H "Authorization: Token $token" "$base/api/create_token" \
    | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
  for t in "$token" "$second" "$token"; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Token $t" "$base/api/whoami")" = 200 ] \
      || { rm -f "$jar"; return 1; }
  done
  curl -s -o /dev/null -H "Authorization: Token $second" -H "Content-Type: application/json" -X POST \
    -d "{\"token\":\"$token\"}" "$base/api/revoke_token"
  curl -s -o /dev/null -H "Authorization: Token $second" -H "Content-Type: application/json" -X POST \
    -d "{\"token\":\"$second\"}" "$base/api/revoke_token"
  rm -f "$jar"
}

drive() { # many sessions at once, so that many of Tomcat's request threads use the database
  local pids=()
  session || die "a login/create_token/whoami round failed against $base"
  for _ in $(seq 1 "$rounds"); do
    session & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || die "a login/create_token/whoami round failed against $base"; done
}

"$home/bin/catalina.sh" start >/dev/null
wait_up
drive
if [ -n "${WRK_SECONDS:-}" ]; then
  jar=$(mktemp)
  curl -s -o /dev/null -c "$jar" -b "$jar" -d "username=admin" --data-urlencode "password=$password" "$base/login"
  token=$(curl -s -b "$jar" -X POST "$base/api/create_token" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
  rm -f "$jar"
  wrk -t2 -c32 -d5 -H "Authorization: Token $token" "$base/api/whoami" >/dev/null # warm-up
  for round in 1 2 3; do
    echo "whoami, cache off (one database read per request), round $round:"
    wrk -t2 -c32 -d"$WRK_SECONDS" --latency -H "Authorization: Token $token" "$base/api/whoami" \
      | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx'
    echo "create_token with a token, 8 connections, round $round:"
    wrk -t2 -c8 -d"$WRK_SECONDS" --latency -s <(printf 'wrk.method = "POST"\n') \
      -H "Authorization: Token $token" "$base/api/create_token" | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx'
  done
fi
started=$(wc -l <"$log")
if [ "${REDEPLOY:-0}" = 1 ]; then
  sleep 1
  touch "$home/webapps/ROOT.war"
  for _ in $(seq 1 60); do grep -q 'Undeploying\|Reloading' "$log" && grep -c 'Database open' "$log" | grep -q 2 && break; sleep 1; done
  wait_up
  drive
fi
"$home/bin/catalina.sh" stop 30 -force >/dev/null 2>&1 || true

echo "Lines logged after start-up, in $log:"
tail -n +"$((started + 1))" "$log" | grep -E 'SEVERE|WARNING' || true
severe=$(tail -n +"$((started + 1))" "$log" | grep -c 'SEVERE' || true)
warning=$(tail -n +"$((started + 1))" "$log" | grep -c 'WARNING' || true)
echo "SEVERE: $severe  WARNING: $warning"
[ "$severe" = 0 ]
