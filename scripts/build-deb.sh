#!/bin/sh
# Builds out/duban_<version>_<arch>.deb with dpkg-deb from a release binary (make deb does all of this):
#   scripts/build-deb.sh BINARY MANPAGE OUTDIR
# The package installs /usr/bin/duban, /usr/share/duban/Plans and the man page; its Depends are the Debian packages
# that own the shared libraries the binary still loads (ncursesw, SQLite, OpenCC — the Swift runtime is linked in),
# found with ldd and dpkg -S, plus OpenCC's dictionaries.
set -eu
bin="${1:?usage: $0 BINARY MANPAGE OUTDIR}"
man="${2:?usage: $0 BINARY MANPAGE OUTDIR}"
out="${3:-out}"
here="$(cd "$(dirname "$0")/.." && pwd)"

if ldd "$bin" | grep -q libswift; then
    echo "$bin 仍依赖 Swift 运行库（请用 --static-swift-stdlib 构建：make release）" >&2
    exit 1
fi
version="$("$bin" --version)"
arch="$(dpkg --print-architecture)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

install -d "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/share/duban" "$stage/usr/share/man/man1" "$stage/usr/share/doc/duban"
install -m 0755 "$bin" "$stage/usr/bin/duban"
strip --strip-unneeded "$stage/usr/bin/duban" 2>/dev/null || true
cp -R "$here/Plans" "$stage/usr/share/duban/Plans"
chmod -R u=rwX,go=rX "$stage/usr/share/duban/Plans"
gzip -9n < "$man" > "$stage/usr/share/man/man1/duban.1.gz"
chmod 0644 "$stage/usr/share/man/man1/duban.1.gz"
cp "$here/README.md" "$stage/usr/share/doc/duban/README.md"

# The packages that own the libraries the binary loads (libc6 included), each once. libc6 at the newest glibc version
# the binary names: packed relocations (GLIBC_ABI_DT_RELR) need 2.36, and an older loader would refuse the binary.
glibc="$(objdump -p "$bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)"
if objdump -p "$bin" | grep -q GLIBC_ABI_DT_RELR; then glibc="$(printf '%s\n2.36\n' "$glibc" | sort -V | tail -n 1)"; fi
depends="$(ldd "$bin" | awk '/=> \// { print $3 }' | while read -r lib; do
    dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true
done | cut -d: -f1 | sort -u | sed "s/^libc6\$/libc6 (>= $glibc)/" | paste -sd, | sed 's/,/, /g')"
size="$(du -sk "$stage/usr" | cut -f1)"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: duban
Version: $version
Architecture: $arch
Maintainer: duban maintainers <duban@localhost>
Installed-Size: $size
Depends: $depends, libopencc-data
Section: utils
Priority: optional
Description: 督办：政务公开工作要点任务督办台
 Terminal dashboard (ncursesw) and commands with which a municipal office supervises its
 annual 政务公开工作要点: the plan as a task tree, each unit's progress over SSH, a
 read-only summary for leaders, and bulletin (通报) and ledger exports.
CONTROL

mkdir -p "$out"
dpkg-deb --root-owner-group --build "$stage" "$out/duban_${version}_${arch}.deb" >/dev/null
echo "$out/duban_${version}_${arch}.deb"
