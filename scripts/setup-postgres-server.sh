#!/bin/sh
# Sets up the province's shared PostgreSQL database for duban on Debian (run as root):
#   - the `postgresql` package and its cluster (pg_ctlcluster), listening on the Unix socket;
#   - shared_buffers a quarter of the machine's memory (PostgreSQL's own advice for a dedicated server) unless already
#     changed: with the default 128MB a plan's "as of" read at 10M events fetched most pages from the OS, 1.5–2× slower;
#   - pg_hba.conf: the duban database reached over the socket with peer authentication only — an OS account connects
#     as the role of its own name, with no password anywhere; no TCP for it;
#   - the database and duban's schema, roles, functions and row-level security (`duban server init`, as postgres);
#   - a login role per account and its duban role (`duban access grant`, recorded in the database).
# duban itself is installed as a plain binary (not setuid): the server must see each clerk's own account.
# Usage:
#   scripts/setup-postgres-server.sh ADMIN [staff:ACCOUNT:UNIT[,UNIT…] …] [leader:ACCOUNT …]
#   e.g. scripts/setup-postgres-server.sh zhangsan staff:lisi:芙蓉区 leader:wangwu
# Then every account uses: duban COMMAND … --db 'postgresql:///duban?host=/var/run/postgresql' … (or DUBAN_DB in its profile).
set -eu
admin="${1:?usage: $0 ADMIN [staff:ACCOUNT:UNITS …] [leader:ACCOUNT …]}"
shift
db="${DUBAN_PG_DATABASE:-duban}"
socket="${DUBAN_PG_SOCKET:-/var/run/postgresql}"
bin="${DUBAN_BIN:-/usr/local/bin/duban}"
url="postgresql:///$db?host=$socket"

[ "$(id -u)" -eq 0 ] || { echo "请以 root 运行" >&2; exit 1; }
[ -x "$bin" ] || { echo "请先安装 duban 到 $bin（make install）" >&2; exit 1; }
if [ -u "$bin" ]; then
    echo "$bin 带有 setuid 位：PostgreSQL 模式下数据库按调用者本人的账号认证，请去掉（chmod u-s $bin）" >&2; exit 1
fi
command -v pg_lsclusters >/dev/null || apt-get install -y --no-install-recommends postgresql postgresql-client

# The cluster: Debian's default one, started.
version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters -h | awk 'NR==1 {print $2}')
[ -n "$version" ] || { echo "没有 PostgreSQL 集群：请执行 pg_createcluster --start 15 main" >&2; exit 1; }
pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
hba="/etc/postgresql/$version/$cluster/pg_hba.conf"

as_postgres() { runuser -u postgres -- "$@"; }
# The buffer cache: a quarter of memory, set once. Only while it is still initdb's 128MB (16384 pages of 8kB) and not
# set by ALTER SYSTEM: an administrator's own value, or ours from an earlier run, is kept.
buffers=$(as_postgres psql -X -h "$socket" -tAc "SELECT 1 FROM pg_settings WHERE name = 'shared_buffers' AND setting = '16384'
    AND coalesce(sourcefile, '') NOT LIKE '%postgresql.auto.conf'" || true)
if [ -n "$buffers" ]; then
    quarter_mb=$(awk '/^MemTotal:/ {print int($2 / 1024 / 4)}' /proc/meminfo)
    if [ "${quarter_mb:-0}" -gt 128 ]; then
        as_postgres psql -X -q -h "$socket" -c "ALTER SYSTEM SET shared_buffers = '${quarter_mb}MB'"
        pg_ctlcluster "$version" "$cluster" restart
    fi
fi

# Peer authentication for duban's database, ahead of every other rule (the first matching line wins).
line="local   $db   all   peer"
if ! grep -qx "$line" "$hba"; then
    cp "$hba" "$hba.before-duban"
    { echo "# duban: OS account = database role, over the Unix socket only"; echo "$line"; echo "host    $db   all   all   reject";
      cat "$hba.before-duban"; } >"$hba"
    pg_ctlcluster "$version" "$cluster" reload
fi

psql_q() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$socket" -d "${2:-postgres}" -c "$1"; }
role() {
    psql_q "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$1') THEN CREATE ROLE \"$1\" LOGIN; END IF; END \$\$"
}

as_postgres psql -X -h "$socket" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 || psql_q "CREATE DATABASE $db"
as_postgres "$bin" server init --db "$url"

id -u "$admin" >/dev/null 2>&1 || { echo "没有账号 $admin" >&2; exit 1; }
role "$admin"
as_postgres "$bin" access grant "$admin" --role admin --db "$url"
for spec in "$@"; do
    kind=${spec%%:*}; rest=${spec#*:}
    case "$kind" in
    staff)
        account=${rest%%:*}; units=${rest#*:}
        role "$account"
        set -- ; old_ifs=$IFS; IFS=,
        for unit in $units; do set -- "$@" --unit "$unit"; done
        IFS=$old_ifs
        as_postgres "$bin" access grant "$account" --role staff "$@" --db "$url"
        ;;
    leader)
        role "$rest"
        as_postgres "$bin" access grant "$rest" --role leader --db "$url"
        ;;
    *) echo "不认识的授权“$spec”：应为 staff:账号:单位,单位 或 leader:账号" >&2; exit 1 ;;
    esac
done
echo "完成：数据库 $url；各账号用 duban 命令 … --db '$url'（或在其环境中设 DUBAN_DB）"
