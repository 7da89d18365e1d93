#!/usr/bin/env bash
# Scale run: one anet server JVM holds many idle connections plus load from a second JVM, and we
# look at its heap and threads.
#
#   scale.sh [--connections C] [--virtual-threads] [--load-requests N] [--hold-seconds S]
#            [--max-seconds T] [--port P] [--no-build]
#
# 1. builds target/anet-benchmarks.jar if it is missing (with --no-build: fails instead);
# 2. starts `server --port P --max-conns C+1000 [--virtual-threads]` (its own JVM) and waits for
#    "listening P"; takes the server's baseline (heap after GC, threads);
# 3. runs `idle --connections C --load-requests N --hold-seconds S` (a second JVM): it opens C idle
#    connections, sends N verified requests through a broker (8 connections, 64 callers) meanwhile,
#    then holds everything S seconds, then checks every idle connection with one echo;
# 4. while it holds: `jcmd GC.run` and `GC.heap_info` (heap after GC), /proc/PID/status (OS
#    threads, RSS), `jcmd PerfCounter.print` (the JVM's live platform threads), `jcmd
#    VM.native_memory summary` (thread stacks, and "Other": the connections' direct read buffers),
#    `ss` (connections the server holds) and, on JDK 21+, `jcmd Thread.dump_to_file` (reader
#    threads, virtual ones included); the most OS threads seen, sampled every 0.5 s;
# 5. prints one JSON line on stdout (the client's figures and the server's), stops the server
#    (SIGTERM, then SIGKILL after 10 s; also on exit or Ctrl-C) and exits with the client's status
#    (0: every connection held and answered, no load error).
#
# Defaults: 10,000 connections, 1,000,000 load requests, 20 s hold, --max-seconds 300 for the client
# (a hard limit of T + 90 s), port 19900.
#
# Environment: JAVA (default: java) for both JVMs; SERVER_OPTS (default: -Xmx512m
# -XX:NativeMemoryTracking=summary; a server connection starts with a 16 KiB direct read buffer, so
# 10,000 need ~160 MiB of direct memory, within the default limit of -Xmx); CLIENT_OPTS (default: -Xmx512m). The process needs `ulimit -n` above C + 100 (each JVM
# holds one descriptor per connection); --virtual-threads needs a JDK 21+ in JAVA.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
JAVA=${JAVA:-java}
SERVER_OPTS=${SERVER_OPTS:--Xmx512m -XX:NativeMemoryTracking=summary}
CLIENT_OPTS=${CLIENT_OPTS:--Xmx512m}
jcmd=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd
connections=10000
virtual=0
load_requests=1000000
hold_seconds=20
max_seconds=300
port=19900
build=1

usage() {
	sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [[ $# -gt 0 ]]; do
	case $1 in
		--connections) connections=$2; shift 2 ;;
		--virtual-threads) virtual=1; shift ;;
		--load-requests) load_requests=$2; shift 2 ;;
		--hold-seconds) hold_seconds=$2; shift 2 ;;
		--max-seconds) max_seconds=$2; shift 2 ;;
		--port) port=$2; shift 2 ;;
		--no-build) build=0; shift ;;
		-h | --help) usage ;;
		*) echo "scale: unknown flag $1" >&2; usage ;;
	esac
done
for n in "$connections" "$load_requests" "$hold_seconds" "$max_seconds" "$port"; do
	[[ $n =~ ^[0-9]+$ ]] || { echo "scale: not a whole number: $n" >&2; exit 2; }
done
[[ -x $jcmd ]] || { echo "scale: no jcmd beside $JAVA ($jcmd)" >&2; exit 2; }
if [[ $(ulimit -n) != unlimited && $(ulimit -n) -le $((connections + 100)) ]]; then
	echo "scale: ulimit -n is $(ulimit -n); $connections connections need more than $((connections + 100))" >&2
	exit 2
fi

jar=$here/target/anet-benchmarks.jar
if [[ ! -f $jar ]]; then
	if [[ $build -eq 0 ]]; then
		echo "scale: $jar is missing (run without --no-build)" >&2
		exit 2
	fi
	echo "scale: building $jar" >&2
	(cd "$repo" && { mvn -q -o package -DskipTests -pl anet-benchmarks -am >/dev/null 2>&1 \
		|| mvn -q package -DskipTests -pl anet-benchmarks -am; })
fi

logs=$(mktemp -d "${TMPDIR:-/tmp}/anet-scale.XXXXXX")
echo "scale: logs in $logs" >&2
server_pid=
client_pid=
sampler_pid=

stop_all() {
	[[ -n $sampler_pid ]] && kill "$sampler_pid" 2>/dev/null || true
	[[ -n $client_pid ]] && kill -0 "$client_pid" 2>/dev/null && kill -KILL "$client_pid" 2>/dev/null || true
	if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		for _ in $(seq 100); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid" 2>/dev/null || true
	fi
	wait 2>/dev/null || true
	server_pid=
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

# wait_for FILE PATTERN PID SECONDS: until a line of FILE matches, PID ends, or the time is up
wait_for() {
	local end=$((SECONDS + $4))
	while ((SECONDS < end)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || { grep -q -- "$2" "$1" 2>/dev/null; return; }
		sleep 0.2
	done
	return 1
}

status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
os_threads() { status_kib "$1" Threads; }
jvm_threads() { "$jcmd" "$1" PerfCounter.print 2>/dev/null | awk -F= '$1 == "java.threads.live" { print $2 }'; }
heap_after_gc_kib() {
	"$jcmd" "$1" GC.run >/dev/null
	"$jcmd" "$1" GC.heap_info | grep -o 'used [0-9]*K' | head -n 1 | grep -o '[0-9]*'
}
nmt_committed_kib() { # PID CATEGORY
	"$jcmd" "$1" VM.native_memory summary 2>/dev/null \
		| grep -E "^-[[:space:]]+$2 \(" | grep -o 'committed=[0-9]*KB' | head -n 1 | grep -o '[0-9]*'
}
held_connections() { ss -Htn state established "( sport = :$port )" 2>/dev/null | wc -l; }
reader_threads() { # anet-conn-*-reader threads: with virtual ones on JDK 21+ (Thread.dump_to_file), else platform ones
	local dump=$logs/threads.json
	rm -f "$dump"
	if "$jcmd" "$1" Thread.dump_to_file -format=json "$dump" >/dev/null 2>&1 && [[ -f $dump ]]; then
		grep -c '"name": "anet-conn-.*-reader"' "$dump" || true
	else
		"$jcmd" "$1" Thread.print 2>/dev/null | grep -c '^"anet-conn-.*-reader"' || true
	fi
}
mib() { awk -v k="${1:-0}" 'BEGIN { printf "%.1f", k / 1024 }'; }

server_flags=(--port "$port" --max-conns $((connections + 1000)))
[[ $virtual -eq 1 ]] && server_flags+=(--virtual-threads)
# shellcheck disable=SC2086  # word splitting of SERVER_OPTS is wanted
"$JAVA" $SERVER_OPTS -jar "$jar" server "${server_flags[@]}" >"$logs/server.log" 2>&1 &
server_pid=$!
if ! wait_for "$logs/server.log" "^listening $port\$" "$server_pid" 30; then
	echo "scale: the server did not start on port $port:" >&2
	cat "$logs/server.log" >&2
	exit 1
fi
jdk=$("$JAVA" -version 2>&1 | head -n 1)
echo "scale: server pid $server_pid on port $port ($jdk, $([[ $virtual -eq 1 ]] && echo virtual || echo platform) threads)" >&2
base_heap=$(heap_after_gc_kib "$server_pid")
base_os=$(os_threads "$server_pid")
base_jvm=$(jvm_threads "$server_pid")
echo "scale: baseline: heap after GC $(mib "$base_heap") MiB, $base_os OS threads, $base_jvm JVM threads" >&2

# the most OS threads of the server, every 0.5 s
echo 0 >"$logs/max_threads"
(
	max=0
	while kill -0 "$server_pid" 2>/dev/null; do
		t=$(os_threads "$server_pid" 2>/dev/null || echo 0)
		((t > max)) && { max=$t; echo "$max" >"$logs/max_threads"; }
		sleep 0.5
	done
) &
sampler_pid=$!

# shellcheck disable=SC2086
timeout --signal=KILL $((max_seconds + 90)) "$JAVA" $CLIENT_OPTS -jar "$jar" idle --port "$port" \
	--connections "$connections" --load-requests "$load_requests" --hold-seconds "$hold_seconds" \
	--max-seconds "$max_seconds" >"$logs/client.json" 2>"$logs/client.log" &
client_pid=$!

sampled=0
if wait_for "$logs/client.log" "^idle: holding " "$client_pid" $((max_seconds + 60)); then
	held=$(held_connections)
	heap=$(heap_after_gc_kib "$server_pid")
	os=$(os_threads "$server_pid")
	rss=$(status_kib "$server_pid" VmRSS)
	jvm=$(jvm_threads "$server_pid")
	readers=$(reader_threads "$server_pid")
	nmt_thread=$(nmt_committed_kib "$server_pid" Thread)
	nmt_other=$(nmt_committed_kib "$server_pid" Other)
	sampled=1
	echo "scale: held: $held connections, heap after GC $(mib "$heap") MiB, $os OS threads, $jvm JVM platform threads," \
		"${readers:-?} reader threads, RSS $(mib "$rss") MiB, NMT thread $(mib "$nmt_thread") MiB, other (direct buffers) $(mib "$nmt_other") MiB" >&2
fi
rc=0
wait "$client_pid" || rc=$?
client_pid=
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=
sed 's/^/  client: /' "$logs/client.log" >&2
client=$(tail -n 1 "$logs/client.json")
if [[ $sampled -eq 0 || -z $client ]]; then
	echo "scale: the client did not reach its hold (exit $rc); see $logs" >&2
	exit 1
fi
printf '{"scale":{"jdk":"%s","threads":"%s","connections":%d,"server_held":%d,"server_heap_after_gc_bytes":%d,' \
	"${jdk//\"/}" "$([[ $virtual -eq 1 ]] && echo virtual || echo platform)" "$connections" "$held" $((heap * 1024))
printf '"server_baseline_heap_after_gc_bytes":%d,"server_os_threads":%d,"server_os_threads_max":%d,' \
	$((base_heap * 1024)) "$os" "$(cat "$logs/max_threads")"
printf '"server_baseline_os_threads":%d,"server_jvm_threads":%d,"server_reader_threads":%s,"server_rss_bytes":%d,' \
	"$base_os" "$jvm" "${readers:-null}" $((rss * 1024))
printf '"server_nmt_thread_bytes":%d,"server_nmt_other_bytes":%d},"client":%s}\n' \
	$((${nmt_thread:-0} * 1024)) $((${nmt_other:-0} * 1024)) "$client"
exit "$rc"
