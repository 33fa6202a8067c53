#!/bin/sh
# Sets up duban on a shared office server (run as root):
#   - a service account `duban` that alone owns the database directory (/srv/duban, 0700), and duban installed
#     setuid to it: clerks write the database only through duban, never with sqlite3 or by hand;
#   - /etc/duban/server.yaml (root, 0644): the database, plans and access file duban uses, whatever a clerk's
#     environment or options say;
#   - /etc/duban/access.yaml (root, 0644): who may do what; the database bound to it;
#   - a root-owned copy of duban for root's own commands (sudo duban …, the cron job): root never runs the setuid
#     copy, which the service account owns and so could replace; the copy takes the service account's identity for
#     the database itself;
#   - a root cron job that verifies the audit chains every hour and writes their head to /var/log/duban/audit-heads,
#     a file only root can write;
#   - for a leader account, an sshd Match block that opens the read-only summary.
# Usage: scripts/setup-shared-server.sh ADMIN_ACCOUNT [LEADER_ACCOUNT]
# Locations can be changed for a trial installation: DUBAN_BIN, DUBAN_ADMIN_BIN, DUBAN_ADMIN_LIB, DUBAN_DATA, DUBAN_PLANS_SOURCE, DUBAN_SERVICE,
# DUBAN_LOG_DIR, DUBAN_CRON, DUBAN_ACCESS_FILE (server.yaml stays in /etc/duban: the installed program reads it
# from there only).
set -eu
admin="${1:?usage: $0 ADMIN_ACCOUNT [LEADER_ACCOUNT]}"
leader="${2:-}"
bin="${DUBAN_BIN:-/usr/local/bin/duban}"
admin_bin="${DUBAN_ADMIN_BIN:-/usr/local/sbin/duban}"
admin_lib="${DUBAN_ADMIN_LIB:-/usr/local/lib/duban}"
data="${DUBAN_DATA:-/srv/duban}"
plans_source="${DUBAN_PLANS_SOURCE:-$(dirname "$0")/../Plans}"
service="${DUBAN_SERVICE:-duban}"
logdir="${DUBAN_LOG_DIR:-/var/log/duban}"
cron="${DUBAN_CRON:-/etc/cron.d/duban-audit}"
etc=/etc/duban
access="${DUBAN_ACCESS_FILE:-$etc/access.yaml}"

[ "$(id -u)" -eq 0 ] || { echo "请以 root 运行" >&2; exit 1; }
[ -L "$bin" ] && { echo "$bin 是符号链接：请把 duban 程序文件本身复制到该位置" >&2; exit 1; }
[ -x "$bin" ] || { echo "请先安装 duban 到 $bin（swift build -c release 后复制 .build/release/duban）" >&2; exit 1; }
id -u "$admin" >/dev/null 2>&1 || { echo "没有账号 $admin" >&2; exit 1; }

# The service account: no login, no home of its own.
if ! id -u "$service" >/dev/null 2>&1; then
    # An earlier setup may have left a group of that name (the clerks' shared group): use it rather than fail.
    if getent group "$service" >/dev/null; then group_option="-g $service"; else group_option="--user-group"; fi
    useradd --system $group_option --no-create-home --home-dir "$data" --shell /usr/sbin/nologin "$service"
fi

# Earlier setups put the clerks in a duban group so that they could write the file; nobody needs that now.
if getent group duban >/dev/null; then
    for member in $(getent group duban | cut -d: -f4 | tr ',' ' '); do
        [ "$member" = "$service" ] || { gpasswd -d "$member" duban >/dev/null; echo "已将 $member 移出 duban 组（不再需要直接写数据库）"; }
    done
fi

# The data directory and the plans: the service account's alone.
install -d -o "$service" -g "$(id -gn "$service")" -m 0700 "$data"
[ -d "$data/Plans" ] || cp -r "$plans_source" "$data/Plans"
chown -R "$service:$(id -gn "$service")" "$data"
chmod -R go-rwx "$data"
for f in "$data"/duban.sqlite "$data"/duban.sqlite-wal "$data"/duban.sqlite-shm; do
    if [ -e "$f" ]; then chmod 0600 "$f"; fi
done

# Root's copy, root-owned and not setuid, and the command root types (sudo's PATH has /usr/local/sbin first).
install -d -o root -g root -m 0755 "$admin_lib" "$(dirname "$admin_bin")"
install -o root -g root -m 0755 "$bin" "$admin_lib/duban"
cat > "$admin_bin" <<ADMIN
#!/bin/sh
# duban for root (written by scripts/setup-shared-server.sh): a root-owned copy that uses the server's database as the
# service account, whose setuid copy ($bin) root never runs.
DUBAN_SERVER_CONFIG=$etc/server.yaml exec $admin_lib/duban "\$@"
ADMIN
chown root:root "$admin_bin"
chmod 0755 "$admin_bin"

# The administrator's settings and the access file: only root can change them; every account can read them.
install -d -o root -g root -m 0755 "$etc"
cat > "$etc/server.yaml" <<CONFIG
# duban 共享服务器配置（由 scripts/setup-shared-server.sh 写入；只有 root 能修改）
database: $data/duban.sqlite
plans: $data/Plans
access: $access
CONFIG
chmod 0644 "$etc/server.yaml"
if [ ! -f "$access" ]; then
    {
        echo "accounts:"
        echo "  $admin: { role: admin }"
        if [ -n "$leader" ]; then echo "  $leader: { role: leader }"; fi
        echo "  # liyun: { role: staff, units: [芙蓉区] }"
        echo "groups: {}"
    } > "$access"
fi
chown root:root "$access"
chmod 0644 "$access"
# The earlier layout exported DUBAN_DB from here; the installed program takes its paths from server.yaml now.
rm -f /etc/profile.d/duban.sh

if [ -n "$leader" ] && [ ! -f /etc/ssh/sshd_config ]; then
    echo "注意：没有 /etc/ssh/sshd_config，未为 $leader 设置 ForceCommand $bin summary"
elif [ -n "$leader" ] && ! grep -qx "Match User $leader" /etc/ssh/sshd_config; then
    cat >> /etc/ssh/sshd_config <<SSHD

Match User $leader
    ForceCommand $bin summary
    PermitTTY yes
    X11Forwarding no
    AllowTcpForwarding no
SSHD
    echo "已为 $leader 加入 ForceCommand；请执行 systemctl reload ssh"
fi

# Create the database (as the service account) and bind it to the access file: the administrator decides.
"$admin_bin" access bind

# The audit heads, where neither the clerks nor the service account can write.
install -d -o root -g root -m 0755 "$logdir"
cat > "$cron" <<CRON
# duban: verify the audit chains hourly; each head is appended to a log only root can write.
17 * * * * root $admin_bin audit verify --head-log $logdir/audit-heads >> $logdir/audit.log 2>&1
CRON
chmod 0644 "$cron"
"$admin_bin" audit verify --head-log "$logdir/audit-heads"

# Last: the clerks' program, setuid to the service account (chown first: it clears the bit), once all else is in place.
chown "$service:root" "$bin"
chmod 4755 "$bin"

"$admin_bin" access show
echo "完成。用 sudo duban access grant 账号 --role staff --unit 芙蓉区 为各区县联络员授权。"
