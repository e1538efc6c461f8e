#!/usr/bin/env bash
# Starts one node of a tokenauth cluster of Payara Micro 6 instances on one PostgreSQL, in the foreground (for systemd,
# a container's entry point, or the test of the two-node run, PayaraClusterIT, which starts its nodes with this very
# script and cluster.properties). Every node runs the same command with its own NODE_NAME and ports:
#
#   PAYARA_MICRO_JAR=/opt/payara-micro.jar TOKENAUTH_WAR=/opt/tokenauth.war PGJDBC_JAR=/opt/postgresql-42.7.x.jar \
#   TOKENAUTH_DB_URL='jdbc:postgresql://db.example.internal:5432/tokenauth?connectTimeout=2&loginTimeout=2&socketTimeout=4&tcpKeepAlive=true' \
#   TOKENAUTH_DB_USER=tokenauth TOKENAUTH_DB_PASSWORD=... TOKENAUTH_DEVICE_COOKIE_KEY=... NODE_NAME=node1 \
#   webapp-config/payara-cluster/start-node.sh
#
# - The database is tokenauth's own JDBC URL (TOKENAUTH_DB_*, environment variables, so that the password is in no
#   file and no command line); the first node to start makes the schema, the others wait for it.
# - The nodes form one Hazelcast data grid, named CLUSTER_NAME: a browser's session (the WAR is <distributable/>)
#   lives in the grid, so a login made on one node holds on every other, whichever node the balancer picks (but a
#   logout reaches no other node's copy of the session: use sticky sessions, see webapp-config/README.md). They find
#   each other by CLUSTER_MODE: multicast by default (one network segment); where there is none (most clouds), list
#   the members, e.g. CLUSTER_MODE=tcpip:10.0.0.11:5900,10.0.0.12:5900, or use dns:... (Payara's --clustermode).
# - Tokens need none of this: every node reads them from PostgreSQL and hears the others' revocations through
#   LISTEN/NOTIFY; the throttles count for the whole cluster in PostgreSQL (README, "Several nodes").
# - TOKENAUTH_DEVICE_COOKIE_KEY: the same on every node (openssl rand -hex 32), or a device cookie from one node counts
#   as none on the others.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${PAYARA_MICRO_JAR:?the path of payara-micro.jar}"
: "${TOKENAUTH_WAR:?the path of tokenauth.war}"
: "${PGJDBC_JAR:?the path of PostgreSQL JDBC driver jar (postgresql-42.7.x.jar)}"
: "${TOKENAUTH_DB_URL:?the JDBC URL of the cluster PostgreSQL database}"

exec java ${JAVA_OPTS:--Xmx512m} -jar "$PAYARA_MICRO_JAR" \
  --deploy "$TOKENAUTH_WAR" --contextroot / \
  --addlibs "$PGJDBC_JAR" \
  --systemproperties "$here/cluster.properties" \
  --name "${NODE_NAME:?a name of this node, unique in the cluster}" \
  --port "${NODE_HTTP_PORT:-8080}" \
  --clustername "${CLUSTER_NAME:-tokenauth}" \
  --clustermode "${CLUSTER_MODE:-multicast:224.2.2.4:2904}" \
  --startport "${NODE_GRID_PORT:-5900}" \
  --nohostaware
