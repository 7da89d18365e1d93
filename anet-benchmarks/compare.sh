#!/usr/bin/env bash
# Side-by-side benchmark of anet against the reference peers (raw NIO, Netty, Spring Integration).
#
#   compare.sh [--rounds R] [--callers N] [--size S] [--connections C] [--requests M]
#              [--warmup W] [--max-seconds T] [--port-base P] [--pairs "LIST"] [--no-build] [--tls]
#              [--tls-protocol TLSv1.3|TLSv1.2] [--virtual-callers]
#
# Builds target/anet-benchmarks.jar and a copy of ../../shared/peers (in target/peers; the shared
# folder itself is never built in), then runs every driver→server pair R times, the pairs taking
# turns within each round, each driver against a fresh server on 127.0.0.1. Prints a Markdown
# table of the medians on stdout; the JSON line of every run goes to a log folder named on stderr.
# Besides rps and latency it gives the CPU time both processes used per request (driver and server,
# warm-up included; their start-up left out): on a shared machine it is steadier than rps.
#
# Pairs (driver-server): anet-anet netty-netty si-si raw-raw, and the cross pairs anet-raw (our
# driver against the raw server) and raw-anet (the raw driver against our server).
# --tls: every side runs TLS 1.3 (the peers' --tls flags, certificates made by the peers'
# certs/make-certs.sh in target/peers/target/certs); si has no TLS, so the default pairs become
# anet-anet netty-netty raw-raw anet-raw raw-anet anet-netty netty-anet. --tls-protocol TLSv1.2
# runs TLS 1.2 instead. With --tls, a pair written PAIR@plain runs without TLS (so that TLS and
# plaintext are measured in one run, e.g. --pairs "anet-anet anet-anet@plain"), and the name
# sslsocket stands for anet with its SSLSocket prototype (server and load --tls-impl socket).
#
# Defaults: 3 rounds, 64 callers, 64 B payloads, 8 connections, 200,000 measured requests after a
# 200,000-request warm-up (steady state: with 50,000 the JIT was still compiling the servers during
# the measured phase), every run bounded by --max-seconds 60 (each run also gets a hard limit
# of T + 30 s). The second table of the README is `compare.sh --callers 256` and `--size 4096`.
#
# Environment: JAVA (default: java) for every JVM, JAVA_OPTS (extra JVM flags for every JVM),
# ROUNDS (same as --rounds), PEERS_SRC (default: shared/peers beside the repository), BASELINE_JAR
# (an anet-benchmarks.jar built from another commit: the pair base-base runs its driver against its
# server, so that a change is measured before and after in the same run, e.g.
# BASELINE_JAR=/tmp/anet-base.jar compare.sh --pairs "anet-anet base-base netty-netty").
# --virtual-callers: every driver's callers are virtual threads (JDK 21+: set JAVA); the server
# name anetvt is the anet server with --virtual-threads, basevt the BASELINE_JAR's (e.g. --pairs
# "anet-anetvt anet-basevt netty-netty": the same driver against the virtual-thread server before
# and after); the driver name anetvt is the anet driver whose broker threads are virtual too
# (load --virtual-threads, what spring.threads.virtual.enabled=true gives); the server name
# anetvtsys is anetvt with the JDK's poller on platform threads (-Djdk.pollerMode=1).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
rounds=${ROUNDS:-3}
callers=64
size=64
connections=8
requests=200000
warmup=200000
max_seconds=60
port_base=19700
pairs="anet-anet netty-netty si-si raw-raw anet-raw raw-anet"
build=1
tls=0
tls_protocol=TLSv1.3
pairs_set=0
virtual_callers=""
peers_src=${PEERS_SRC:-$repo/../shared/peers}
baseline_jar=${BASELINE_JAR:-}

usage() {
	sed -n '2,40p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [[ $# -gt 0 ]]; do
	case $1 in
		--rounds) rounds=$2; shift 2 ;;
		--callers | --concurrency) callers=$2; shift 2 ;;
		--size) size=$2; shift 2 ;;
		--connections) connections=$2; shift 2 ;;
		--requests) requests=$2; shift 2 ;;
		--warmup) warmup=$2; shift 2 ;;
		--max-seconds) max_seconds=$2; shift 2 ;;
		--port-base) port_base=$2; shift 2 ;;
		--pairs) pairs=$2; pairs_set=1; shift 2 ;;
		--no-build) build=0; shift ;;
		--tls) tls=1; shift ;;
		--virtual-callers) virtual_callers="--virtual-callers"; shift ;;
		--tls-protocol) tls_protocol=$2; shift 2 ;;
		-h | --help) usage ;;
		*) echo "compare: unknown flag $1" >&2; usage ;;
	esac
done
for n in "$rounds" "$callers" "$size" "$connections" "$requests" "$warmup" "$port_base"; do
	[[ $n =~ ^[0-9]+$ ]] || { echo "compare: not a number: $n" >&2; exit 2; }
done
[[ $max_seconds =~ ^[0-9]+$ && $max_seconds -gt 0 ]] || { echo "compare: --max-seconds must be a whole number > 0" >&2; exit 2; }

anet_jar=$here/target/anet-benchmarks.jar
peers_dir=$here/target/peers
peers_jar=$peers_dir/target/peers.jar

# mvn offline first (works when every dependency is cached), online otherwise
mvn_package() {
	local dir=$1
	shift
	(cd "$dir" && { mvn -q -o package -DskipTests "$@" >/dev/null 2>&1 || mvn -q package -DskipTests "$@"; })
}

if [[ $build -eq 1 ]]; then
	echo "compare: building $anet_jar" >&2
	mvn_package "$repo" -pl anet-benchmarks -am
	if [[ ! -d $peers_src ]]; then
		echo "compare: reference peers not found at $peers_src (set PEERS_SRC)" >&2
		exit 2
	fi
	# build a copy: the shared folder is read-only reference material
	if [[ ! -f $peers_jar ]] || ! diff -rq "$peers_src/src" "$peers_dir/src" >/dev/null 2>&1 \
		|| ! cmp -s "$peers_src/pom.xml" "$peers_dir/pom.xml"; then
		echo "compare: building a copy of $peers_src in $peers_dir" >&2
		rm -rf "$peers_dir"
		mkdir -p "$peers_dir"
		cp -R "$peers_src/pom.xml" "$peers_src/src" "$peers_dir/"
		chmod -R u+w "$peers_dir"
		mvn_package "$peers_dir"
	fi
fi
for jar in "$anet_jar" "$peers_jar"; do
	[[ -f $jar ]] || { echo "compare: $jar is missing (run without --no-build)" >&2; exit 2; }
done
if [[ " $pairs " == *base-* || " $pairs " == *-base* ]]; then
	[[ -n $baseline_jar && -f $baseline_jar ]] || { echo "compare: the base pairs need BASELINE_JAR (an anet-benchmarks.jar)" >&2; exit 2; }
fi

logs=$(mktemp -d "${TMPDIR:-/tmp}/anet-compare.XXXXXX")
echo "compare: logs in $logs" >&2
server_pid=

stop_server() {
	[[ -n $server_pid ]] || return 0
	if kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		for _ in $(seq 100); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid" 2>/dev/null || true
	fi
	wait "$server_pid" 2>/dev/null || true
	server_pid=
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

tls_flags=""
if [[ $tls -eq 1 ]]; then
	certs=$peers_dir/target/certs
	bash "$peers_src/certs/make-certs.sh" "$certs"
	tls_flags="--tls --tls-dir $certs --tls-protocol $tls_protocol"
	if [[ $pairs_set -eq 0 ]]; then
		pairs="anet-anet netty-netty raw-raw anet-raw raw-anet anet-netty netty-anet"
	fi
fi

# server_cmd NAME PORT MODE / driver_cmd NAME MODE: the command line of each side (MODE plain: no TLS)
server_cmd() {
	local flags=$tls_flags
	[[ ${3:-} == plain ]] && flags=""
	case $1 in
		anet) echo "-jar $anet_jar server --port $2 $flags" ;;
		anetvt) echo "-jar $anet_jar server --port $2 --virtual-threads $flags" ;;
		anetvtsys) echo "-Djdk.pollerMode=1 -jar $anet_jar server --port $2 --virtual-threads $flags" ;;
		sslsocket) echo "-jar $anet_jar server --port $2 $flags --tls-impl socket" ;;
		base) echo "-jar $baseline_jar server --port $2 $flags" ;;
		basevt) echo "-jar $baseline_jar server --port $2 --virtual-threads $flags" ;;
		*) echo "-jar $peers_jar $1-server --port $2 $flags" ;;
	esac
}
driver_cmd() {
	local flags=$tls_flags
	[[ ${2:-} == plain ]] && flags=""
	case $1 in
		anet) echo "-jar $anet_jar load $flags $virtual_callers" ;;
		anetvt) echo "-jar $anet_jar load $flags --virtual-threads $virtual_callers" ;;
		sslsocket) echo "-jar $anet_jar load $flags --tls-impl socket $virtual_callers" ;;
		base) echo "-jar $baseline_jar load $flags $virtual_callers" ;;
		*) echo "-jar $peers_jar $1-load $flags $virtual_callers" ;;
	esac
}

# run_pair DRIVER SERVER PORT ROUND [REQUESTS WARMUP [MODE]]: prints the driver's JSON line (or
# nothing if it failed to run); writes "driver-CPU-seconds server-CPU-seconds" to $logs/TAG.cpu
run_pair() {
	local driver=$1 server=$2 port=$3 round=$4 n=${5:-$requests} w=${6:-$warmup} mode=${7:-}
	local tag=$driver-$server${mode:+@$mode}-r$round
	: >"$logs/$tag.server.log"
	# shellcheck disable=SC2046,SC2086  # word splitting of JAVA_OPTS and the command is wanted
	"$JAVA" $JAVA_OPTS $(server_cmd "$server" "$port" "$mode") >"$logs/$tag.server.log" 2>&1 &
	server_pid=$!
	for _ in $(seq 300); do # up to 30 s
		grep -qx "listening $port" "$logs/$tag.server.log" && break
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -qx "listening $port" "$logs/$tag.server.log"; then
		echo "compare: $server server did not start on port $port (log: $logs/$tag.server.log)" >&2
		stop_server
		return 0
	fi
	local rc=0 TIMEFORMAT='%U %S' ticks_before ticks_after
	# CPU time: the driver's (user + system, all its threads) from bash's time; the server's from
	# /proc, from when it listens (its start-up left out) to the driver's end
	ticks_before=$(awk '{ print $14 + $15 }' "/proc/$server_pid/stat" 2>/dev/null || echo 0)
	# shellcheck disable=SC2046,SC2086
	{ time timeout --signal=KILL $((max_seconds + 30)) "$JAVA" $JAVA_OPTS $(driver_cmd "$driver" "$mode") --host 127.0.0.1 \
		--port "$port" --connections "$connections" --concurrency "$callers" --requests "$n" --size "$size" \
		--warmup "$w" --max-seconds "$max_seconds" >"$logs/$tag.json" 2>"$logs/$tag.err"; } 2>"$logs/$tag.time" || rc=$?
	ticks_after=$(awk '{ print $14 + $15 }' "/proc/$server_pid/stat" 2>/dev/null || echo 0)
	stop_server
	awk -v ticks=$((ticks_after - ticks_before)) -v hz="$(getconf CLK_TCK)" \
		'NR == 1 && NF == 2 { printf "%.3f %.3f\n", $1 + $2, ticks / hz }' "$logs/$tag.time" >"$logs/$tag.cpu"
	if [[ $rc -ne 0 ]]; then
		echo "compare: $driver driver → $server server exited $rc (stderr: $logs/$tag.err)" >&2
	fi
	tail -n 1 "$logs/$tag.json"
}

median() { # numbers on stdin, one a line
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "" } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'
}

port=$port_base
# each driver's own start-up and connect cost (one request against its own server), subtracted from
# its CPU time below so that the CPU per request is the requests' alone
# a pair is DRIVER-SERVER, or DRIVER-SERVER@plain (with --tls: this pair without TLS)
pair_mode() { [[ $1 == *@* ]] && echo "${1#*@}" || true; }
pair_names() { local p=${1%@*}; echo "${p%-*} ${p#*-}"; }
for pair in $pairs; do
	case $(pair_mode "$pair") in
		'' | plain) ;;
		*) echo "compare: unknown mode in $pair (only @plain)" >&2; exit 2 ;;
	esac
done
declare -A startup
for key in $(for pair in $pairs; do m=$(pair_mode "$pair"); read -r d _ <<<"$(pair_names "$pair")"; echo "$d${m:+@$m}"; done | sort -u); do
	driver=${key%@*}
	mode=$(pair_mode "$key")
	echo "compare: measuring the $driver driver's start-up CPU${mode:+ ($mode)}" >&2
	run_pair "$driver" "$driver" "$port" start 1 0 "$mode" >/dev/null
	port=$((port + 1))
	startup[$key]=$(awk '{ print $1 }' "$logs/$driver-$driver${mode:+@$mode}-rstart.cpu" 2>/dev/null || echo 0)
done

for round in $(seq "$rounds"); do
	for pair in $pairs; do
		read -r driver server <<<"$(pair_names "$pair")"
		mode=$(pair_mode "$pair")
		echo "compare: round $round/$rounds: $driver driver → $server server${mode:+ ($mode)}" >&2
		line=$(run_pair "$driver" "$server" "$port" "$round" "$requests" "$warmup" "$mode")
		port=$((port + 1))
		# CPU µs per request (warm-up and measured requests), driver less its start-up, plus server
		awk -v start="${startup[$driver${mode:+@$mode}]:-0}" -v n=$((requests + warmup)) \
			'NF == 2 { printf "%.1f\n", ($1 - start + $2) * 1e6 / n }' "$logs/$driver-$server${mode:+@$mode}-r$round.cpu" \
			>>"$logs/$pair.cpu" 2>/dev/null || true
		echo "$line" >>"$logs/$pair.jsonl"
		echo "  $line" >&2
	done
done

# medians per pair
declare -A rps p50 p99 errs runs cpu
for pair in $pairs; do
	file=$logs/$pair.jsonl
	rps[$pair]=$(grep -o '"rps":[0-9.]*' "$file" | cut -d: -f2 | median)
	p50[$pair]=$(grep -o '"p50_us":[0-9.]*' "$file" | cut -d: -f2 | median)
	p99[$pair]=$(grep -o '"p99_us":[0-9.]*' "$file" | cut -d: -f2 | median)
	errs[$pair]=$(grep -o '"errors":[0-9]*' "$file" | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }')
	runs[$pair]=$(grep -c '"rps"' "$file" || true)
	cpu[$pair]=$(median <"$logs/$pair.cpu" 2>/dev/null || true)
done

jdk=$("$JAVA" -version 2>&1 | head -n 1)
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
echo "$(date -u '+%Y-%m-%d %H:%M UTC') · $jdk · $(nproc) cores${cpu:+ ($cpu)} · median of $rounds rounds ·" \
	"$callers callers, $connections connections, $size B payloads, $requests requests after $warmup warm-up"
echo
echo "| driver → server | rps | p50 µs | p99 µs | errors | anet rps ÷ this | this p99 ÷ anet p99 | CPU µs/request | this CPU ÷ anet CPU |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
base=anet-anet
for pair in $pairs; do
	ratio_rps="–"
	ratio_p99="–"
	ratio_cpu="–"
	if [[ -n ${rps[$base]:-} && -n ${rps[$pair]} && $pair != "$base" ]]; then
		ratio_rps=$(awk -v a="${rps[$base]}" -v b="${rps[$pair]}" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "–" }')
		ratio_p99=$(awk -v a="${p99[$base]}" -v b="${p99[$pair]}" 'BEGIN { if (a > 0) printf "%.2f×", b / a; else print "–" }')
		ratio_cpu=$(awk -v a="${cpu[$base]:-0}" -v b="${cpu[$pair]:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f×", b / a; else print "–" }')
	fi
	read -r driver server <<<"$(pair_names "$pair")"
	label=""
	if [[ $tls -eq 1 ]]; then
		label=" ($tls_protocol)"
		[[ $(pair_mode "$pair") == plain ]] && label=" (plaintext)"
	fi
	printf '| %s → %s%s | %s | %s | %s | %s%s | %s | %s | %s | %s |\n' "$driver" "$server" "$label" \
		"$(awk -v v="${rps[$pair]:-0}" 'BEGIN { printf "%.0f", v }')" "${p50[$pair]:-–}" "${p99[$pair]:-–}" \
		"${errs[$pair]}" "$([[ ${runs[$pair]} -lt $rounds ]] && echo " (${runs[$pair]}/$rounds runs)")" \
		"$ratio_rps" "$ratio_p99" "${cpu[$pair]:-–}" "$ratio_cpu"
done
