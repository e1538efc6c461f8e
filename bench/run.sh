#!/usr/bin/env bash
# Throughput and latency of tokenauth's token check on a stock Tomcat 10.1, measured with wrk against a trivial
# servlet on the same server (the baseline), then on a large token table, then create_token against the disk's
# own commit rate, then on PostgreSQL. Not part of `mvn verify`. Usage, settings and output: bench/README.md.
#
#   bench/run.sh                 # full run (10 to 15 minutes on two cores)
#   QUICK=1 bench/run.sh         # try it out: 2 s per run, 1 round, 10^4 rows (about 4 minutes)
#   WAR=target/tokenauth.war DURATION=15 ROUNDS=3 bench/run.sh
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$bench_dir")

# ---------------------------------------------------------------------------------------------------------------
# Settings. QUICK only changes defaults: an explicit DURATION or ROUNDS still wins.
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  DURATION=${DURATION:-2} ROUNDS=${ROUNDS:-1} large_rows_default=10000 warmup_default=1
else
  DURATION=${DURATION:-8} ROUNDS=${ROUNDS:-2} large_rows_default=1000000 warmup_default=5
fi
small_rows=${BENCH_SMALL_ROWS:-1000}
large_rows=${BENCH_LARGE_ROWS:-$large_rows_default}
warmup=${BENCH_WARMUP:-$warmup_default}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
# create_token with a single user's token: fewer connections, since the application serialises one owner's
# creations (it locks the owner's row) and more would only queue.
create_one_connections=8
work=${BENCH_WORK_DIR:-$bench_dir/target}
# Apart from 8080 (and from the integration tests' 18080-18943, 18432), so that the benchmark runs beside both.
http_port=${BENCH_HTTP_PORT:-18090}
shutdown_port=${BENCH_SHUTDOWN_PORT:-18091}
pg_port=${BENCH_PG_PORT:-18632}
# Extra context parameters for tokenauth, "name=value ..." (BENCH_CONTEXT_PARAMS= for none: all defaults).
# The failed-token throttle (30 per client address in 3 minutes) would answer the refused cases, all from 127.0.0.1,
# with 429 after their first 30 requests: the benchmark measures the token check, so it is off unless asked for.
context_params=${BENCH_CONTEXT_PARAMS-tokenauth.throttle.token.address=0}

admin_password=bench-admin-password
pg_password=bench-pg-password
basic_user=bench basic_password=bench-basic-password # as in webapp/bench-users.xml
user_count=100
bulk_owners=1000

die() {
  echo "ERROR: $*" >&2
  exit 1
}

log() {
  printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"
}

positive() { # VARIABLE-NAME VALUE
  [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a whole number above 0, not '$2'"
}
positive DURATION "$DURATION"
positive ROUNDS "$ROUNDS"
positive BENCH_SMALL_ROWS "$small_rows"
positive BENCH_LARGE_ROWS "$large_rows"
positive BENCH_THREADS "$threads"
positive BENCH_CONNECTIONS "$connections"
positive BENCH_HTTP_PORT "$http_port"
positive BENCH_SHUTDOWN_PORT "$shutdown_port"
positive BENCH_PG_PORT "$pg_port"
[[ $warmup =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a whole number of seconds (0 for none), not '$warmup'"
param_pattern='^tokenauth\.[a-z.]+=[^"<>&]*$'
for param in $context_params; do
  [[ $param =~ $param_pattern ]] ||
    die "BENCH_CONTEXT_PARAMS: '$param' is not tokenauth.<setting>=<value> (no quotes, <, > or &)"
done
[ "$small_rows" -lt "$large_rows" ] || die "BENCH_SMALL_ROWS ($small_rows) must be below BENCH_LARGE_ROWS ($large_rows)"

mkdir -p "$work"
work=$(cd "$work" && pwd)
stamp=$(date +%Y%m%d-%H%M%S)
results=$work/results-$stamp.txt
logs=$work/logs
tomcat_pid_file=$work/tomcat.pid
data_dir=$work/data
tokens_dir=$work/tokens
downloads=$work/downloads
pg_dir=$work/pg
pg_script=$repo_dir/src/test/postgresql/server.sh
base=http://127.0.0.1:$http_port
tsv=$work/results-$stamp.tsv # one line per measurement, for the summary

# Everything the script prints also goes to the results file.
exec > >(tee "$results") 2>&1

# Settings in the environment (TOKENAUTH_DATA_DIR, ...) would override the context parameters this script sets.
while read -r variable; do
  unset "$variable"
done < <(compgen -e | grep '^TOKENAUTH_' || true)

for command in java javac mvn curl unzip sed awk sort base64; do
  command -v "$command" >/dev/null || die "'$command' is needed and not on the PATH"
done

# ---------------------------------------------------------------------------------------------------------------
# Tomcat start and stop. A pid file in the work directory (outside the Tomcat that each run unpacks anew) finds
# the Tomcat of an earlier, interrupted run.

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True when the pid file names a live process that is a Tomcat of this work directory (not a reused pid).
tomcat_alive() {
  local pid command_line
  [ -s "$tomcat_pid_file" ] || return 1
  pid=$(cat "$tomcat_pid_file")
  kill -0 "$pid" 2>/dev/null || return 1
  command_line=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $command_line == *"$work/tomcat/"* ]]
}

stop_tomcat() {
  local pid i
  tomcat_alive || {
    rm -f "$tomcat_pid_file"
    return 0
  }
  pid=$(cat "$tomcat_pid_file")
  # catalina.sh stop through the shutdown port, killing the process if it has not ended after 60 s.
  if [ -n "${catalina_home:-}" ] && [ -x "$catalina_home/bin/catalina.sh" ]; then
    CATALINA_HOME=$catalina_home CATALINA_BASE=$catalina_home CATALINA_PID=$tomcat_pid_file \
      "$catalina_home/bin/catalina.sh" stop 60 -force >>"$logs/catalina-stop.log" 2>&1 || true
  fi
  # A leftover whose Tomcat directory is already gone, or a stop that did not go through: by its pid.
  for i in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    [ "$i" = 1 ] && kill "$pid" 2>/dev/null
    sleep 1
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  rm -f "$tomcat_pid_file"
}

start_tomcat() {
  local i status_bench status_app
  for port in "$http_port" "$shutdown_port"; do
    ! port_in_use "$port" || die "port $port is in use by another process (set BENCH_HTTP_PORT/BENCH_SHUTDOWN_PORT)"
  done
  : >"$catalina_home/logs/catalina.out"
  CATALINA_HOME=$catalina_home CATALINA_BASE=$catalina_home CATALINA_PID=$tomcat_pid_file \
    JAVA_OPTS="-Xmx1g" CATALINA_OPTS="${BENCH_CATALINA_OPTS:-}" \
    "$catalina_home/bin/catalina.sh" start >>"$logs/catalina-start.log" 2>&1 ||
    die "catalina.sh start failed, see $logs/catalina-start.log"
  # Up when both applications answer: the bench servlet, and tokenauth's login form (404 until it deployed).
  for i in $(seq 1 180); do
    status_bench=$(curl -s -o /dev/null -w '%{http_code}' "$base/bench/ok" || true)
    status_app=$(curl -s -o /dev/null -w '%{http_code}' "$base/login" || true)
    [ "$status_bench" = 200 ] && [ "$status_app" = 200 ] && return 0
    if ! tomcat_alive; then
      tail -n 40 "$catalina_home/logs/catalina.out" >&2 || true
      die "Tomcat ended during start-up (log above, all of it in $catalina_home/logs/)"
    fi
    sleep 1
  done
  tail -n 40 "$catalina_home/logs/catalina.out" >&2 || true
  die "Tomcat did not answer within 180 s (/bench/ok: $status_bench, /login: $status_app); logs in $catalina_home/logs/"
}

pg_running=0
cleanup() {
  local rc=$?
  set +e
  stop_tomcat
  if [ "$pg_running" = 1 ]; then
    bash "$pg_script" stop "$pg_dir" "$pg_port" >>"$logs/postgresql.log" 2>&1
  fi
  if [ "$rc" != 0 ]; then
    echo "FAILED (exit status $rc). Logs: $logs/ and ${catalina_home:-the Tomcat}/logs/"
  fi
  echo "Full output: $results"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
# HTTP helpers.

# api METHOD PATH EXPECTED_STATUS [curl options...]: prints the body; stops the run on any other status.
api() {
  local method=$1 path=$2 expected=$3 out status
  shift 3
  out=$(curl -sS -X "$method" -w '\n%{http_code}' "$@" "$base$path") || die "curl $method $path failed"
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  [ "$status" = "$expected" ] || die "$method $path answered $status (expected $expected): $out"
  printf '%s\n' "$out"
}

# The string field NAME of a one-line JSON object on stdin.
json_field() {
  sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p"
}

checked_token() {
  [[ $1 =~ ^tka_[0-9A-Za-z]{49}$ ]] || die "create_token gave no token of the expected format: '$1'"
  printf '%s\n' "$1"
}

login_admin() {
  rm -f "$tokens_dir/admin.cookies"
  api POST /login 303 -c "$tokens_dir/admin.cookies" -d username=admin --data-urlencode "password=$admin_password" \
    >/dev/null
}

# Tokens of the cases, made over the API as a client would: a valid one (the admin's), one revoked, one expired.
prepare_tokens() {
  local reply
  login_admin
  reply=$(api POST /api/create_token 200 -b "$tokens_dir/admin.cookies")
  valid_token=$(checked_token "$(json_field token <<<"$reply")")
  reply=$(api POST /api/create_token 200 -H "Authorization: Token $valid_token")
  revoked_token=$(checked_token "$(json_field token <<<"$reply")")
  api POST /api/revoke_token 200 -H "Authorization: Token $valid_token" -H 'Content-Type: application/json' \
    -d "{\"token\": \"$revoked_token\"}" >/dev/null
  # A GET, which every version reads: up to d3429f1 a POST without a body ignored the query's expires_in
  # (bench/README.md, "Notes"), hence also the check that the token does expire.
  reply=$(api GET "/api/create_token?expires_in=1" 200 -H "Authorization: Token $valid_token")
  [ "$(json_field expires_at <<<"$reply")" != "" ] || die "create_token with expires_in=1 made a token that never expires: $reply"
  expired_token=$(checked_token "$(json_field token <<<"$reply")")
  printf '%s\n' "$valid_token" >"$tokens_dir/valid.txt"
}

# Waits until the token made with expires_in=1 is refused.
wait_until_expired() {
  local i
  for i in $(seq 1 20); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Token $expired_token" "$base/api/whoami")" = 401 ] &&
      return 0
    sleep 0.5
  done
  die "the token created with expires_in=1 still works after 10 s"
}

# The same token with its last character (part of the checksum) changed.
bad_checksum_of() {
  local last=${1: -1}
  printf '%s%s\n' "${1%?}" "$([ "$last" = a ] && echo b || echo a)"
}

# 100 users (created as admin; each costs the server a password hash, so two at a time on two cores), and a
# token for each, created by the admin acting as that user (no password check: one hash per user, not two).
prepare_users() {
  local i name pid pids=() reply
  for i in $(seq 1 "$user_count"); do
    name=$(printf 'bench-user-%03d' "$i")
    api POST /api/users 201 -H "Authorization: Token $valid_token" -H 'Content-Type: application/json' \
      -d "{\"username\": \"$name\", \"password\": \"password-of-$name\", \"admin\": false}" >/dev/null &
    pids+=($!)
    if [ "${#pids[@]}" = 2 ] || [ "$i" = "$user_count" ]; then
      for pid in "${pids[@]}"; do
        wait "$pid" || die "creating the users failed (message above)"
      done
      pids=()
    fi
  done
  : >"$tokens_dir/users.txt"
  for i in $(seq 1 "$user_count"); do
    name=$(printf 'bench-user-%03d' "$i")
    api POST /api/act_as 200 -b "$tokens_dir/admin.cookies" -c "$tokens_dir/admin.cookies" \
      -H 'Content-Type: application/json' -d "{\"username\": \"$name\"}" >/dev/null
    reply=$(api POST /api/create_token 200 -b "$tokens_dir/admin.cookies" -c "$tokens_dir/admin.cookies")
    checked_token "$(json_field token <<<"$reply")" >>"$tokens_dir/users.txt"
    api POST /api/act_as/stop 200 -b "$tokens_dir/admin.cookies" -c "$tokens_dir/admin.cookies" >/dev/null
  done
  head -n 1 "$tokens_dir/users.txt" >"$tokens_dir/one-user.txt"
  # The first and the last user's token name their owners.
  reply=$(api GET /api/whoami 200 -H "Authorization: Token $(head -n 1 "$tokens_dir/users.txt")")
  [ "$(json_field user <<<"$reply")" = bench-user-001 ] || die "the first user's token is not bench-user-001's: $reply"
  reply=$(api GET /api/whoami 200 -H "Authorization: Token $(tail -n 1 "$tokens_dir/users.txt")")
  [ "$(json_field user <<<"$reply")" = "$name" ] || die "the last user's token is not $name's: $reply"
}

# ---------------------------------------------------------------------------------------------------------------
# The cases: what each requests, with which Authorization header, and which status it must get.
declare -A case_label case_path case_auth case_status case_connections
define_case() { # key label path expected-status authorization-header-value
  case_label[$1]=$2 case_path[$1]=$3 case_status[$1]=$4 case_auth[$1]=$5 case_connections[$1]=$connections
}

define_cases() {
  define_case baseline "unguarded servlet (baseline)" /bench/ok 200 ""
  # No work either, but tokenauth's answer to a refused token: what the container charges for that answer's shape.
  define_case shaped "unguarded servlet, tokenauth's 401" /bench/refusal 401 ""
  define_case basic "BASIC servlet" /bench/basic/ok 200 "Basic $(printf '%s:%s' "$basic_user" "$basic_password" | base64)"
  define_case valid "valid token, GET /api/whoami" /api/whoami 200 "Token $valid_token"
  define_case malformed "malformed header" /api/whoami 401 "Token not-a-token"
  define_case badsum "bad checksum" /api/whoami 401 "Token $(bad_checksum_of "$valid_token")"
  define_case unknown "unknown well-formed token" /api/whoami 401 "Token $unknown_token"
  define_case revoked "revoked token" /api/whoami 401 "Token $revoked_token"
  define_case expired "expired token" /api/whoami 401 "Token $expired_token"
  # create_token: the token comes from a file read by lua/spread.lua, one token or the 100 users' ones.
  define_case create_one "create_token, one user's token" /api/create_token 200 ""
  case_connections[create_one]=$create_one_connections
  define_case create_spread "create_token, over $user_count users" /api/create_token 200 ""
  # The filter's remote mode (the remote phase only): src/sample asking this Tomcat's tokenauth about the token.
  define_case remote_warm "remote mode, cache on (ttl 1 s)" /orders/api/orders 200 "Token $valid_token"
  define_case remote_off "remote mode, cache off (ttl 0)" /orders-uncached/api/orders 200 "Token $valid_token"
  # With the failed-token throttle on (the throttled phase only): an address that used up its allowance.
  define_case throttled "throttled address (429)" /api/whoami 429 "Token $(bad_checksum_of "$valid_token")"
}
# The ceiling each create_token case is measured against: one owner's creations are serialised by its row lock, so
# theirs is a single connection's commit rate; spread over users, as many connections as wrk has.
declare -A case_ceiling_threads=([create_one]=1 [create_spread]=$connections)

# One request per case before measuring: a case answering another status is a broken setup, not a figure.
# A 429 is the application's throttle of failed token attempts per client address (every request here comes from
# 127.0.0.1): after a refused case it refuses every token for a few seconds. The check waits that out (the
# answer's Retry-After) rather than stop the run; the measured lines then show how many answers were 429s.
throttle_noted=0
check_case() {
  local key=$1 status token_file attempt wait
  local -a auth=()
  if [[ $key == create_* ]]; then
    token_file=$tokens_dir/$([ "$key" = create_one ] && echo one-user || echo users).txt
    auth=(-X POST -H "Authorization: Token $(head -n 1 "$token_file")")
  elif [ -n "${case_auth[$key]}" ]; then
    auth=(-H "Authorization: ${case_auth[$key]}")
  fi
  for attempt in 1 2 3 4 5 6; do
    status=$(curl -s -D "$logs/check-$key.headers" -o "$logs/check-$key.body" -w '%{http_code}' "${auth[@]}" \
      "$base${case_path[$key]}" || true)
    if [ "$status" != 429 ] || [ "${case_status[$key]}" = 429 ] || [ "$attempt" = 6 ]; then
      break
    fi
    wait=$(sed -n 's/^[Rr]etry-[Aa]fter: *\([0-9]*\).*/\1/p' "$logs/check-$key.headers")
    wait=$((${wait:-5} > 0 ? ${wait:-5} : 1))
    if [ "$throttle_noted" = 0 ]; then
      throttle_noted=1
      echo "  NOTE: '${case_label[$key]}' answered 429: the application throttles failed token attempts per client"
      echo "        address, so the refused cases partly measure the throttle (their lines show the 429s); waiting"
      echo "        it out before each case. BENCH_CONTEXT_PARAMS=tokenauth.throttle.token.address=0 measures without."
    fi
    sleep "$wait"
  done
  [ "$status" = "${case_status[$key]}" ] ||
    die "case '${case_label[$key]}' answered $status, expected ${case_status[$key]}: $(head -c 300 "$logs/check-$key.body")"
}

# run_wrk KEY SECONDS LOG: one wrk run of a case; prints its BENCHRESULT line.
run_wrk() {
  local key=$1 seconds=$2 out=$3
  local -a args=(-t "$threads" -c "${case_connections[$key]}" -d "${seconds}s" --timeout 10s --latency)
  case $key in
    create_one | create_spread)
      args+=(-s "$bench_dir/lua/spread.lua" "$base${case_path[$key]}" -- "${case_status[$key]}"
        "$tokens_dir/$([ "$key" = create_one ] && echo one-user || echo users).txt" "$threads")
      ;;
    *)
      args+=(-s "$bench_dir/lua/status.lua")
      [ -z "${case_auth[$key]}" ] || args+=(-H "Authorization: ${case_auth[$key]}")
      args+=("$base${case_path[$key]}" -- "${case_status[$key]}")
      ;;
  esac
  wrk "${args[@]}" >"$out" 2>&1 || die "wrk failed on '${case_label[$key]}': $(tail -n 5 "$out")"
  grep '^BENCHRESULT' "$out" || die "wrk gave no result line on '${case_label[$key]}', see $out"
}

# The server's CPU time so far (user + system, all its threads), in clock ticks: read before and after a run, it
# gives the CPU each request cost the server, a figure that the machine's other load disturbs far less than req/s.
clock_ticks_per_second=$(getconf CLK_TCK)
server_cpu_ticks() {
  local pid stat
  pid=$(cat "$tomcat_pid_file" 2>/dev/null) && stat=$(cat "/proc/$pid/stat" 2>/dev/null) || {
    echo 0
    return
  }
  # After the command (in parentheses, which may hold spaces): field 14 utime and 15 stime are the 12th and 13th.
  awk '{ print $12 + $13 }' <<<"${stat##*) }"
}

field() { # field NAME LINE
  sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

declare -A baseline_rps baseline_cpu
# measure PHASE ROUND KEY: one measured run; prints its line and appends it to the TSV.
measure() {
  local phase=$1 round=$2 key=$3 line rps p50 p99 expected_rate socket_errors ratio note="" cpu_before cpu_us cpu_ratio
  # A case that must succeed starts only once the throttle (see check_case) has let go after a refused case.
  [ "${case_status[$key]}" != 200 ] || check_case "$key"
  cpu_before=$(server_cpu_ticks)
  line=$(run_wrk "$key" "$DURATION" "$logs/wrk-$phase-r$round-$key.log")
  cpu_us=$(awk -v a="$cpu_before" -v b="$(server_cpu_ticks)" -v hz="$clock_ticks_per_second" -v n="$(field requests "$line")" \
    'BEGIN { if (n > 0 && b > a) printf "%.1f", (b - a) * 1000000 / hz / n; else print "" }')
  rps=$(field rps "$line")
  p50=$(awk -v us="$(field p50_us "$line")" 'BEGIN { printf "%.3f", us / 1000 }')
  p99=$(awk -v us="$(field p99_us "$line")" 'BEGIN { printf "%.3f", us / 1000 }')
  expected_rate=$(field expected_rate "$line") socket_errors=$(field socket_errors "$line")
  # Every answer must have the case's status; a run where some did not is kept, but marked.
  if [[ $key != create_* ]] && [ "$expected_rate" != 1.0000 ]; then
    note=" !! only $expected_rate answered ${case_status[$key]} ($(field statuses "$line"))"
  fi
  [ "$socket_errors" = 0 ] || note="$note !! $socket_errors socket errors/timeouts"
  if [[ $key == create_* ]]; then
    note="$note  200-rate $expected_rate ($(field statuses "$line"))"
    ratio=""
    cpu_ratio=""
    printf '  %-12s r%s  %-34s c%-3s %9.1f req/s  p50 %8.2f ms  p99 %8.2f ms  cpu %7s us/req%s\n' \
      "$phase" "$round" "${case_label[$key]}" "${case_connections[$key]}" "$rps" "$p50" "$p99" "$cpu_us" "$note"
  else
    if [ "$key" = baseline ]; then
      baseline_rps[$phase.$round]=$rps baseline_cpu[$phase.$round]=$cpu_us
    fi
    ratio=$(awk -v a="$rps" -v b="${baseline_rps[$phase.$round]:-0}" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "" }')
    # As the req/s ratio reads: the baseline's CPU per request over the case's (1 = as cheap, 0.5 = twice the CPU).
    cpu_ratio=$(awk -v a="$cpu_us" -v b="${baseline_cpu[$phase.$round]:-}" 'BEGIN { if (a > 0 && b > 0) printf "%.3f", b / a; else print "" }')
    printf '  %-12s r%s  %-34s c%-3s %9.1f req/s  p50 %8.2f ms  p99 %8.2f ms  %sx baseline  cpu %7s us/req %sx%s\n' \
      "$phase" "$round" "${case_label[$key]}" "${case_connections[$key]}" "$rps" "$p50" "$p99" "$ratio" "$cpu_us" \
      "$cpu_ratio" "$note"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$round" "$key" "${case_label[$key]}" \
    "${case_connections[$key]}" "$rps" "$p50" "$p99" "$ratio" "$expected_rate" "$cpu_us" "$cpu_ratio" >>"$tsv"
}

# run_phase PHASE KEY...: checks every case, warms each up, then ROUNDS rounds of every case in turn (interleaved,
# so that a change in the machine's load over time spreads over all cases rather than falling on one).
run_phase() {
  local phase=$1 key round
  shift
  for key in "$@"; do
    check_case "$key"
  done
  if [ "$warmup" -gt 0 ]; then
    for key in "$@"; do
      run_wrk "$key" "$warmup" "$logs/wrk-$phase-warmup-$key.log" >/dev/null
    done
  fi
  for round in $(seq 1 "$ROUNDS"); do
    for key in "$@"; do
      measure "$phase" "$round" "$key"
    done
  done
}

# 1000 -> 10^3, anything else as it is.
rows_label() {
  if [[ $1 =~ ^10*$ ]]; then echo "10^$((${#1} - 1))"; else echo "$1"; fi
}

# ---------------------------------------------------------------------------------------------------------------
# The ROOT context: tokenauth's settings as context parameters; with "postgresql", also the DataSource.
write_root_xml() {
  local resource="" extra="" param
  if [ "${1:-}" = postgresql ]; then
    # maxIdle equal to maxTotal: a pool that closes connections between wrk's bursts would measure connecting.
    resource="
  <Resource name=\"jdbc/tokenauth\" auth=\"Container\" type=\"javax.sql.DataSource\"
            driverClassName=\"org.postgresql.Driver\"
            url=\"jdbc:postgresql://127.0.0.1:$pg_port/tokenauth\"
            username=\"tokenauth\" password=\"$pg_password\"
            maxTotal=\"32\" maxIdle=\"32\" maxWaitMillis=\"10000\" poolPreparedStatements=\"true\"/>"
  fi
  for param in $context_params; do
    extra="$extra
  <Parameter name=\"${param%%=*}\" value=\"${param#*=}\" override=\"false\"/>"
  done
  cat >"$catalina_home/conf/Catalina/localhost/ROOT.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by bench/run.sh. Every setting not named here keeps its default. -->
<Context>
  <Parameter name="tokenauth.data.dir" value="$data_dir" override="false"/>
  <!-- So that the create_token runs, thousands of tokens per user, never meet the per-user limit (default 10). -->
  <Parameter name="tokenauth.token.limit" value="100000000" override="false"/>
  <Parameter name="tokenauth.admin.password" value="$admin_password" override="false"/>$extra$resource
</Context>
EOF
}

# maven_copy GROUP:ARTIFACT:VERSION:TYPE: the artifact's file in the downloads directory (fetched once).
maven_copy() {
  local artifact=$1 file
  IFS=: read -r _ name version type <<<"$artifact"
  file=$downloads/$name-$version.$type
  if [ ! -f "$file" ]; then
    log "Fetching $artifact through Maven" >&2
    # From the work directory, away from the project's pom: nothing of the project's build is touched.
    (cd "$work" && mvn -B -q dependency:copy -Dartifact="$artifact" -DoutputDirectory="$downloads") \
      >>"$logs/maven.log" 2>&1 || die "mvn dependency:copy of $artifact failed, see $logs/maven.log"
  fi
  [ -f "$file" ] || die "Maven did not leave $file"
  printf '%s\n' "$file"
}

pom_property() {
  sed -n "s:.*<$1>\([^<]*\)</$1>.*:\1:p" "$repo_dir/pom.xml" | head -n 1
}

# Medians over rounds, from the TSV (phase round key label connections rps p50 p99 ratio expected_rate).
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
column_median() { # PHASE KEY COLUMN
  awk -F'\t' -v p="$1" -v k="$2" -v c="$3" '$1 == p && $3 == k && $c != "" { print $c }' "$tsv" | median
}

# The summary: each case's median over the rounds.
print_summary() {
  echo
  echo "## Summary: medians of $ROUNDS round(s) of ${DURATION} s, wrk -t$threads"
  echo
  echo "| phase | case | connections | req/s | p50 ms | p99 ms | ratio | server CPU us/req | CPU ratio |"
  echo "|---|---|---:|---:|---:|---:|---|---:|---:|"
  awk -F'\t' '!seen[$1 FS $3]++ { print $1 "\t" $3 "\t" $4 "\t" $5 }' "$tsv" | while IFS=$'\t' read -r phase key label conns; do
    rps=$(column_median "$phase" "$key" 6)
    p50=$(column_median "$phase" "$key" 7)
    p99=$(column_median "$phase" "$key" 8)
    case $phase in
      ceiling | pg-ceiling | floor | pg-floor) ratio="(commit/s)" ;;
      create_token | pg-create)
        ceiling_of=$([ "$phase" = pg-create ] && echo pg-ceiling || echo ceiling)
        floor_of=$([ "$phase" = pg-create ] && echo pg-floor || echo floor)
        n=${case_ceiling_threads[$key]}
        ceiling=$(column_median "$ceiling_of" "ceiling$n" 6)
        floor=$(column_median "$floor_of" "ceiling$n" 6)
        ratio=$(awk -v a="$rps" -v b="$ceiling" -v f="$floor" -v n="$n" -v ok="$(column_median "$phase" "$key" 10)" \
          'BEGIN { printf "%.3f x JDBC ceiling, %.3f x JDBC floor (%d thread%s); 200-rate %.4f", (b > 0 ? a / b : 0),
            (f > 0 ? a / f : 0), n, (n == 1 ? "" : "s"), ok }')
        ;;
      *)
        ratio="$(column_median "$phase" "$key" 9 | awk '{ printf "%.3f", $1 }') x baseline"
        expected_rate=$(column_median "$phase" "$key" 10)
        [ "$(awk -v r="$expected_rate" 'BEGIN { print (r < 1) }')" = 0 ] ||
          ratio="$ratio; !! only $expected_rate answered ${case_status[$key]}"
        ;;
    esac
    cpu_us=$(column_median "$phase" "$key" 11)
    cpu_ratio=$(column_median "$phase" "$key" 12 | awk '{ if ($1 != "") printf "%.3f x", $1 }')
    printf '| %s | %s | %s | %.1f | %.2f | %.2f | %s | %s | %s |\n' "$phase" "$label" "$conns" "$rps" "$p50" "$p99" "$ratio" \
      "$cpu_us" "$cpu_ratio"
  done
}

# ===============================================================================================================
# Start: leftovers of an interrupted run, then a clean work directory (downloads and earlier results are kept).
mkdir -p "$logs"
stop_tomcat
if [ -d "$pg_dir" ] || [ -L "$pg_dir" ]; then
  bash "$pg_script" stop "$pg_dir" "$pg_port" >>"$logs/postgresql.log" 2>&1 || true
fi
rm -rf "$work/tomcat" "$work/war" "$data_dir" "$tokens_dir" "$logs"
mkdir -p "$logs" "$tokens_dir" "$downloads"
: >"$tsv"

# 1. The WAR.
if [ -n "${WAR:-}" ]; then
  [ -f "$WAR" ] || die "WAR=$WAR: no such file"
  war=$(cd "$(dirname "$WAR")" && pwd)/$(basename "$WAR")
  war_origin="given as WAR"
else
  log "Building the WAR (mvn -B -q -DskipTests package in $repo_dir)"
  (cd "$repo_dir" && mvn -B -q -DskipTests package) >"$logs/build.log" 2>&1 ||
    die "the build failed, see $logs/build.log"
  war=$repo_dir/target/tokenauth.war
  war_origin="built now"
fi
# Its classes (TokenFormat for the unknown token) and Derby's jars (bulk load, JDBC ceiling) for the helpers.
unzip -q "$war" 'WEB-INF/classes/*' 'WEB-INF/lib/derby*.jar' -d "$work/war" || die "cannot unzip $war"
derby_cp=$(find "$work/war/WEB-INF/lib" -name 'derby*.jar' | sort | tr '\n' ':')
[ -n "$derby_cp" ] || die "no Derby jar in $war"

# 2. wrk (with its built-in LuaJIT, for the scripts in lua/).
if ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || die "wrk is missing: install it (apt-get install -y wrk) or run as root"
  log "Installing wrk"
  { apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }; } >"$logs/apt.log" 2>&1 ||
    die "apt-get install -y wrk failed, see $logs/apt.log"
fi

# 3. Tomcat, stock but for ports, the JSON error valve and no access log.
tomcat_version=$(pom_property tomcat.version)
postgresql_version=$(pom_property postgresql.version)
if [ -z "$tomcat_version" ] || [ -z "$postgresql_version" ]; then
  die "cannot read tomcat.version and postgresql.version from $repo_dir/pom.xml"
fi
tomcat_zip=$(maven_copy "org.apache.tomcat:tomcat:$tomcat_version:zip")
mkdir -p "$work/tomcat"
unzip -q "$tomcat_zip" -d "$work/tomcat"
catalina_home=$work/tomcat/apache-tomcat-$tomcat_version
[ -x "$catalina_home/bin/catalina.sh" ] || chmod +x "$catalina_home"/bin/*.sh
rm -rf "$catalina_home"/webapps/*
# The access log is dropped: a line written per request is the same cost on every case, and gigabytes over a
# run. The JSON error report valve is the Host setting README recommends.
sed -i \
  -e "s|<Server port=\"8005\"|<Server port=\"$shutdown_port\"|" \
  -e "s|<Connector port=\"8080\" protocol=\"HTTP/1.1\"|<Connector port=\"$http_port\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"|" \
  -e 's|<Host name="localhost" *appBase="webapps"|<Host name="localhost" appBase="webapps" errorReportValveClass="org.apache.catalina.valves.JsonErrorReportValve"|' \
  -e '/<Valve className="org.apache.catalina.valves.AccessLogValve"/,/\/>/d' \
  "$catalina_home/conf/server.xml"
if ! grep -q "<Server port=\"$shutdown_port\"" "$catalina_home/conf/server.xml" ||
  ! grep -q "<Connector port=\"$http_port\"" "$catalina_home/conf/server.xml" ||
  ! grep -q JsonErrorReportValve "$catalina_home/conf/server.xml" ||
  grep -q AccessLogValve "$catalina_home/conf/server.xml"; then
  die "conf/server.xml of Tomcat $tomcat_version is not the stock one this script knows how to edit"
fi
mkdir -p "$catalina_home/conf/Catalina/localhost"
cp "$war" "$catalina_home/webapps/ROOT.war"
write_root_xml
# The benchmark's own application, compiled against this Tomcat's servlet API.
mkdir -p "$catalina_home/webapps/bench/WEB-INF/classes"
javac -nowarn -d "$catalina_home/webapps/bench/WEB-INF/classes" -cp "$catalina_home/lib/servlet-api.jar" \
  "$bench_dir/webapp/src/bench/"*.java || die "cannot compile the bench servlets"
cp "$bench_dir/webapp/WEB-INF/web.xml" "$catalina_home/webapps/bench/WEB-INF/"
cp "$bench_dir/webapp/bench.xml" "$catalina_home/conf/Catalina/localhost/bench.xml"
cp "$bench_dir/webapp/bench-users.xml" "$catalina_home/conf/bench-users.xml"

echo "# tokenauth benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "WAR:      $war ($war_origin; $(date -r "$war" '+%Y-%m-%d %H:%M'), sha256 $(sha256sum "$war" | cut -c1-12))"
# Read-only git: --no-optional-locks keeps even the index untouched, for whoever works in the repository.
echo "repo:     $repo_dir at $(git -C "$repo_dir" rev-parse --short HEAD 2>/dev/null || echo '?')$(git --no-optional-locks -C "$repo_dir" diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
echo "machine:  $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -n 1)"
echo "server:   Tomcat $tomcat_version on 127.0.0.1:$http_port, -Xmx1g; client: $({ wrk -v 2>&1 || true; } | head -n 1 | cut -d' ' -f1-2), -t$threads, -c$connections unless noted"
echo "runs:     $ROUNDS rounds of ${DURATION} s per case, interleaved, after a ${warmup} s warm-up per case$([ "$QUICK" = 1 ] && echo ' (QUICK)')"
[ -z "$context_params" ] || echo "settings: $context_params (BENCH_CONTEXT_PARAMS), the others at their defaults"
echo "work dir: $work"
echo

# ---------------------------------------------------------------------------------------------------------------
# 4. Derby, a fresh database: the tokens of the cases, 100 users.
log "Starting Tomcat (embedded Derby in $data_dir/derby)"
start_tomcat
grep -h -o 'Database open: .*\|tokenauth started: .*' "$catalina_home/logs/catalina.out" | sed 's/^/  /' || true
log "Preparing tokens and $user_count users over the API"
prepare_tokens
unknown_token=$(java -cp "$work/war/WEB-INF/classes" "$bench_dir/java/UnknownToken.java") ||
  die "cannot generate an unknown token with the WAR's TokenFormat"
checked_token "$unknown_token" >/dev/null
prepare_users
wait_until_expired
define_cases

# BENCH_PROFILE="malformed expired ...": instead of the measured phases, a JFR recording of each named case under
# wrk's load (DURATION seconds), and its hottest frames; then the run ends. "throttled" needs the throttle on
# (BENCH_CONTEXT_PARAMS= , empty): the address is locked out first, as in the measured phase.
profile_case() { # KEY
  local key=$1 pid jfr_file=$work/profile-$1.jfr
  pid=$(cat "$tomcat_pid_file")
  if [ "$key" = throttled ]; then
    printf '%s\n' $context_params | grep -qx 'tokenauth\.throttle\.token\.address=0' &&
      die "BENCH_PROFILE=throttled needs the failed-token throttle on: BENCH_CONTEXT_PARAMS= (empty), and 'throttled' last (the cases after it would be answered 429)"
    # As in the measured phase: the address uses up its allowance first.
    for i in $(seq 1 100); do
      curl -s -o /dev/null -H "Authorization: ${case_auth[throttled]}" "$base/api/whoami" || true
    done
  fi
  check_case "$key"
  run_wrk "$key" "$warmup" "$logs/wrk-profile-warmup-$key.log" >/dev/null
  jcmd "$pid" JFR.start name="bench-$key" settings="$work/profile.jfc" >>"$logs/jfr.log" 2>&1 || die "jcmd JFR.start failed, see $logs/jfr.log"
  run_wrk "$key" "$DURATION" "$logs/wrk-profile-$key.log" | sed 's/^/  /'
  jcmd "$pid" JFR.stop name="bench-$key" filename="$jfr_file" >>"$logs/jfr.log" 2>&1 || die "jcmd JFR.stop failed, see $logs/jfr.log"
  echo "  JFR recording: $jfr_file"
  jfr print --events jdk.ExecutionSample --stack-depth 64 "$jfr_file" | awk -v key="$key" '
    /stackTrace = \[/ { depth = 0; delete seen; samples++; next }
    /^[[:space:]]*\]/ { depth = -1; next }
    depth >= 0 && /line:/ {
      frame = $1; sub(/\(.*/, "", frame)
      if (depth == 0) top[frame]++
      if (!(frame in seen) && frame ~ /^dev\.tokenauth\./) { seen[frame] = 1; ours[frame]++ }
      depth++
    }
    END {
      for (f in top) printf "top\t%.1f\t%s\n", 100 * top[f] / samples, f
      for (f in ours) printf "ours\t%.1f\t%s\n", 100 * ours[f] / samples, f
      printf "samples\t%d\t\n", samples
    }' >"$logs/profile-$key.frames"
  echo "  $(awk -F'\t' '$1 == "samples" { print $2 }' "$logs/profile-$key.frames") samples; hottest frames (self):"
  awk -F'\t' '$1 == "top" { printf "    %5.1f%%  %s\n", $2, $3 }' "$logs/profile-$key.frames" | sort -k1,1 -g -r | awk 'NR <= 15'
  echo "  tokenauth methods on the stack (self and below):"
  awk -F'\t' '$1 == "ours" { printf "    %5.1f%%  %s\n", $2, $3 }' "$logs/profile-$key.frames" | sort -k1,1 -g -r | awk 'NR <= 15'
}
if [ -n "${BENCH_PROFILE:-}" ]; then
  command -v jcmd >/dev/null && command -v jfr >/dev/null || die "BENCH_PROFILE needs the JDK's jcmd and jfr"
  # The JDK's "profile" settings, but sampling every millisecond rather than every 10: enough samples in one run.
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  sed 's|<setting name="period" control="method-sampling-java-interval">10 ms</setting>|<setting name="period" control="method-sampling-java-interval">1 ms</setting>|' \
    "$java_home/lib/jfr/profile.jfc" >"$work/profile.jfc"
  grep -q 'method-sampling-java-interval">1 ms' "$work/profile.jfc" || die "cannot make $work/profile.jfc from $java_home/lib/jfr/profile.jfc"
  for key in $BENCH_PROFILE; do
    [ -n "${case_label[$key]:-}" ] || die "BENCH_PROFILE: no case '$key' (cases: ${!case_label[*]})"
  done
  for key in $BENCH_PROFILE; do
    echo
    log "Profiling '${case_label[$key]}' for $DURATION s"
    profile_case "$key"
  done
  exit 0
fi

# The filter's remote mode: src/sample (SAMPLE_WAR, else built from its pom) deployed twice beside tokenauth (ROOT),
# set by its context file alone to ask ROOT about each token: /orders with the cache at its default age (1 s),
# /orders-uncached with the cache off (every request is an introspection over HTTP to ROOT).
sample_war() {
  if [ -n "${SAMPLE_WAR:-}" ]; then
    [ -f "$SAMPLE_WAR" ] || die "SAMPLE_WAR=$SAMPLE_WAR: no such file"
    printf '%s\n' "$SAMPLE_WAR"
    return
  fi
  if [ ! -f "$work/sample/orders.war" ]; then
    [ -f "$repo_dir/target/tokenauth-classes.jar" ] ||
      die "no target/tokenauth-classes.jar to build the sample with (mvn -B -DskipTests package), or set SAMPLE_WAR"
    log "Building src/sample against target/tokenauth-classes.jar (installed into the local Maven repository)" >&2
    (cd "$repo_dir" && mvn -B -q install:install-file -Dfile=target/tokenauth-classes.jar -DpomFile=pom.xml \
      -Dclassifier=classes -Dpackaging=jar &&
      mvn -B -q -f src/sample/pom.xml -Dsample.build.directory="$work/sample" package) >>"$logs/build.log" 2>&1 ||
      die "building the sample failed, see $logs/build.log"
  fi
  printf '%s\n' "$work/sample/orders.war"
}

write_sample_xml() { # NAME CACHE_TTL TOKEN
  cat >"$catalina_home/conf/Catalina/localhost/$1.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by bench/run.sh: the sample in remote mode, its introspection token as a JNDI entry. -->
<Context>
  <Parameter name="tokenauth.remote.url" value="$base" override="false"/>
  <Parameter name="tokenauth.token.cache.ttl" value="$2" override="false"/>
  <Environment name="tokenauth.remote.token" value="$3" type="java.lang.String" override="false"/>
</Context>
EOF
}

remote_phase() {
  local reply introspector war i status
  war=$(sample_war)
  login_admin
  reply=$(api POST /api/create_token 200 -b "$tokens_dir/admin.cookies" -H 'Content-Type: application/json' \
    -d '{"scopes": ["introspect"], "label": "bench remote mode"}')
  introspector=$(checked_token "$(json_field token <<<"$reply")")
  stop_tomcat
  cp "$war" "$catalina_home/webapps/orders.war"
  cp "$war" "$catalina_home/webapps/orders-uncached.war"
  write_sample_xml orders 1 "$introspector"
  write_sample_xml orders-uncached 0 "$introspector"
  start_tomcat
  for i in $(seq 1 60); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "$base/orders-uncached/api/orders" || true)
    [ "$status" = 401 ] && break
    sleep 1
  done
  [ "$status" = 401 ] || die "the sample in remote mode did not come up (/orders-uncached/api/orders: $status)"
  grep -h -o 'tokenauth started in remote mode: .*' "$catalina_home/logs/catalina.out" | sed 's/^/  /' || true
  run_phase remote baseline remote_warm remote_off
  stop_tomcat
  rm -rf "$catalina_home"/webapps/orders* "$catalina_home"/conf/Catalina/localhost/orders*.xml
}

# BENCH_REMOTE_ONLY=1: the remote mode's phase alone, then the summary.
if [ "${BENCH_REMOTE_ONLY:-0}" = 1 ]; then
  echo
  log "Remote mode: src/sample asking tokenauth (ROOT) about each token (Tomcat restarted)"
  remote_phase
  print_summary
  exit 0
fi

# 5. Every case, interleaved.
echo
log "Derby, only the benchmark's own tokens"
run_phase derby-fresh baseline shaped basic valid malformed badsum unknown revoked expired

# BENCH_FRESH_ONLY=1: that phase and create_token on the same small database, then the summary (an A/B of two
# WARs in minutes; the ratios to the commit ceiling need the full run).
if [ "${BENCH_FRESH_ONLY:-0}" = 1 ]; then
  echo
  log "create_token on Derby (only the benchmark's own tokens)"
  run_phase create_token create_one create_spread
  print_summary
  exit 0
fi

# 5b. The failed-token throttle on, at its defaults: once the address has used up its allowance, its requests are
# answered 429 (but for the one attempt that refills every few seconds).
echo
log "Derby, the failed-token throttle at its defaults, the client address locked out (Tomcat restarted)"
stop_tomcat
measured_params=$context_params
context_params=$(printf '%s\n' $context_params | grep -v '^tokenauth\.throttle\.token\.address=' | tr '\n' ' ' || true)
write_root_xml
start_tomcat
for i in $(seq 1 100); do
  curl -s -o /dev/null -H "Authorization: ${case_auth[throttled]}" "$base/api/whoami" || true
done
run_phase throttled baseline throttled
# The settings of the other phases again, for the start that follows the bulk load.
stop_tomcat
context_params=$measured_params
write_root_xml

# 5c. The filter's remote mode (issue 26).
echo
log "Remote mode: src/sample asking tokenauth (ROOT) about each token (Tomcat restarted)"
start_tomcat
remote_phase

# 6. The same lookups on a larger token table.
bulk_load() {
  local rows=$1 started
  log "Bulk-loading Derby up to $(rows_label "$rows") token rows (Tomcat stopped)"
  stop_tomcat
  started=$(date +%s.%N)
  java -cp "$derby_cp" "$bench_dir/java/BulkLoad.java" "$data_dir/derby" "$rows" "$bulk_owners" |
    sed 's/^/  /' || die "the bulk load failed"
  log "  bulk load took $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s (JVM start included)"
  start_tomcat
}
echo
bulk_load "$small_rows"
phase_small=derby-$(rows_label "$small_rows")
run_phase "$phase_small" baseline valid

echo
bulk_load "$large_rows"
phase_large=derby-$(rows_label "$large_rows")
run_phase "$phase_large" baseline valid revoked unknown

# 7. create_token, on the large table: one user's token (its creations queue on the owner's lock), then spread.
echo
log "create_token on Derby ($(rows_label "$large_rows") rows)"
run_phase create_token create_one create_spread

# 8. The disk's ceiling: bare insert+commit on a Derby database of its own, Tomcat stopped so that it has the
# machine to itself as create_token had (wrk aside).
# ceiling_phase PHASE CLASSPATH TARGET: JdbcCeiling on TARGET (a Derby directory or a JDBC URL), one and
# $connections threads (the ceilings of the two create_token cases), ROUNDS rounds.
# With a fourth argument "creation" (the floor): one create_token's statements per commit on the application's own
# tables in TARGET instead of a bare insert into a table of its own (see JdbcCeiling's comment).
ceiling_phase() {
  local phase=$1 classpath=$2 target=$3 mode=${4:-} round n line what
  what=$([ "$mode" = creation ] && echo "creation's statements+commit" || echo "insert+commit")
  for round in $(seq 1 "$ROUNDS"); do
    for n in $(printf '%s\n' "${case_ceiling_threads[@]}" | sort -n -u); do
      line=$(java -cp "$classpath" "$bench_dir/java/JdbcCeiling.java" "$target" "$n" "$DURATION" $mode \
        2>"$logs/$phase-r$round-$n.err" | tee -a "$logs/$phase.log" | grep '^CEILING') ||
        die "the JDBC $phase run failed: $(tail -n 5 "$logs/$phase-r$round-$n.err")"
      printf '  %-12s r%s  %-34s c%-3s %9.1f commit/s  p50 %8.2f ms  p99 %8.2f ms\n' "$phase" "$round" \
        "$what, $n threads" "$n" "$(field rate " $line")" "$(field p50_ms " $line")" "$(field p99_ms " $line")"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$round" "ceiling$n" "JDBC $what, $n threads" \
        "$n" "$(field rate " $line")" "$(field p50_ms " $line")" "$(field p99_ms " $line")" "" "" "" "" >>"$tsv"
    done
  done
}
echo
log "JDBC insert+commit ceiling on embedded Derby ($data_dir/ceiling-derby, Tomcat stopped)"
stop_tomcat
ceiling_phase ceiling "$derby_cp" "$data_dir/ceiling-derby"
# The floor: what Derby itself charges for one creation's statements on the database create_token just ran on.
echo
log "JDBC floor: one create_token's statements+commit on the application's Derby database ($data_dir/derby, Tomcat stopped)"
ceiling_phase floor "$derby_cp" "$data_dir/derby" creation

# ---------------------------------------------------------------------------------------------------------------
# create_token against its ceiling and its floor (case_ceiling_threads): CREATE_PHASE CEILING_PHASE FLOOR_PHASE.
create_fractions() {
  local create_phase=$1 ceiling_phase=$2 floor_phase=$3 key ceiling floor
  for key in create_one create_spread; do
    ceiling=$(column_median "$ceiling_phase" "ceiling${case_ceiling_threads[$key]}" 6)
    floor=$(column_median "$floor_phase" "ceiling${case_ceiling_threads[$key]}" 6)
    awk -F'\t' -v p="$create_phase" -v k="$key" '$1 == p && $3 == k { print $2, $6 }' "$tsv" | while read -r round rps; do
      printf '  %-12s r%s  %-34s c%-3s %9.1f req/s  %.3fx JDBC ceiling, %.3fx JDBC floor, of %s thread(s) (%.1f, %.1f commit/s)\n' \
        "$create_phase" "$round" "${case_label[$key]}" "${case_connections[$key]}" "$rps" \
        "$(awk -v a="$rps" -v b="$ceiling" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
        "$(awk -v a="$rps" -v b="$floor" 'BEGIN { print (b > 0 ? a / b : 0) }')" "${case_ceiling_threads[$key]}" "$ceiling" "$floor"
    done
  done
}
echo
log "create_token as a fraction of the JDBC ceiling (median commit/s: one thread for one user's token, $connections spread)"
create_fractions create_token ceiling floor

# 9. PostgreSQL through a Tomcat DataSource: a throw-away cluster, fresh tokens on its empty database.
echo
log "PostgreSQL: a throw-away cluster on 127.0.0.1:$pg_port (src/test/postgresql/server.sh)"
pg_running=1
bash "$pg_script" start "$pg_dir" "$pg_port" "$pg_password" tokenauth 2>&1 | tee -a "$logs/postgresql.log" | sed 's/^/  /' ||
  die "PostgreSQL did not start, see $logs/postgresql.log"
cp "$(maven_copy "org.postgresql:postgresql:$postgresql_version:jar")" "$catalina_home/lib/"
write_root_xml postgresql
log "Starting Tomcat (DataSource jdbc/tokenauth on PostgreSQL)"
start_tomcat
grep -h -o 'Database open: .*' "$catalina_home/logs/catalina.out" | sed 's/^/  /' || true
grep -q 'Database open: container DataSource' "$catalina_home/logs/catalina.out" ||
  die "tokenauth did not open the container DataSource (see $catalina_home/logs/catalina.out)"
prepare_tokens
log "Preparing $user_count users on PostgreSQL"
prepare_users
define_cases
run_phase postgresql baseline valid revoked
log "create_token on PostgreSQL"
run_phase pg-create create_one create_spread
echo
log "JDBC insert+commit ceiling on PostgreSQL (pgjdbc, table CEILING_TOKEN beside tokenauth's, Tomcat stopped)"
stop_tomcat
CEILING_USER=tokenauth CEILING_PASSWORD=$pg_password ceiling_phase pg-ceiling \
  "$(maven_copy "org.postgresql:postgresql:$postgresql_version:jar")" "jdbc:postgresql://127.0.0.1:$pg_port/tokenauth"
echo
log "JDBC floor on PostgreSQL: one create_token's statements+commit on tokenauth's own tables (Tomcat stopped)"
CEILING_USER=tokenauth CEILING_PASSWORD=$pg_password ceiling_phase pg-floor \
  "$(maven_copy "org.postgresql:postgresql:$postgresql_version:jar")" "jdbc:postgresql://127.0.0.1:$pg_port/tokenauth" creation
echo
log "PostgreSQL create_token as a fraction of the pgjdbc ceiling"
create_fractions pg-create pg-ceiling pg-floor
bash "$pg_script" stop "$pg_dir" "$pg_port" >>"$logs/postgresql.log" 2>&1 || true
pg_running=0

# 10. The summary.
print_summary
echo
log "Done"
