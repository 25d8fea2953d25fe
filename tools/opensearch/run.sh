#!/usr/bin/env bash
# Starts an OpenSearch 2.19 cluster from the jars Maven Central publishes (no
# Docker, no download from elsewhere), for work on and tests of the
# OpenSearch backend.
#
#   tools/opensearch/run.sh DATA_DIR [HTTP_PORT [NODES]]         every node in one JVM
#   tools/opensearch/run.sh --jvms DATA_DIR [HTTP_PORT [NODES]]  one JVM per node (default 3)
#   tools/opensearch/run.sh --node DATA_DIR HTTP_PORT NODES I    node I of a --jvms cluster, alone
#
# Node i is node-i, keeps its data in DATA_DIR/node-i, answers HTTP on
# 127.0.0.1:HTTP_PORT+i (default 9200) and talks transport on HTTP_PORT+100+i.
# The one-JVM mode prints `ready` when every node has started.
#
# --jvms starts each node in a JVM of its own (heap: -Xms128m -Xmx384m, or
# VERBATIM_OPENSEARCH_NODE_JAVA_OPTS; log: DATA_DIR/node-i.log), prints
# `node I pid P` per JVM started, `ready` whenever the cluster is green with
# every node (`not ready: ...` when it stops being so) and `exited node I
# code C` when a node's JVM ends. Type `start I` to start node I again with
# its name and data directory (after a crash or a kill -9), `stop I` to stop
# it. --node runs one node of such a cluster in the foreground.
#
# Every mode stops (its nodes with it) when its stdin closes (or on Ctrl-C).
# DATA_DIR/snapshots is every node's `path.repo`: register an `fs` snapshot
# repository there with a relative location (PUT _snapshot/NAME
# {"type": "fs", "settings": {"location": "NAME"}}).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mode=()
launcher_heap=(-Xms256m -Xmx768m)
case "${1:-}" in
  --jvms)
    shift
    data="${1:?usage: run.sh --jvms DATA_DIR [HTTP_PORT [NODES]]}"
    mode=(--jvms "$(realpath -m "$data")" "${2:-9200}" "${3:-3}")
    # The supervisor only starts JVMs and polls health.
    launcher_heap=(-Xms16m -Xmx64m)
    ;;
  --node)
    shift
    [[ $# -eq 4 ]] || { echo "usage: run.sh --node DATA_DIR HTTP_PORT NODES I" >&2; exit 2; }
    mode=(--node "$(realpath -m "$1")" "$2" "$3" "$4")
    read -r -a launcher_heap <<< "${VERBATIM_OPENSEARCH_NODE_JAVA_OPTS:--Xms128m -Xmx384m}"
    ;;
  *)
    data="${1:?usage: run.sh DATA_DIR [HTTP_PORT [NODES]] (or --jvms, --node)}"
    mode=("$(realpath -m "$data")" "${2:-9200}" "${3:-1}")
    ;;
esac
cd "$here"
jar=target/opensearch-launcher-1.jar
if [[ ! -f target/classpath.txt || pom.xml -nt target/classpath.txt || ! -f $jar
      || -n "$(find src -newer "$jar" -print -quit)" ]]; then
  mvn -q -B package -DskipTests >&2
  mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
fi
exec java "${launcher_heap[@]}" -cp "$here/$jar:$(cat target/classpath.txt)" \
  verbatim.OpenSearchLauncher "${mode[@]}"
