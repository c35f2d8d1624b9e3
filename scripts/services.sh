#!/usr/bin/env bash
# Installs and starts the real services the test suite (and the benchmarks) use, on
# loopback only, idempotently:
#   scripts/services.sh start    install what is missing, start PostgreSQL and Elasticsearch
#   scripts/services.sh stop     stop what this checkout started
#   scripts/services.sh env      print the DATABASE_URL / ELASTICSEARCH_URL to export
#   scripts/services.sh run CMD  start them, run CMD with that environment, stop what was started
# A service named in the environment (DATABASE_URL, ELASTICSEARCH_URL) is used as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

ES_VERSION="8.18.0"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
PG_PORT="${TEST_PG_PORT:-55432}"
ES_PORT="${TEST_ES_PORT:-59200}"
SERVICE_USER="netsvc"   # PostgreSQL and Elasticsearch both refuse to run as root
STATE_DIR="$PWD/var/services"

log() { echo "==> $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }

as_service_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$SERVICE_USER" -- "$@"; else "$@"; fi
}

apt_install() {
    [ "$(id -u)" = 0 ] || die "missing system packages ($*); install them with apt-get as root"
    if [ ! -f /var/tmp/.network-commons-apt-updated ]; then
        apt-get update -qq && touch /var/tmp/.network-commons-apt-updated
    fi
    log "installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_system_packages() {
    local wanted=()
    [ -n "$(pg_bin)" ] || wanted+=(postgresql)
    [ -x /usr/bin/chromium ] || wanted+=(chromium)
    command -v java >/dev/null || wanted+=(openjdk-17-jre-headless)
    command -v mvn >/dev/null || wanted+=(maven)
    command -v unzip >/dev/null || wanted+=(unzip)
    [ -f /usr/share/hunspell/en_US.dic ] || wanted+=(hunspell-en-us)
    command -v npm >/dev/null || wanted+=(npm)   # axe-core for the accessibility checks
    command -v wrk >/dev/null || wanted+=(wrk)   # the page benchmark's load tool
    [ -x /usr/sbin/nginx ] || wanted+=(nginx-light)   # scripts/serve.sh's proxy, tested and benchmarked
    [ ${#wanted[@]} -eq 0 ] || apt_install "${wanted[@]}"
    if [ "$(id -u)" = 0 ] && ! id "$SERVICE_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
    fi
    mkdir -p "$STATE_DIR"
    [ "$(id -u)" != 0 ] || chown "$SERVICE_USER" "$STATE_DIR"
    as_service_user test -w "$STATE_DIR" \
        || die "$SERVICE_USER cannot write $STATE_DIR: clone the project where other users can traverse its parent folders"
}

# --- PostgreSQL ---------------------------------------------------------------
PG_DATA="$STATE_DIR/postgres"
PG_URL="postgres://commons@127.0.0.1:${PG_PORT}/commons"

pg_running() { as_service_user "$(pg_bin)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

start_postgres() {
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        log "initialising PostgreSQL in $PG_DATA"
        as_service_user "$(pg_bin)/initdb" -D "$PG_DATA" -U commons --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if pg_running; then
        log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
    else
        log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        as_service_user "$(pg_bin)/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
            -o "-h 127.0.0.1 -p $PG_PORT -k '' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
            || { tail -n 20 "$PG_DATA/server.log" >&2; return 1; }
    fi
    as_service_user "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U commons -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'commons'" | grep -q 1 \
        || as_service_user "$(pg_bin)/createdb" -h 127.0.0.1 -p "$PG_PORT" -U commons commons
}

stop_postgres() {
    if pg_running; then
        log "stopping PostgreSQL"
        as_service_user "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi
}

# --- Elasticsearch ------------------------------------------------------------
ES_HOME="$STATE_DIR/elasticsearch-$ES_VERSION"
ES_PID="$STATE_DIR/elasticsearch.pid"
ES_URL="http://127.0.0.1:${ES_PORT}"

es_running() { curl -fsS "$ES_URL/_cluster/health" >/dev/null 2>&1; }

install_elasticsearch() {
    [ -x "$ES_HOME/bin/elasticsearch" ] && return
    local m2="${MAVEN_REPO:-$HOME/.m2/repository}"
    local zip="$m2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
    if [ ! -f "$zip" ]; then
        log "fetching Elasticsearch $ES_VERSION (integ-test-zip) from Maven Central into $m2"
        mvn -q -Dmaven.repo.local="$m2" dependency:get -Dartifact="$ES_ARTIFACT" -Dtransitive=false >/dev/null
    fi
    log "unpacking Elasticsearch into $ES_HOME"
    rm -rf "$ES_HOME.partial"
    mkdir -p "$ES_HOME.partial"
    unzip -q "$zip" -d "$ES_HOME.partial"
    mv "$ES_HOME.partial/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf "$ES_HOME.partial"
    [ "$(id -u)" != 0 ] || chown -R "$SERVICE_USER" "$ES_HOME"
}

# The distribution has no stemmer filters, but its core hunspell filter stems English
# with Debian's en_US dictionary (read from config/hunspell/ when the node starts).
install_hunspell_dictionary() {
    local dictionary="$ES_HOME/config/hunspell/en_US"
    [ -f "$dictionary/en_US.dic" ] && return
    mkdir -p "$dictionary"
    cp /usr/share/hunspell/en_US.aff /usr/share/hunspell/en_US.dic "$dictionary/"
    [ "$(id -u)" != 0 ] || chown -R "$SERVICE_USER" "$ES_HOME/config/hunspell"
}

start_elasticsearch() {
    install_elasticsearch
    install_hunspell_dictionary
    if es_running; then
        log "Elasticsearch already running on $ES_URL"
        return
    fi
    log "starting Elasticsearch on $ES_URL"
    local java_home
    java_home="${ES_JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
    as_service_user env ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="${ES_JAVA_OPTS:--Xms512m -Xmx512m}" \
        "$ES_HOME/bin/elasticsearch" -d -p "$ES_PID" \
        -Ediscovery.type=single-node -Enetwork.host=127.0.0.1 -Ehttp.port="$ES_PORT" \
        -Etransport.port=$((ES_PORT + 100)) -Expack.security.enabled=false \
        -Ecluster.routing.allocation.disk.threshold_enabled=false \
        -Epath.data="$STATE_DIR/es-data" -Epath.logs="$STATE_DIR/es-logs" >/dev/null 2>&1 \
        || { tail -n 30 "$STATE_DIR/es-logs/elasticsearch.log" >&2 2>/dev/null; return 1; }
    for _ in $(seq 1 90); do
        es_running && curl -fsS "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=30s" >/dev/null && return
        sleep 1
    done
    log "Elasticsearch did not answer within 90 s"
    tail -n 30 "$STATE_DIR/es-logs/elasticsearch.log" >&2 2>/dev/null || true
    return 1
}

stop_elasticsearch() {
    local pid
    pid="$(cat "$ES_PID" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        log "stopping Elasticsearch"
        kill "$pid"
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$ES_PID"
}

# --- entry points -------------------------------------------------------------
case "${1:-}" in
    start)
        install_system_packages
        [ -n "${DATABASE_URL:-}" ] || start_postgres || { stop_postgres; die "PostgreSQL did not start"; }
        [ -n "${ELASTICSEARCH_URL:-}" ] || start_elasticsearch \
            || { stop_elasticsearch; [ -n "${DATABASE_URL:-}" ] || stop_postgres; die "Elasticsearch did not start"; }
        ;;
    stop)
        stop_elasticsearch
        stop_postgres
        ;;
    env)
        echo "export DATABASE_URL=${DATABASE_URL:-$PG_URL}"
        echo "export ELASTICSEARCH_URL=${ELASTICSEARCH_URL:-$ES_URL}"
        ;;
    run)
        shift
        started_here=""
        [ -n "${DATABASE_URL:-}" ] && [ -n "${ELASTICSEARCH_URL:-}" ] || started_here=yes
        trap '[ -z "$started_here" ] || [ -n "${KEEP_SERVICES:-}" ] || "$0" stop' EXIT
        "$0" start
        eval "$("$0" env)"
        "$@"
        ;;
    *)
        echo "usage: $0 start|stop|env|run CMD..." >&2
        exit 2
        ;;
esac
