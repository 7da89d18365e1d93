#!/usr/bin/env bash
# Distance to the floor: per-request CPU time, context switches and system calls of the load driver
# and of the server, from `perf stat` (needs perf and perf_event_paranoid <= 2 for one's own
# processes).
#
#   scripts/floor.sh [--requests N] [--warmup W] [--port P] [--server "ARGS"] [--driver "ARGS"]
#
# Runs `server --port P ARGS` and, under perf stat, `load --port P --requests N --warmup W ARGS`
# (default ARGS: 64 callers, 8 connections, 64 B), with perf stat attached to the server from when
# it listens to the driver's end. A second driver run with one request gives the driver's start-up
# and connect cost, which is subtracted. Prints one Markdown row per side: CPU µs, context switches,
# futex calls, read and write system calls (read/recvfrom, write/writev/sendto), epoll calls and
# page faults, all per request (warm-up included; the page faults are mostly the JVM's first touch
# of its growing heap, a warm-up cost that weighs on the CPU figure at large payloads).
# Environment: JAVA (default java), JAR (default target/anet-benchmarks.jar beside this script's
# folder), SERVER_JAVA_OPTS (extra JVM flags for the server only, e.g. -Djdk.pollerMode=1).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
JAVA=${JAVA:-java}
JAR=${JAR:-$here/target/anet-benchmarks.jar}
requests=400000
warmup=200000
port=25300
server_args=""
driver_args="--concurrency 64 --connections 8 --size 64"
while [[ $# -gt 0 ]]; do
	case $1 in
		--requests) requests=$2; shift 2 ;;
		--warmup) warmup=$2; shift 2 ;;
		--port) port=$2; shift 2 ;;
		--server) server_args=$2; shift 2 ;;
		--driver) driver_args=$2; shift 2 ;;
		-h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
		*) echo "floor: unknown flag $1" >&2; exit 2 ;;
	esac
done
command -v perf >/dev/null || { echo "floor: perf is not installed" >&2; exit 2; }
[[ -f $JAR ]] || { echo "floor: $JAR is missing (mvn -pl anet-benchmarks -am package)" >&2; exit 2; }

events=task-clock,context-switches,syscalls:sys_enter_futex,syscalls:sys_enter_read,syscalls:sys_enter_recvfrom
events=$events,syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_sendto
events=$events,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_ctl,page-faults
out=$(mktemp -d "${TMPDIR:-/tmp}/anet-floor.XXXXXX")
server_pid=
perf_pid=
cleanup() {
	[[ -n $perf_pid ]] && kill -INT "$perf_pid" 2>/dev/null || true
	[[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT

# shellcheck disable=SC2086
"$JAVA" ${SERVER_JAVA_OPTS:-} -jar "$JAR" server --port "$port" $server_args >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 300); do
	grep -qx "listening $port" "$out/server.log" && break
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.1
done
grep -qx "listening $port" "$out/server.log" || { echo "floor: server did not start (log: $out/server.log)" >&2; exit 1; }

# the driver's start-up and connect cost: one request
# shellcheck disable=SC2086
perf stat -x, -e "$events" -o "$out/startup.csv" -- timeout --signal=KILL 120 "$JAVA" -jar "$JAR" load --port "$port" \
	--requests 1 --warmup 0 $driver_args >/dev/null 2>&1
perf stat -x, -e "$events" -p "$server_pid" -o "$out/server.csv" &
perf_pid=$!
sleep 0.5
# shellcheck disable=SC2086
perf stat -x, -e "$events" -o "$out/driver.csv" -- timeout --signal=KILL 300 "$JAVA" -jar "$JAR" load --port "$port" \
	--requests "$requests" --warmup "$warmup" $driver_args >"$out/driver.json" 2>"$out/driver.err"
kill -INT "$perf_pid"
wait "$perf_pid" 2>/dev/null || true
perf_pid=

n=$((requests + warmup))
row() { # NAME CSV [STARTUP_CSV]
	awk -F, -v name="$1" -v n="$n" '
		FNR == 1 { file++ }
		/^#/ || NF < 3 { next }
		{ v = ($1 ~ /^[0-9.]+$/) ? $1 : 0; e = $3
		  if (file == 1) total[e] += v; else base[e] += v }
		END {
			c = "syscalls:sys_enter_"
			cpu = (total["task-clock"] - base["task-clock"]) * 1000 / n    # msec -> µs
			cs = (total["context-switches"] - base["context-switches"]) / n
			fx = (total[c "futex"] - base[c "futex"]) / n
			rd = (total[c "read"] + total[c "recvfrom"] - base[c "read"] - base[c "recvfrom"]) / n
			wr = (total[c "write"] + total[c "writev"] + total[c "sendto"] - base[c "write"] - base[c "writev"] - base[c "sendto"]) / n
			ep = (total[c "epoll_wait"] + total[c "epoll_ctl"] - base[c "epoll_wait"] - base[c "epoll_ctl"]) / n
			pf = (total["page-faults"] - base["page-faults"]) / n
			printf "| %s | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", name, cpu, cs, fx, rd, wr, ep, pf
		}' "$2" "${3:-/dev/null}"
}
echo "$(date -u '+%Y-%m-%d %H:%M UTC') · $("$JAVA" -version 2>&1 | head -n 1) · server: ${server_args:-(defaults)}${SERVER_JAVA_OPTS:+ ($SERVER_JAVA_OPTS)} · driver: $driver_args · $requests requests after $warmup warm-up"
tail -n 1 "$out/driver.json"
echo
echo "| side | CPU µs | context switches | futex | reads | writes | epoll | page faults |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
row driver "$out/driver.csv" "$out/startup.csv"
row server "$out/server.csv"
echo "floor: perf output in $out" >&2
