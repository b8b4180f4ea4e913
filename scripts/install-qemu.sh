#!/usr/bin/env bash
# install-qemu.sh — make sure the host's own QEMU (qemu-system-x86_64) is installed.
#
# On the project's Debian 12 (bookworm) machines this is QEMU 7.2 from the host's
# apt sources, with its BIOS (seabios) and NIC option ROMs (ipxe-qemu). It does
# nothing when qemu-system-x86_64 is already on PATH, so it is safe to re-run.
# Needs root (apt-get). Other versions side by side: scripts/install-qemu-versions.sh.
set -euo pipefail

if command -v qemu-system-x86_64 >/dev/null 2>&1; then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends qemu-system-x86 ipxe-qemu seabios
