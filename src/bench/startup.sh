#!/usr/bin/env bash
# Start-up cost of one short tracker command (--version, ping, next), per JVM and archive setting. Run after
# `mvn -q -DskipTests package`; prints a markdown table (docs/benchmarks.md keeps the latest).
# Usage: src/bench/startup.sh [runs per row, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
launcher=target/tracker
home=$(mktemp -d)
export TRACKER_HOME=$home/data HOME=$home
trap '$launcher server stop >/dev/null 2>&1 || true; rm -rf "$home"' EXIT
$launcher ping >/dev/null   # the embedded server is up before timing
cat > "$home/bench.yaml" <<'YAML'
name: startup-bench
objective: {metric: acc, goal: maximize}
datasets: [a, b, c, d]
models:
  m: {datasets: [a, b, c, d], params: {lr: {distribution: log_uniform, min: 1e-4, max: 1e-1}}}
search: {trials: 250, replicates: 2}
YAML
$launcher create "$home/bench.yaml" >/dev/null 2>&1

measure() { # label, env assignments..., -- args
  local label=$1; shift
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
  env "${envs[@]}" $launcher "$@" >/dev/null 2>&1   # warm the file cache, make a missing archive
  sleep 2
  local samples; samples=$(mktemp)
  local TIMEFORMAT='%R %U %S'
  for _ in $(seq "$runs"); do
    { time env "${envs[@]}" $launcher "$@" >/dev/null 2>&1; } 2>>"$samples"
  done
  # p50 of wall and of CPU (user + sys), in milliseconds
  local wall cpu
  wall=$(awk '{print $1*1000}' "$samples" | sort -n | awk -v n="$runs" 'NR==int((n+1)/2)')
  cpu=$(awk '{print ($2+$3)*1000}' "$samples" | sort -n | awk -v n="$runs" 'NR==int((n+1)/2)')
  rm -f "$samples"
  printf '| %s | `tracker %s` | %.0f | %.0f |\n' "$label" "$*" "$wall" "$cpu"
}

j17=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
j25=$(ls -d /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1 || true)
echo "| JVM and archive | command | wall p50 (ms) | CPU p50 (ms) |"
echo "|---|---|---:|---:|"
for args in "--version" "ping" "next -e startup-bench"; do
  measure "Java 17, no archive" TRACKER_JAVA=$j17 TRACKER_NO_ARCHIVE=1 -- $args
  measure "Java 17, AppCDS" TRACKER_JAVA=$j17 -- $args
  if [ -n "$j25" ]; then
    measure "Java 25, no archive" TRACKER_JAVA=$j25 TRACKER_NO_ARCHIVE=1 -- $args
    measure "Java 25, AOT cache" TRACKER_JAVA=$j25 -- $args
  fi
done
