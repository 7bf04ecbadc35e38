#!/usr/bin/env bash
# Build Postern's disk image from Debian packages: a Raspberry Pi (arm64) SD-card image, or an amd64
# variant of the same system for testing under QEMU.
#
#   sudo provisioning/build-image.sh --arch arm64 --out /var/cache/postern-image
#
# Layout (MBR, so every Raspberry Pi model's firmware can read it):
#   p1  FAT32, 256 MiB   /boot/firmware: the Pi firmware, kernel, initrd, config.txt, cmdline.txt
#   p2  ext4             the root file system (Debian bookworm, Node.js, tor, cryptsetup, Postern)
#   p3  raw, 64 MiB      the data partition: grown to the end of the card at first boot; the LUKS2
#                        volume is created on it in the panel's first-run setup.
# The amd64 variant has the same layout; QEMU boots it with its kernel and initrd given directly
# (written next to the image), so it carries no boot loader. The arm64 image can be booted the same
# way in QEMU's "virt" machine (npm run test:vm:arm64), which is how it is tested without a Pi.
set -euo pipefail

ARCH=arm64
OUT=
HOSTNAME_=postern
MIRROR=
NODE_VERSION=22.23.3
NODE_TGZ=
TOR_MODE=attach
AUTHORIZED_KEY=
UPDATE_KEY=
RELEASE=
CACHE=
REPO=$(cd "$(dirname "$0")/.." && pwd)
SUITE=bookworm
BOOT_MB=256
DATA_MB=64

usage() {
  cat <<EOF
usage: $0 --out DIR [--arch arm64|amd64] [--hostname NAME] [--mirror URL]
          [--node-version X.Y.Z | --node-tgz FILE] [--tor attach|off] [--cache DIR] [--authorized-key FILE]
          [--update-key FILE] [--release VERSION]

Builds DIR/postern-ARCH.img, and DIR/vmlinuz, DIR/initrd.img, DIR/cmdline.txt for booting it in QEMU.
  --arch            arm64 (Raspberry Pi 3/4/400, default) or amd64 (a test variant for QEMU)
  --hostname        the host name announced on the LAN with mDNS (NAME.local), default postern
  --mirror          Debian mirror (default: the first of this machine's apt sources)
  --node-version    Node.js version from the npm registry's node-linux-ARCH package (default $NODE_VERSION)
  --node-tgz        a node-linux-ARCH-X.Y.Z.tgz already downloaded (npm pack)
  --tor             attach (Postern uses postern-tor.service, default) or off
  --cache           keep the debootstrapped base system (with the kernel) in this folder for reruns
  --authorized-key  TESTS ONLY: install openssh-server and let this public key log in as root
  --update-key      the public key (postern update keygen) update bundles must be signed with;
                    without it the box refuses every update (/etc/postern/update-key.pub)
  --release         the version of this first release (default: package.json's version)
Needs root (debootstrap, chroot), debootstrap, sfdisk, mkfs.ext4, mkfs.vfat, mtools, npm, and for
arm64 qemu-user-static with binfmt_misc enabled (and, to cross-compile the native module quickly,
g++-aarch64-linux-gnu; without it the module is compiled under emulation). Run "npm run build" first: dist/ is copied.
EOF
}

die() { echo "build-image: error: $*" >&2; exit 1; }
STEP=0
STEPS=10
step() { STEP=$((STEP + 1)); echo "==> [$STEP/$STEPS] $*  ($(date -u +%H:%M:%S))"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --arch) ARCH=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    --hostname) HOSTNAME_=${2:?}; shift 2 ;;
    --mirror) MIRROR=${2:?}; shift 2 ;;
    --node-version) NODE_VERSION=${2:?}; shift 2 ;;
    --node-tgz) NODE_TGZ=${2:?}; shift 2 ;;
    --tor) TOR_MODE=${2:?}; shift 2 ;;
    --authorized-key) AUTHORIZED_KEY=${2:?}; shift 2 ;;
    --update-key) UPDATE_KEY=${2:?}; shift 2 ;;
    --release) RELEASE=${2:?}; shift 2 ;;
    --cache) CACHE=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

# Started from npm (npm run test:vm), the environment carries npm_config_* settings (nodedir, arch,
# target, ...) that node-gyp prefers to its own arguments: the module would be built for the host's
# Node.js. The build sets everything it needs itself.
while read -r v; do unset "$v"; done < <(env | grep -io '^npm_config_[a-z0-9_]*' || true)

# ---- input checks ---------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "this script needs root (debootstrap, chroot and device nodes): run it with sudo"
[ -n "$OUT" ] || { usage >&2; die "--out DIR is required"; }
case "$ARCH" in
  arm64) NPM_CPU=arm64; QEMU_USER=qemu-aarch64-static; ELF_MACHINE=aarch64 ;;
  amd64) NPM_CPU=x64; QEMU_USER=; ELF_MACHINE=x86-64 ;;
  *) die "--arch must be arm64 or amd64, not '$ARCH'" ;;
esac
[[ "$HOSTNAME_" =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]] || die "--hostname must be one DNS label (a-z, 0-9, -), not '$HOSTNAME_'"
[[ "$NODE_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--node-version must look like 22.23.3"
[ "${NODE_VERSION%%.*}" -ge 20 ] || die "Postern needs Node.js 20 or newer"
case "$TOR_MODE" in attach|off) ;; *) die "--tor must be attach or off" ;; esac
[ -z "$AUTHORIZED_KEY" ] || [ -r "$AUTHORIZED_KEY" ] || die "cannot read the key $AUTHORIZED_KEY"
[ -z "$NODE_TGZ" ] || [ -r "$NODE_TGZ" ] || die "cannot read $NODE_TGZ"
[ -z "$UPDATE_KEY" ] || grep -q '^untrusted comment:' "$UPDATE_KEY" || die "--update-key must be a minisign public key file (postern update keygen)"
grep -q 'secret key' "${UPDATE_KEY:-/dev/null}" && die "--update-key is a SECRET key: give the .pub file; the secret key never goes into an image"
RELEASE=${RELEASE:-$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$REPO/package.json" | head -1)}
[[ "$RELEASE" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] || die "--release must look like 1.2.3, not '$RELEASE'"
for tool in debootstrap sfdisk mkfs.ext4 mkfs.vfat mcopy npm tar chroot file; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install debootstrap fdisk e2fsprogs dosfstools mtools file; npm comes with Node.js)"
done
if [ -n "$QEMU_USER" ]; then
  command -v "$QEMU_USER" >/dev/null || die "$QEMU_USER is missing: apt-get install qemu-user-static binfmt-support"
  [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || die "binfmt_misc has no qemu-aarch64 entry: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && update-binfmts --enable qemu-aarch64"
fi
[ -f "$REPO/package-lock.json" ] && [ -f "$REPO/dist/appliance/cli.js" ] && [ -f "$REPO/dist/appliance/storage-helper/main.js" ] \
  || die "$REPO/dist is missing or incomplete: run 'npm ci && npm run build' in the repository first"
if [ -z "$MIRROR" ]; then
  MIRROR=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -m1 -oE 'https?://[^ ]+debian/?$' || true)
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

WORK=$(mktemp -d /var/tmp/postern-image.XXXXXX)
ROOT=$WORK/root
cleanup() {
  for m in dev/pts dev proc sys; do mountpoint -q "$ROOT/$m" 2>/dev/null && umount -l "$ROOT/$m"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
mount_api() { mount -t proc proc "$ROOT/proc"; mount -t sysfs sys "$ROOT/sys"; mount --bind /dev "$ROOT/dev"; mount --bind /dev/pts "$ROOT/dev/pts"; }
umount_api() { for m in dev/pts dev sys proc; do umount -l "$ROOT/$m"; done; }

DISKID=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
DATA_DEVICE=/dev/disk/by-partuuid/$DISKID-03
ROOT_SPEC=PARTUUID=$DISKID-02
echo "build-image: $ARCH image for host '$HOSTNAME_' from $MIRROR ($SUITE), Node.js $NODE_VERSION, disk id $DISKID, work dir $WORK"

# ---- 1. Debian base system and kernel (cached: the slow part) ------------------------------------
step "debootstrap $SUITE $ARCH and the kernel (the slow part; foreign architectures run under qemu-user-static)"
base=systemd,systemd-sysv,systemd-resolved,udev,dbus,kmod,iproute2,ca-certificates,cryptsetup-bin,e2fsprogs,fdisk
base=$base,tor,avahi-daemon,libnss-mdns,systemd-timesyncd,initramfs-tools,file,python3,make,g++
# (the test variant's openssh-server is added after the cache, so both variants share one base)
if [ "$ARCH" = arm64 ]; then kernel="raspi-firmware linux-image-arm64"; else kernel=linux-image-amd64; fi
BASE_TAR=
debs=()
if [ -n "$CACHE" ]; then
  mkdir -p "$CACHE/debs-$ARCH"
  debs=(--cache-dir="$CACHE/debs-$ARCH")
  BASE_TAR=$CACHE/base-$ARCH-$(printf '%s|%s|%s|%s' "$SUITE" "$base" "$kernel" "$MIRROR" | sha256sum | cut -c1-16).tar
fi
mkdir -p "$ROOT"
if [ -n "$BASE_TAR" ] && [ -f "$BASE_TAR" ]; then
  echo "build-image: base system from the cache $BASE_TAR"
  tar -xpf "$BASE_TAR" -C "$ROOT"
else
  nice debootstrap --arch="$ARCH" --variant=minbase --components=main,non-free-firmware "${debs[@]}" \
    --include="$base" "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  mkdir -p "$ROOT/boot/firmware"
  printf 'deb %s %s main non-free-firmware\n' "$MIRROR" "$SUITE" >"$ROOT/etc/apt/sources.list"
  rm -f "$ROOT/etc/resolv.conf"
  cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"   # for apt in the chroot; the image gets resolved's below
  mount_api
  # raspi-firmware copies the kernel, initrd and device trees to /boot/firmware from its hooks
  # (cmdline.txt is written again below, once the root partition's id is known).
  { in_root apt-get update -q && in_root apt-get install -y -q --no-install-recommends $kernel; } >"$WORK/kernel.log" 2>&1 \
    || { tail -20 "$WORK/kernel.log" >&2; umount_api; die "installing $kernel failed"; }
  umount_api
  in_root apt-get clean
  if [ -n "$BASE_TAR" ]; then tar -cpf "$BASE_TAR.tmp" -C "$ROOT" . && mv "$BASE_TAR.tmp" "$BASE_TAR"; fi
fi
if [ -n "$AUTHORIZED_KEY" ]; then
  echo "build-image: TEST VARIANT: adding openssh-server"
  rm -f "$ROOT/etc/resolv.conf"
  cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
  mount_api
  { in_root apt-get update -q && in_root apt-get install -y -q --no-install-recommends openssh-server; } >"$WORK/ssh.log" 2>&1 \
    || { tail -20 "$WORK/ssh.log" >&2; umount_api; die "installing openssh-server failed"; }
  umount_api
  in_root apt-get clean
fi

# ---- 2. system configuration --------------------------------------------------------------------
step "configure: host name, network, mDNS, volatile journal, no swap, users"
echo "$HOSTNAME_" >"$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s %s.local\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$HOSTNAME_" "$HOSTNAME_" >"$ROOT/etc/hosts"
cat >"$ROOT/etc/fstab" <<EOF
# The data volume is not here: postern-storage.service opens and mounts it after the household unlocks.
$ROOT_SPEC / ext4 defaults,noatime,commit=30 0 1
PARTUUID=$DISKID-01 /boot/firmware vfat defaults,noatime,umask=0077,nofail 0 2
tmpfs /tmp tmpfs defaults,nosuid,nodev,size=64M 0 0
EOF
mkdir -p "$ROOT/boot/firmware"
printf 'deb %s %s main non-free-firmware\ndeb %s %s-updates main non-free-firmware\n' "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" >"$ROOT/etc/apt/sources.list"
mkdir -p "$ROOT/etc/systemd/network" "$ROOT/etc/systemd/resolved.conf.d" "$ROOT/etc/systemd/journald.conf.d"
cat >"$ROOT/etc/systemd/network/20-wired.network" <<'EOF'
[Match]
Name=en* eth*

[Network]
DHCP=yes
IPv6AcceptRA=yes
EOF
# avahi-daemon announces HOSTNAME.local; resolved must not answer mDNS too.
printf '[Resolve]\nMulticastDNS=no\nLLMNR=no\n' >"$ROOT/etc/systemd/resolved.conf.d/postern.conf"
ln -sf ../run/systemd/resolve/stub-resolv.conf "$ROOT/etc/resolv.conf"
install -m 0644 "$REPO/systemd/journald.conf.d/postern.conf" "$ROOT/etc/systemd/journald.conf.d/postern.conf"
echo dm_crypt >"$ROOT/etc/modules-load.d/postern.conf"
in_root systemctl enable systemd-networkd systemd-resolved avahi-daemon systemd-timesyncd >/dev/null 2>&1
# No swap: nothing may page mail to the card in clear. (The image defines no swap; the target is
# masked so that none is ever activated.)
in_root systemctl mask swap.target >/dev/null 2>&1
in_root systemctl disable tor.service >/dev/null 2>&1 || true
in_root useradd --system --home-dir /var/lib/postern --no-create-home --shell /usr/sbin/nologin --user-group postern
in_root usermod -a -G debian-tor postern
in_root passwd -l root >/dev/null
# /var/lib/postern: root-owned; "data" is the mount point of the volume (root-owned while nothing
# is mounted, so the unprivileged process cannot write mail into the root file system by mistake);
# "postern-system" holds the TLS and onion keys, outside the volume, readable by postern only.
install -d -m 0755 -o 0 -g 0 "$ROOT/var/lib/postern" "$ROOT/var/lib/postern/data"
in_root install -d -m 0700 -o postern -g postern /var/lib/postern/postern-system

# ---- 3. boot files ------------------------------------------------------------------------------
step "boot files ($ARCH)"
mount_api
if [ "$ARCH" = arm64 ]; then
  sed -i "s|^#\?ROOTPART=.*|ROOTPART=$ROOT_SPEC|; s|^#\?CONSOLES=.*|CONSOLES=\"serial0,115200 tty1\"|" "$ROOT/etc/default/raspi-firmware"
  grep -q "^ROOTPART=$ROOT_SPEC" "$ROOT/etc/default/raspi-firmware" || echo "ROOTPART=$ROOT_SPEC" >>"$ROOT/etc/default/raspi-firmware"
  # raspi-firmware's kernel hook writes cmdline.txt and config.txt and copies the kernel, initrd and
  # device trees to /boot/firmware. Run the hook alone: the initrd made when the kernel was installed
  # is still right (the root partition is named on the command line, not in the initrd), and
  # rebuilding it under emulation takes tens of minutes.
  in_root env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware >"$WORK/raspi-firmware.log" 2>&1 \
    || { tail -20 "$WORK/raspi-firmware.log" >&2; die "raspi-firmware's kernel hook failed"; }
  for f in config.txt cmdline.txt start4.elf fixup4.dat bcm2711-rpi-4-b.dtb bcm2837-rpi-3-b-plus.dtb; do
    [ -e "$ROOT/boot/firmware/$f" ] || die "the Pi boot files are incomplete: /boot/firmware/$f is missing"
  done
  grep -q "root=$ROOT_SPEC" "$ROOT/boot/firmware/cmdline.txt" || die "cmdline.txt does not name the root partition: $(cat "$ROOT/boot/firmware/cmdline.txt")"
  ls "$ROOT"/boot/firmware/vmlinuz* "$ROOT"/boot/firmware/initrd.img* >/dev/null 2>&1 || die "no kernel or initrd in /boot/firmware"
  echo "build-image: /boot/firmware: $(ls "$ROOT/boot/firmware" | wc -l) files; cmdline.txt: $(cat "$ROOT/boot/firmware/cmdline.txt")"
fi

# ---- 4. Node.js ---------------------------------------------------------------------------------
step "Node.js $NODE_VERSION (npm registry package node-linux-$NPM_CPU)"
if [ -z "$NODE_TGZ" ]; then
  (cd "$WORK" && npm pack --silent "node-linux-$NPM_CPU@$NODE_VERSION" >/dev/null) || die "npm pack node-linux-$NPM_CPU@$NODE_VERSION failed"
  NODE_TGZ=$WORK/node-linux-$NPM_CPU-$NODE_VERSION.tgz
fi

# ---- 5. Postern: the first release, side by side with later ones ---------------------------------
# /opt/postern/releases/VERSION holds a whole release (dist/, node_modules with the native modules
# for this architecture, runtime/bin/node); /opt/postern/current points at the one that runs, and
# updates (appliance/update/, postern-update.service) add releases and switch that link.
# provisioning/build-app.sh builds the tree, the same script the update bundles use (npm run bundle).
step "Postern $RELEASE: application, node_modules for linux-$NPM_CPU, native modules, Node.js runtime"
APP=$ROOT/opt/postern/releases/$RELEASE
mkdir -p "$ROOT/opt/postern/releases"
bash "$REPO/provisioning/build-app.sh" --arch "$ARCH" --node-tgz "$NODE_TGZ" --out "$APP" --chroot "$ROOT" --log-dir "$WORK" \
  || die "building the release tree failed"
printf '{ "version": "%s", "arch": "%s", "node": "%s" }\n' "$RELEASE" "$ARCH" "$NODE_VERSION" >"$APP/release.json"
ln -sfn "releases/$RELEASE" "$ROOT/opt/postern/current"
ln -sf /opt/postern/current/runtime/bin/node "$ROOT/usr/local/bin/node"
got=$(in_root /usr/local/bin/node -p process.version) || die "node does not run in the $ARCH root"
[ "$got" = "v$NODE_VERSION" ] || die "node says $got, expected v$NODE_VERSION"
echo "build-image: node $got runs in the $ARCH root"
install -m 0755 "$REPO/provisioning/postern-cli.sh" "$ROOT/usr/local/bin/postern"
in_root /usr/local/bin/node /opt/postern/current/bin/postern.js help >/dev/null || die "postern help fails in the $ARCH root"

# ---- 6. operating system updates and the build tools ----------------------------------------------
# Debian's security updates install themselves (unattended-upgrades), with a reboot window when a
# kernel or library needs one. Postern's units live in /etc/systemd/system and its code and runtime
# under /opt/postern: no Debian package owns them, so upgrades leave them alone.
step "unattended-upgrades (Debian security updates, reboot window 04:30), build tools removed"
rm -f "$ROOT/etc/resolv.conf"; cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
{ in_root apt-get update -q && in_root apt-get install -y -q --no-install-recommends unattended-upgrades; } >"$WORK/unattended.log" 2>&1 \
  || { tail -20 "$WORK/unattended.log" >&2; die "installing unattended-upgrades failed"; }
ln -sf ../run/systemd/resolve/stub-resolv.conf "$ROOT/etc/resolv.conf"
cat >"$ROOT/etc/apt/apt.conf.d/20auto-upgrades" <<'EOF2'
APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
APT::Periodic::AutocleanInterval "7";
EOF2
cat >"$ROOT/etc/apt/apt.conf.d/52postern-unattended-upgrades" <<'EOF2'
// Postern: Debian's security updates (and stable point releases) without anyone at a shell.
Unattended-Upgrade::Origins-Pattern {
        "origin=Debian,codename=${distro_codename},label=Debian";
        "origin=Debian,codename=${distro_codename}-security,label=Debian-Security";
        "origin=Debian,codename=${distro_codename},label=Debian-Security";
};
Unattended-Upgrade::Remove-Unused-Dependencies "true";
// A kernel or C library update needs a reboot: inside the night's window. (A LUKS box then waits
// locked for its passphrase: senders retry, the panel says why.)
Unattended-Upgrade::Automatic-Reboot "true";
Unattended-Upgrade::Automatic-Reboot-Time "04:30";
EOF2
case "$MIRROR" in
  */debian|*/debian/) printf 'deb %s %s-security main non-free-firmware\n' "${MIRROR%/}-security" "$SUITE" >>"$ROOT/etc/apt/sources.list" ;;
  *) echo "build-image: note: no security mirror derived from $MIRROR; unattended-upgrades will see point releases only" ;;
esac
in_root apt-get purge -y -q --autoremove g++ make python3 >/dev/null 2>&1 || die "removing the build tools failed"
in_root apt-get clean
chown -R 0:0 "$ROOT/opt/postern"

# ---- 7. Postern's configuration and units ---------------------------------------------------------
step "Postern configuration and systemd units"
mkdir -p "$ROOT/etc/postern"
if [ "$TOR_MODE" = attach ]; then tor_json='{ "mode": "attach", "control": "/run/postern-tor/control", "socks": "127.0.0.1:9050" }'; else tor_json='{ "mode": "off" }'; fi
cat >"$ROOT/etc/postern/config.json" <<EOF
{
  "\$comment": "Postern on $HOSTNAME_; the household's settings live in the store, this file holds the box's own.",
  "hostname": "$HOSTNAME_.home.arpa",
  "domains": ["home.arpa"],
  "dataDir": "/var/lib/postern/data",
  "listen": {
    "mx": "0.0.0.0:25", "submission": "0.0.0.0:587", "submissions": "0.0.0.0:465",
    "imap": "0.0.0.0:143", "imaps": "0.0.0.0:993", "panel": "0.0.0.0:443", "mxOnion": "127.0.0.1:2526", "backupOnion": "127.0.0.1:7425"
  },
  "tor": $tor_json,
  "storage": { "mode": "luks", "device": "$DATA_DEVICE", "helperSocket": "/run/postern-storage/helper.sock" }
}
EOF
printf 'POSTERN_DATA_DEVICE=%s\nPOSTERN_DATA_MOUNT=/var/lib/postern/data\n' "$DATA_DEVICE" >"$ROOT/etc/postern/storage.env"
cat >"$ROOT/etc/postern/torrc" <<'EOF'
# Postern's tor (postern-tor.service). Postern adds its onion services over the control socket.
DataDirectory /var/lib/postern-tor
ControlSocket unix:/run/postern-tor/control GroupWritable RelaxDirModeCheck
ControlSocketsGroupWritable 1
CookieAuthentication 1
CookieAuthFile /run/postern-tor/control.authcookie
CookieAuthFileGroupReadable 1
SocksPort 127.0.0.1:9050
Log notice stdout
EOF
chmod 0644 "$ROOT/etc/postern/config.json" "$ROOT/etc/postern/storage.env" "$ROOT/etc/postern/torrc"
for u in postern.service postern-storage.service postern-tor.service postern-grow-data.service postern-report.service postern-update.service postern-update.timer; do
  install -m 0644 "$REPO/systemd/$u" "$ROOT/etc/systemd/system/$u"
done
if [ -n "$UPDATE_KEY" ]; then
  install -m 0644 "$UPDATE_KEY" "$ROOT/etc/postern/update-key.pub"
else
  echo "build-image: note: no --update-key: this image refuses every update bundle"
fi
units="postern.service postern-storage.service postern-grow-data.service postern-report.service postern-update.timer"
[ "$TOR_MODE" = attach ] && units="$units postern-tor.service"
in_root systemctl enable $units >/dev/null 2>&1 || die "systemctl enable failed"
in_root systemd-analyze verify /etc/systemd/system/postern.service /etc/systemd/system/postern-storage.service 2>&1 | grep -v 'Failed to prepare filename\|Unit .* not found\|is not executable' || true
printf '%s\n' "$ARCH" >"$ROOT/etc/postern/image-arch"

if [ -n "$AUTHORIZED_KEY" ]; then
  echo "build-image: TEST VARIANT: root may log in over ssh with $(ssh-keygen -lf "$AUTHORIZED_KEY" 2>/dev/null | cut -d' ' -f2)"
  install -d -m 0700 "$ROOT/root/.ssh"
  install -m 0600 "$AUTHORIZED_KEY" "$ROOT/root/.ssh/authorized_keys"
  printf 'PasswordAuthentication no\nPermitRootLogin prohibit-password\nUseDNS no\n' >"$ROOT/etc/ssh/sshd_config.d/postern-test.conf"
fi
umount_api

# ---- 8. boot files out of the root: for QEMU's direct kernel boot ------------------------------
# amd64 carries no boot loader, so QEMU is given these. The Pi boots from p1 (its firmware reads
# config.txt and cmdline.txt there); the copies next to the arm64 image let the same root file system
# be booted in QEMU's generic "virt" machine for testing (console on its PL011 UART, ttyAMA0).
step "collect boot files"
cp -L "$ROOT/vmlinuz" "$OUT/vmlinuz" 2>/dev/null || cp "$(ls "$ROOT"/boot/vmlinuz-* | sort -V | tail -1)" "$OUT/vmlinuz"
cp -L "$ROOT/initrd.img" "$OUT/initrd.img" 2>/dev/null || cp "$(ls "$ROOT"/boot/initrd.img-* | sort -V | tail -1)" "$OUT/initrd.img"
if [ "$ARCH" = amd64 ]; then console=ttyS0,115200; else console=ttyAMA0,115200; fi
echo "root=$ROOT_SPEC rw console=$console net.ifnames=0" >"$OUT/cmdline.txt"
mkdir -p "$WORK/firmware"
if [ -n "$(ls -A "$ROOT/boot/firmware")" ]; then mv "$ROOT"/boot/firmware/* "$WORK/firmware/"; fi
rm -rf "$ROOT/var/cache/apt/"*.bin "$ROOT/var/lib/apt/lists/"* "$ROOT/var/log/"*.log "$ROOT/etc/machine-id"
: >"$ROOT/etc/machine-id"   # a new id at first boot
rm -f "$ROOT/var/lib/dbus/machine-id"

# ---- 9. file systems ------------------------------------------------------------------------------
step "file systems (ext4 root from the tree, FAT32 boot)"
used_mb=$(du -sm "$ROOT" | cut -f1)
ROOT_MB=$(( (used_mb * 13 / 10) + 256 ))
mkfs.ext4 -q -F -L postern-root -O ^metadata_csum_seed -E root_owner=0:0 -d "$ROOT" "$WORK/root.ext4" "${ROOT_MB}M" || die "mkfs.ext4 failed"
mkfs.vfat -F 32 -n POSTERN -C "$WORK/boot.vfat" $((BOOT_MB * 1024)) >/dev/null || die "mkfs.vfat failed"
if [ -n "$(ls -A "$WORK/firmware")" ]; then mcopy -s -i "$WORK/boot.vfat" "$WORK"/firmware/* ::/ || die "copying the boot files failed"; fi

# ---- 10. the image --------------------------------------------------------------------------------
step "partition table and image"
IMG=$OUT/postern-$ARCH.img
rm -f "$IMG"
total_mb=$((1 + BOOT_MB + ROOT_MB + DATA_MB))
truncate -s "${total_mb}M" "$IMG"
sfdisk -q "$IMG" <<EOF
label: dos
label-id: 0x$DISKID
unit: sectors
start=2048, size=$((BOOT_MB * 2048)), type=c, bootable
start=$(((1 + BOOT_MB) * 2048)), size=$((ROOT_MB * 2048)), type=83
start=$(((1 + BOOT_MB + ROOT_MB) * 2048)), type=83
EOF
dd if="$WORK/boot.vfat" of="$IMG" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$WORK/root.ext4" of="$IMG" bs=1M seek=$((1 + BOOT_MB)) conv=notrunc,sparse status=none
cat >"$OUT/postern-$ARCH.json" <<EOF
{ "arch": "$ARCH", "image": "postern-$ARCH.img", "diskId": "$DISKID", "root": "$ROOT_SPEC", "dataDevice": "$DATA_DEVICE",
  "node": "$NODE_VERSION", "hostname": "$HOSTNAME_", "tor": "$TOR_MODE", "sizeMiB": $total_mb, "rootMiB": $ROOT_MB, "testAccess": $([ -n "$AUTHORIZED_KEY" ] && echo true || echo false) }
EOF
sfdisk -l "$IMG"
echo "build-image: done: $IMG (${total_mb} MiB; flash it with: dd if=$IMG of=/dev/sdX bs=4M conv=fsync)"
