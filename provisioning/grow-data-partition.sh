#!/bin/sh
# First boot: grow Postern's data partition (the last partition of the boot disk) to the end of
# the disk. Run by postern-grow-data.service; the argument is the data partition's device.
# The partition is raw (the LUKS volume is created later, in the panel), so only the table changes.
set -eu
part=$(readlink -f "${1:?usage: grow-data-partition.sh DEVICE}")
[ -b "$part" ] || { echo "grow-data: $part is not a block device" >&2; exit 1; }
disk=/dev/$(lsblk -no PKNAME "$part")
num=$(cat "/sys/class/block/$(basename "$part")/partition")
[ -b "$disk" ] && [ -n "$num" ] || { echo "grow-data: cannot find the disk of $part" >&2; exit 1; }
if cryptsetup isLuks "$part" 2>/dev/null; then
  echo "grow-data: $part already holds a LUKS volume; not touching it"
else
  before=$(blockdev --getsize64 "$part")
  # ", +" = keep the start, take all free space after it.
  echo ", +" | sfdisk --no-reread --no-tell-kernel -N "$num" "$disk"
  partx -u --nr "$num" "$disk"
  after=$(blockdev --getsize64 "$part")
  echo "grow-data: $part grew from $before to $after bytes"
fi
mkdir -p /var/lib/postern
touch /var/lib/postern/.data-partition-grown
