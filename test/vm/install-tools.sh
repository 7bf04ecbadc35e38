#!/usr/bin/env bash
# The tools the VM tests need (npm run test:vm runs this first): QEMU, the image build's tools
# (debootstrap, partitioning, FAT, ext4), ssh into the test image, netcat for the guest's feed
# forward, swaks and minisign. arm64 (POSTERN_VM_ARCH=arm64) adds QEMU's arm64 system and user
# emulators and the cross-compiler. Installs only what is missing (apt-get, as root or with sudo).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
packages=(qemu-system-x86 qemu-utils debootstrap fdisk e2fsprogs dosfstools mtools file openssh-client netcat-openbsd swaks minisign ca-certificates)
if [ "${POSTERN_VM_ARCH:-amd64}" = arm64 ]; then packages+=(qemu-system-arm qemu-user-static binfmt-support g++-aarch64-linux-gnu); fi
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "test:vm: installing ${missing[*]}"
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/postern-vm-apt.log 2>&1 || { tail -20 /tmp/postern-vm-apt.log; echo "test:vm: apt-get install failed" >&2; exit 1; }
