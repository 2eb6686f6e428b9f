#!/usr/bin/env bash
# Installs Ringback as a service: release binaries in $PREFIX/bin, the systemd units, the
# example configuration in /etc/ringback (never overwriting one that exists), presets,
# hooks and the README in $PREFIX/share, and the `ringback` system user and group.
#   sudo scripts/install.sh                  # PREFIX=/usr/local
#   DESTDIR=/tmp/stage scripts/install.sh    # stage into a directory (packaging, CI):
#                                            # no user is created, systemd is not told
# Then: put managers and head in the ringback group (usermod -aG ringback LOGIN), edit
# /etc/ringback/ringback.toml, and `systemctl enable --now ringbackd ringback-report.timer`
# (plus ringbackd.socket for a push socket).
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
UNITDIR=${UNITDIR:-/etc/systemd/system}

scripts/install-deps.sh
bin=$(scripts/build-release.sh)

root="$DESTDIR"
install -d "$root$PREFIX/bin" "$root$UNITDIR" "$root/etc/ringback" \
    "$root$PREFIX/share/ringback/presets" "$root$PREFIX/share/ringback/hooks" "$root$PREFIX/share/doc/ringback"
# Stripped: the static standard library and Foundation's ICU data make 100 MB binaries
# with their symbols, 67 MB without.
install -s -m 0755 "$bin/ringbackd" "$bin/ringback" "$bin/ringback-web" "$root$PREFIX/bin/"
for unit in systemd/*.service systemd/*.socket systemd/*.timer; do
    sed "s|/usr/local/|$PREFIX/|g" "$unit" > "$root$UNITDIR/$(basename "$unit")"
    chmod 0644 "$root$UNITDIR/$(basename "$unit")"
done
install -m 0644 Config/presets/*.toml "$root$PREFIX/share/ringback/presets/"
install -m 0755 Config/hooks/* "$root$PREFIX/share/ringback/hooks/"
install -m 0644 README.md Config/managers.csv Config/clients.csv Config/contacts.csv "$root$PREFIX/share/doc/ringback/"
[ -e "$root/etc/ringback/ringback.toml" ] || install -m 0640 Config/ringback.toml "$root/etc/ringback/ringback.toml"
# LoadCredential= needs the file even without an AMI source.
[ -e "$root/etc/ringback/ami.secret" ] || install -m 0640 /dev/null "$root/etc/ringback/ami.secret"
[ -e "$root/etc/ringback/db.password" ] || install -m 0640 /dev/null "$root/etc/ringback/db.password"

if [ -z "$DESTDIR" ]; then
    getent group ringback >/dev/null || groupadd --system ringback
    getent passwd ringback >/dev/null || useradd --system --gid ringback --home-dir /var/lib/ringback \
        --shell /usr/sbin/nologin --comment "Ringback missed-call control" ringback
    getent group asterisk >/dev/null || groupadd --system asterisk
    chgrp ringback /etc/ringback/ringback.toml /etc/ringback/ami.secret /etc/ringback/db.password
    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
fi
echo "installed under ${DESTDIR:-/}: $PREFIX/bin/ringbackd, ringback, ringback-web, $UNITDIR/ringbackd.{service,socket}, ringback-web.service, ringback-report.{service,timer}"
