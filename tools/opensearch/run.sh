#!/usr/bin/env bash
# Starts an OpenSearch 2.19 cluster in one JVM from the jars Maven Central
# publishes (no Docker, no download from elsewhere), for work on and tests of
# an OpenSearch backend.
#
#   tools/opensearch/run.sh DATA_DIR [HTTP_PORT [NODES]]
#
# Node i answers HTTP on 127.0.0.1:HTTP_PORT+i (default 9200) and talks
# transport on HTTP_PORT+100+i. Prints `ready` when every node has started;
# the cluster stops when this script's stdin closes (or on Ctrl-C).
# DATA_DIR/snapshots is every node's `path.repo`: register an `fs` snapshot
# repository there with a relative location (PUT _snapshot/NAME
# {"type": "fs", "settings": {"location": "NAME"}}).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${1:?usage: run.sh DATA_DIR [HTTP_PORT [NODES]]}"
port="${2:-9200}"
nodes="${3:-1}"
cd "$here"
jar=target/opensearch-launcher-1.jar
if [[ ! -f target/classpath.txt || pom.xml -nt target/classpath.txt || ! -f $jar
      || -n "$(find src -newer "$jar" -print -quit)" ]]; then
  mvn -q -B package -DskipTests >&2
  mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
fi
exec java -Xms256m -Xmx768m -cp "$jar:$(cat target/classpath.txt)" \
  verbatim.OpenSearchLauncher "$data" "$port" "$nodes"
