#!/bin/sh
# Sets up duban on a shared office server (run as root):
#   a duban group, /srv/duban (database directory the group can write: WAL needs it),
#   /etc/duban/access.yaml (root-owned, 0644), and an sshd Match block for a leader account.
# Usage: scripts/setup-shared-server.sh ADMIN_ACCOUNT [LEADER_ACCOUNT]
set -eu
admin="${1:?usage: $0 ADMIN_ACCOUNT [LEADER_ACCOUNT]}"
leader="${2:-}"
data=/srv/duban
bin=/usr/local/bin/duban

[ "$(id -u)" -eq 0 ] || { echo "请以 root 运行" >&2; exit 1; }
[ -x "$bin" ] || { echo "请先安装 duban 到 $bin（swift build -c release 后复制 .build/release/duban）" >&2; exit 1; }

groupadd -f duban
usermod -a -G duban "$admin"
[ -n "$leader" ] && usermod -a -G duban "$leader"

# The database directory: setgid so new files belong to the duban group; no access for others.
install -d -o root -g duban -m 2770 "$data"
[ -d "$data/Plans" ] || cp -r "$(dirname "$0")/../Plans" "$data/Plans"
chown -R root:duban "$data/Plans"; chmod -R g+rX,o-rwx "$data/Plans"

# The access file: only root can change it; every account can read it.
install -d -o root -g root -m 0755 /etc/duban
if [ ! -f /etc/duban/access.yaml ]; then
    {
        echo "accounts:"
        echo "  $admin: { role: admin }"
        [ -n "$leader" ] && echo "  $leader: { role: leader }"
        echo "  # liyun: { role: staff, units: [芙蓉区] }"
        echo "groups: {}"
    } > /etc/duban/access.yaml
fi
chown root:root /etc/duban/access.yaml
chmod 0644 /etc/duban/access.yaml

# Every login shell finds the shared database and plans.
cat > /etc/profile.d/duban.sh <<PROFILE
export DUBAN_DB=$data/duban.sqlite
export DUBAN_PLANS=$data/Plans
PROFILE

if [ -n "$leader" ] && ! grep -q "Match User $leader" /etc/ssh/sshd_config 2>/dev/null; then
    cat >> /etc/ssh/sshd_config <<SSHD

Match User $leader
    ForceCommand env DUBAN_DB=$data/duban.sqlite DUBAN_PLANS=$data/Plans $bin summary
    PermitTTY yes
    X11Forwarding no
    AllowTcpForwarding no
SSHD
    echo "已为 $leader 加入 ForceCommand；请执行 systemctl reload ssh"
fi

# Create the database now, as root, group-writable (0660), bound to /etc/duban/access.yaml.
DUBAN_DB=$data/duban.sqlite DUBAN_PLANS=$data/Plans DUBAN_ACCESS=/etc/duban/access.yaml "$bin" access show
echo "完成。用 duban access grant 账号 --role staff --unit 芙蓉区 为各区县联络员授权。"
