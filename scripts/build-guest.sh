#!/bin/bash
# Builds the tiny Linux guest the real-guest harness boots (npm run test:guest):
#   /opt/compat-check/guest/vmlinuz      Debian's kernel (linux-image-<abi>-amd64, bookworm)
#   /opt/compat-check/guest/initrd.img   busybox (busybox-static) + the virtio modules, as a cpio.gz
#   /opt/compat-check/guest/manifest.json package names, versions and sha256 of both files
# Everything comes from Debian packages fetched with `apt-get download` from the host's own apt
# sources; nothing is downloaded from elsewhere. Idempotent: an existing guest whose manifest names the
# packages apt would fetch now is kept (--force rebuilds, --check only verifies).
#
# The guest's /init mounts proc/sys/dev, insmods the virtio drivers in dependency order (the order is
# computed from each module's own `depends=` modinfo field), touches every device so its virtqueues are
# really used (reads the disks, brings the NICs up, reads /dev/hwrng, opens the serial ports), prints
# the ready marker on ttyS0 and idles. Boot it with
#   -kernel vmlinuz -initrd initrd.img -append "console=ttyS0 quiet no_timer_check" -m 256 -accel tcg -serial ...
# (no_timer_check: on a loaded host TCG can fail Linux's IO-APIC timer check and panic.)
set -euo pipefail

OUT=${COMPAT_CHECK_GUEST_DIR:-/opt/compat-check/guest}
READY_MARKER='compat-check-guest: ready'
MODE=build
case "${1:-}" in
  --force) MODE=force ;;
  --check) MODE=check ;;
  '') ;;
  *) echo "usage: $0 [--force|--check]" >&2; exit 2 ;;
esac

# The drivers the harness needs, leaves first; their dependencies are added from the modules
# themselves. In Debian 6.1's config (CONFIG_VIRTIO=m, CONFIG_VIRTIO_PCI=m, CONFIG_VIRTIO_PCI_LIB=m,
# CONFIG_VIRTIO_PCI_LIB_LEGACY=m, CONFIG_VIRTIO_BLK=m, CONFIG_VIRTIO_NET=m, CONFIG_NET_FAILOVER=m,
# CONFIG_FAILOVER=m, CONFIG_VIRTIO_BALLOON=m, CONFIG_VIRTIO_CONSOLE=m, CONFIG_HW_RANDOM_VIRTIO=m,
# CONFIG_SCSI=m, CONFIG_SCSI_VIRTIO=m, CONFIG_BLK_DEV_SD=m) all of them are modules; only the
# hw_random core (CONFIG_HW_RANDOM=y) and the legacy transport switch (CONFIG_VIRTIO_PCI_LEGACY=y)
# are built in. The script checks that again against the package's config and fails if it changed.
WANTED_MODULES=(virtio_pci virtio_blk virtio_net virtio_balloon virtio_console virtio-rng virtio_scsi sd_mod)
EXPECTED_CONFIG=(CONFIG_VIRTIO=m CONFIG_VIRTIO_PCI=m CONFIG_VIRTIO_BLK=m
  CONFIG_VIRTIO_NET=m CONFIG_VIRTIO_BALLOON=m CONFIG_VIRTIO_CONSOLE=m CONFIG_HW_RANDOM_VIRTIO=m
  CONFIG_SCSI_VIRTIO=m CONFIG_HW_RANDOM=y)

die() { echo "build-guest: $*" >&2; exit 1; }

# The kernel ABI package linux-image-amd64 points at today (e.g. linux-image-6.1.0-56-amd64).
kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1
}
candidate_version() { apt-cache policy "$1" | sed -n 's/^ *Candidate: //p'; }

KPKG=$(kernel_package)
[ -n "$KPKG" ] || die "apt knows no linux-image-amd64 (run apt-get update)"
KVER=$(candidate_version "$KPKG")
BBVER=$(candidate_version busybox-static)
[ -n "$BBVER" ] && [ "$BBVER" != "(none)" ] || die "apt knows no busybox-static"

up_to_date() {
  [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.img" ] && [ -s "$OUT/manifest.json" ] &&
    grep -q "\"$KPKG\": \"$KVER\"" "$OUT/manifest.json" &&
    grep -q "\"busybox-static\": \"$BBVER\"" "$OUT/manifest.json" &&
    (cd "$OUT" && sha256sum --quiet -c <(sed -n 's/^ *"sha256:\([^"]*\)": "\([0-9a-f]*\)",\{0,1\}$/\2  \1/p' manifest.json))
}

if [ "$MODE" != force ] && up_to_date; then
  echo "build-guest: $OUT is up to date ($KPKG $KVER, busybox-static $BBVER)"
  exit 0
fi
[ "$MODE" = check ] && die "$OUT is missing or out of date (want $KPKG $KVER, busybox-static $BBVER)"

WORK=$(mktemp -d /tmp/build-guest.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"   # apt's _apt user writes the downloads here

echo "build-guest: fetching $KPKG $KVER and busybox-static $BBVER"
(cd "$WORK" && apt-get download -q "$KPKG=$KVER" "busybox-static=$BBVER" >/dev/null)
dpkg-deb -x "$WORK"/"$KPKG"_*.deb "$WORK/kernel"
dpkg-deb -x "$WORK"/busybox-static_*.deb "$WORK/busybox"

ABI=$(ls "$WORK/kernel/lib/modules")
CONFIG="$WORK/kernel/boot/config-$ABI"
for line in "${EXPECTED_CONFIG[@]}"; do
  grep -qx "$line" "$CONFIG" || die "$KPKG: expected $line in its config; the /init module list needs revisiting"
done

# modinfo's depends= field, read from the module's .modinfo section (no kmod needed on the host).
module_file() { find "$WORK/kernel/lib/modules/$ABI" -name "$1.ko" -o -name "$1.ko.xz" | head -n1; }
module_depends() { grep -a -o 'depends=[^[:cntrl:]]*' "$1" | head -n1 | sed 's/^depends=//; s/,/ /g'; }

declare -A SEEN=()
ORDER=()
add_module() {   # depth-first: every dependency lands in ORDER before the module itself
  local name=$1 file dep
  [ -n "${SEEN[$name]:-}" ] && return 0
  SEEN[$name]=1
  file=$(module_file "$name")
  if [ -z "$file" ]; then
    file=$(module_file "${name//-/_}")
    [ -n "$file" ] || file=$(module_file "${name//_/-}")
  fi
  [ -n "$file" ] || die "module $name is not in $KPKG"
  for dep in $(module_depends "$file"); do add_module "$dep"; done
  ORDER+=("$file")
}
for m in "${WANTED_MODULES[@]}"; do add_module "$m"; done

ROOT="$WORK/root"
mkdir -p "$ROOT"/{bin,dev,proc,sys,tmp,lib/modules}
cp "$WORK/busybox/bin/busybox" "$ROOT/bin/busybox"
: > "$ROOT/modules.order"
for file in "${ORDER[@]}"; do
  base=$(basename "$file")
  case "$base" in
    *.ko.xz) xz -dc "$file" > "$ROOT/lib/modules/${base%.xz}"; base=${base%.xz} ;;
    *) cp "$file" "$ROOT/lib/modules/$base" ;;
  esac
  echo "${base%.ko}" >> "$ROOT/modules.order"
done

cat > "$ROOT/init" <<INIT
#!/bin/busybox sh
# compat-check's test guest: load the virtio drivers, use every queue once, say so, idle.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in \$(cat /modules.order); do
  case \$m in
    scsi_mod) insmod /lib/modules/\$m.ko scan=sync ;;   # probe finishes before insmod returns
    *) insmod /lib/modules/\$m.ko ;;
  esac || echo "compat-check-guest: insmod \$m failed"
done
# Drivers bound, queues set up; now make each device move buffers through its queues.
for d in /dev/vd? /dev/sd?; do
  [ -b "\$d" ] && dd if="\$d" of=/dev/null bs=4096 count=8 2>/dev/null && echo "compat-check-guest: read \$d"
done
for n in /sys/class/net/eth*; do
  [ -e "\$n" ] && ip link set "\${n##*/}" up && echo "compat-check-guest: up \${n##*/}"
done
if [ -c /dev/hwrng ] && grep -q virtio /sys/class/misc/hw_random/rng_current 2>/dev/null; then
  dd if=/dev/hwrng of=/dev/null bs=16 count=1 2>/dev/null && echo "compat-check-guest: read /dev/hwrng"
fi
for p in /dev/vport*; do
  # Opening a port sends PORT_OPEN over the control queue; with no host side connected the
  # write itself would block forever, hence the timeout.
  [ -c "\$p" ] && { timeout 1 sh -c "echo hello > \$p" 2>/dev/null; echo "compat-check-guest: opened \$p"; }
done
sync
echo "$READY_MARKER"
while :; do sleep 3600; done
INIT
chmod 755 "$ROOT/init"

mkdir -p "$OUT"
cp "$WORK/kernel/boot/vmlinuz-$ABI" "$OUT/vmlinuz.new"
# newc cpio, as the kernel's initramfs unpacker wants it; busybox's own cpio makes it.
(cd "$ROOT" && find . | sort | "$ROOT/bin/busybox" cpio -o -H newc 2>/dev/null) | gzip -9n > "$OUT/initrd.img.new"
mv "$OUT/vmlinuz.new" "$OUT/vmlinuz"
mv "$OUT/initrd.img.new" "$OUT/initrd.img"

MODS=$(sed 's/.*/"&"/' "$ROOT/modules.order" | paste -sd, -)
cat > "$OUT/manifest.json.new" <<JSON
{
  "packages": {
    "$KPKG": "$KVER",
    "busybox-static": "$BBVER"
  },
  "kernel": "$ABI",
  "modules": [$MODS],
  "readyMarker": "$READY_MARKER",
  "append": "console=ttyS0 quiet no_timer_check",
  "files": {
    "sha256:vmlinuz": "$(sha256sum "$OUT/vmlinuz" | cut -d' ' -f1)",
    "sha256:initrd.img": "$(sha256sum "$OUT/initrd.img" | cut -d' ' -f1)"
  }
}
JSON
mv "$OUT/manifest.json.new" "$OUT/manifest.json"
echo "build-guest: wrote $OUT ($KPKG $KVER, busybox-static $BBVER; modules: $(paste -sd' ' "$ROOT/modules.order"))"
