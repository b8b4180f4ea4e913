#!/usr/bin/env bash
# install-qemu-versions.sh — install real Debian builds of QEMU side by side,
# without touching the host's own QEMU, for compat-check's cross-version tests.
#
#   version  Debian suite  comes from
#   5.2      bullseye      debootstrap root  /opt/compat-check/qemu/bullseye
#   7.2      bookworm      the host's own package (scripts/install-qemu.sh), or a
#                          bookworm root when the host is not bookworm
#   10.0     trixie        debootstrap root  /opt/compat-check/qemu/trixie
#   11.1     sid           debootstrap root  /opt/compat-check/qemu/sid
#
# For each version it writes an executable wrapper
#   /opt/compat-check/qemu/bin/qemu-system-x86_64-<X.Y>
# that runs that build directly from the host, by path, with host paths (unix
# sockets, files under /tmp) working as usual: no chroot. The wrapper sets
# QEMU_MODULE_DIR to the root's module dir (Debian builds TCG, qxl, virtio-gpu
# … as loadable modules) and execs the root's own dynamic loader with
# --library-path set to the root's library dirs (every library the binary and
# its modules load is checked to come from the root), on the root's
# qemu-system-x86_64, with -L for the root's firmware dirs (usr/share/qemu,
# usr/share/seabios, usr/lib/ipxe/qemu where present: Debian's --firmwarepath
# order) so that its BIOS and option ROMs (efi-virtio.rom, vgabios-*.bin) are
# the ones that build ships. The loader is copied into the root's usr/bin so
# that a relocatable build would also find its default dirs inside the root.
# Absolute symlinks inside the firmware dirs are rewritten to relative ones so
# that they cannot resolve to the host's files.
#
# Each root: `debootstrap --variant=minbase SUITE ROOT MIRROR`, then, inside it,
# `apt-get install --no-install-recommends qemu-system-x86 qemu-system-data
# seabios ipxe-qemu` (+ qemu-system-modules-spice where that package exists, so
# qxl is there as in the host's 7.2). Sources inside a root: SUITE, SUITE-updates
# and SUITE-security (not for sid). The mirror is taken from the host's apt
# sources (the entry for the host's own suite); override with DEBIAN_MIRROR and
# DEBIAN_SECURITY_MIRROR. Apt inside the roots runs with
# Acquire::Check-Valid-Until=false because the mirror may be a snapshot whose
# indexes are past their Valid-Until date (signatures are still checked).
# The installed upstream version is checked: if a suite now carries another
# X.Y (sid moves on), the script fails rather than mislabel a wrapper.
#
# Each wrapper is verified: `--version` (must say X.Y), `-machine help` (must
# list pc-i440fx-X.Y), that every shared library the binary and its modules load
# resolves inside the root, that `-L help` starts with the root's dirs, and
# a short start: -accel tcg -S -nodefaults -display none -machine pc
# -device virtio-net-pci,netdev=n0 -netdev hubport,id=n0,hubid=0 -device VGA
# -qmp stdio, sending qmp_capabilities and quit; any "failed to find romfile" /
# "could not load" message fails it.
#
# Idempotent: a version whose wrapper already passes these checks is skipped;
# a root whose debootstrap did not finish is wiped and redone; a finished root
# whose packages are missing only gets the apt step again. Runs are serialised
# with a lock file. Non-interactive. Needs root, amd64 and network access to
# the Debian mirror.
#
# Usage:
#   scripts/install-qemu-versions.sh [--force] [--check] [VERSION...]
#     VERSION   any of 5.2 7.2 10.0 11.1 (default: all four)
#     --force   rebuild the roots of the given versions from scratch
#     --check   install nothing: verify the wrappers and print the summary
#               (exit status 1 if any is missing or broken)
#   env: COMPAT_CHECK_QEMU_PREFIX (default /opt/compat-check/qemu),
#        DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR
#   Then e.g.: QEMU_BINARY=/opt/compat-check/qemu/bin/qemu-system-x86_64-10.0 npx vitest run test/qemu
#   node scripts/describe-qemu-builds.mjs rewrites device-profiles/debian-builds.json from them.
#
# Measured on the project machine (2 cores, Debian 12 host, Debian mirror as in
# the host's apt sources), `--force` run of all four, debootstrap not yet installed:
#   time: 164 s in all — bullseye 57 s (incl. installing debootstrap), trixie
#         48 s, sid 56 s; 7.2 is the host package (0 s). A re-run that finds all
#         four working: ~1 s. A root that lost only its packages/wrapper: ~5 s.
#   disk: 1.3 GB under /opt/compat-check/qemu — bullseye 250 MB, trixie 505 MB,
#         sid 568 MB (.deb caches and apt lists are deleted after install).
# Caveat: Debian's 5.2, 10.0 and 11.1 builds are not relocatable, so after the
# root's -L dirs QEMU still searches its built-in /usr/share/qemu,
# /usr/share/seabios (and /usr/lib/ipxe/qemu), which on this host are 7.2's:
# only files missing from the root could come from there (none of the BIOS,
# NIC option ROMs or VGA BIOSes are missing). Modules are taken from the root
# through QEMU_MODULE_DIR (a module of another build is refused by QEMU's
# build-stamp check).
set -Eeuo pipefail
shopt -s nullglob

PREFIX=${COMPAT_CHECK_QEMU_PREFIX:-/opt/compat-check/qemu}
BIN_DIR=$PREFIX/bin
MANIFEST_DIR=$PREFIX/builds
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ALL_VERSIONS=(5.2 7.2 10.0 11.1)
MULTIARCH=x86_64-linux-gnu
LOADER_NAME=compat-check-ld.so

log() { printf '[install-qemu-versions] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() { sed -n '/^# Usage:/,/^#   Then/p' "$0" | sed 's/^# \{0,1\}//'; }

suite_for() {
  case $1 in
    5.2) echo bullseye ;;
    7.2) echo bookworm ;;
    10.0) echo trixie ;;
    11.1) echo sid ;;
    *) return 1 ;;
  esac
}

FORCE=0
CHECK_ONLY=0
VERSIONS=()
while (($#)); do
  case $1 in
    --force) FORCE=1 ;;
    --check) CHECK_ONLY=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option: $1" ;;
    *) suite_for "$1" >/dev/null || die "unknown version '$1' (known: ${ALL_VERSIONS[*]})"
       VERSIONS+=("$1") ;;
  esac
  shift
done
((${#VERSIONS[@]})) || VERSIONS=("${ALL_VERSIONS[@]}")

case $PREFIX in
  /?*) ;;
  *) die "COMPAT_CHECK_QEMU_PREFIX must be an absolute path (got '$PREFIX')" ;;
esac
PREFIX=${PREFIX%/}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/install-qemu-versions.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT

# ---------------------------------------------------------------- apt sources

# "URI SUITE" for every enabled deb entry in the host's apt sources
# (one-line .list files and deb822 .sources files).
host_apt_entries() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 3 { print $2, $3 }'
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk '
      function flush(   i, j) {
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled != "no")
          for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j]
        nu = 0; ns = 0; types = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[^ \t]/ {
        key = tolower($1); sub(/:$/, "", key); $1 = ""; val = $0
        if (key == "types") types = val
        else if (key == "uris") nu = split(val, u, " ")
        else if (key == "suites") ns = split(val, s, " ")
        else if (key == "enabled") { enabled = tolower(val); gsub(/[ \t]/, "", enabled) }
      }
      END { flush() }' "$f"
  done
}

host_codename() {
  local c=""
  [[ -r /etc/os-release ]] && c=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  echo "$c"
}

HOST_CODENAME=$(host_codename)
MIRROR=${DEBIAN_MIRROR:-}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-}
find_mirrors() {
  [[ -n $MIRROR && -n $SECURITY_MIRROR ]] && return 0
  [[ -n $HOST_CODENAME ]] || die "cannot tell the host's Debian suite (/etc/os-release); set DEBIAN_MIRROR"
  local entries
  entries=$(host_apt_entries)
  if [[ -z $MIRROR ]]; then
    MIRROR=$(awk -v s="$HOST_CODENAME" '$2 == s { print $1; exit }' <<<"$entries")
    [[ -n $MIRROR ]] || die "no '$HOST_CODENAME' entry in the host's apt sources; set DEBIAN_MIRROR"
  fi
  if [[ -z $SECURITY_MIRROR ]]; then
    SECURITY_MIRROR=$(awk -v s="$HOST_CODENAME-security" '$2 == s { print $1; exit }' <<<"$entries")
  fi
  MIRROR=${MIRROR%/}
  SECURITY_MIRROR=${SECURITY_MIRROR%/}
}

# ------------------------------------------------------------------ helpers

# Unmount anything left mounted under a root (e.g. an interrupted debootstrap's /proc).
unmount_under() {
  local dir=$1 m
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r m; do
      log "unmounting leftover $m"
      umount -l "$m" || true
    done
}

remove_root() {
  local root=$1
  [[ $root == "$PREFIX"/?* ]] || die "refusing to remove '$root'"
  unmount_under "$root"
  rm -rf --one-file-system -- "$root"
}

in_root() {
  local root=$1; shift
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

# Upstream X.Y of a Debian version string: 1:10.0.13+ds-0+deb13u1 -> 10.0
upstream_xy() { sed -E 's/^[0-9]+://; s/^([0-9]+\.[0-9]+).*/\1/' <<<"$1"; }

ensure_host_tools() {
  local need=()
  command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
  command -v zstd >/dev/null 2>&1 || need+=(zstd)   # newer suites may use zstd .debs
  [[ -r /usr/share/keyrings/debian-archive-keyring.gpg ]] || need+=(debian-archive-keyring)
  ((${#need[@]})) || return 0
  log "installing on the host: ${need[*]}"
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
  } >"$WORK/apt-host.log" 2>&1 || { tail -n 30 "$WORK/apt-host.log" >&2; die "apt-get install ${need[*]} failed on the host"; }
}

# ---------------------------------------------------------- building a root

ROOTS_PREPARED=0
prepare_for_roots() {
  ((ROOTS_PREPARED)) && return 0
  find_mirrors
  log "mirror: $MIRROR${SECURITY_MIRROR:+ (security: $SECURITY_MIRROR)}"
  ensure_host_tools
  ROOTS_PREPARED=1
}

debootstrap_root() {
  local suite=$1 root=$2
  if [[ -f $root/.compat-check-debootstrap-ok && -x $root/usr/bin/apt-get ]]; then
    return 0
  fi
  [[ -e $root ]] && { log "$suite: removing incomplete root $root"; remove_root "$root"; }
  mkdir -p "$PREFIX"
  log "$suite: debootstrap --variant=minbase $suite $root $MIRROR"
  if ! debootstrap --variant=minbase --arch=amd64 --components=main \
    "$suite" "$root" "$MIRROR" >"$WORK/debootstrap-$suite.log" 2>&1; then
    tail -n 30 "$WORK/debootstrap-$suite.log" >&2
    [[ -f $root/debootstrap/debootstrap.log ]] && tail -n 30 "$root/debootstrap/debootstrap.log" >&2
    unmount_under "$root"
    die "$suite: debootstrap failed (log above)"
  fi
  unmount_under "$root"
  touch "$root/.compat-check-debootstrap-ok"
}

configure_root_apt() {
  local suite=$1 root=$2
  {
    echo "# written by compat-check scripts/install-qemu-versions.sh"
    echo "deb $MIRROR $suite main"
    if [[ $suite != sid && $suite != unstable ]]; then
      echo "deb $MIRROR $suite-updates main"
      [[ -n $SECURITY_MIRROR ]] && echo "deb $SECURITY_MIRROR $suite-security main"
    fi
  } >"$root/etc/apt/sources.list"
  cat >"$root/etc/apt/apt.conf.d/99compat-check" <<'CONF'
// written by compat-check scripts/install-qemu-versions.sh
Acquire::Check-Valid-Until "false";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Dpkg::Use-Pty "false";
Quiet "1";
CONF
  # No daemons may start inside the root.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  rm -f "$root/etc/resolv.conf"
  cat /etc/resolv.conf >"$root/etc/resolv.conf" 2>/dev/null || true
}

install_packages_in_root() {
  local suite=$1 root=$2
  configure_root_apt "$suite" "$root"
  log "$suite: apt-get update / install qemu-system-x86 qemu-system-data seabios ipxe-qemu"
  local log_file=$WORK/apt-$suite.log
  {
    in_root "$root" apt-get update &&
    local pkgs=(qemu-system-x86 qemu-system-data seabios ipxe-qemu) &&
    if in_root "$root" apt-cache show --no-all-versions qemu-system-modules-spice >/dev/null 2>&1; then
      pkgs+=(qemu-system-modules-spice)
    fi &&
    in_root "$root" apt-get install -y "${pkgs[@]}" &&
    in_root "$root" apt-get clean
  } >"$log_file" 2>&1 || { tail -n 40 "$log_file" >&2; die "$suite: apt-get failed inside $root"; }
  rm -rf -- "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
}

# Rewrite absolute symlinks under the root's firmware/data dirs to relative
# ones, so that opening them from the host stays inside the root.
relativize_symlinks() {
  local root=$1 dir link target
  for dir in "$root/usr/share/qemu" "$root/usr/share/seabios" "$root/usr/lib/ipxe" "$root/usr/share/ipxe"; do
    [[ -d $dir ]] || continue
    while IFS= read -r -d '' link; do
      target=$(readlink "$link")
      [[ $target == /* ]] || continue
      ln -sfn -- "$(realpath -s -m --relative-to="$(dirname "$link")" "$root$target")" "$link"
    done < <(find "$dir" -type l -print0)
  done
}

# The root's firmware dirs, in the order its build searches them.
firmware_dirs() {
  local root=$1 d out=()
  # Debian builds: --firmwarepath=/usr/share/qemu:/usr/share/seabios:/usr/lib/ipxe/qemu
  for d in usr/share/qemu usr/share/seabios usr/lib/ipxe/qemu; do
    [[ -d $root/$d ]] && out+=("$root/$d")
  done
  printf '%s\n' "${out[@]}"
}

library_path() {
  local root=$1 d seen=":" out=() conf line
  local dirs=("/lib/$MULTIARCH" "/usr/lib/$MULTIARCH")
  for conf in "$root"/etc/ld.so.conf.d/*.conf; do
    while read -r line; do
      line=${line%%#*}
      [[ $line == /* ]] && dirs+=("$line")
    done <"$conf"
  done
  dirs+=(/lib /usr/lib)
  for d in "${dirs[@]}"; do
    [[ -d $root$d ]] || continue
    d=$(realpath "$root$d")                       # /lib -> usr/lib on merged-/usr roots
    [[ $d == "$root"/* ]] || continue
    [[ $seen == *":$d:"* ]] && continue
    seen+="$d:"
    out+=("$d")
  done
  (IFS=:; echo "${out[*]}")
}

write_root_wrapper() {
  local ver=$1 suite=$2 root=$3 wrapper=$4 pkg=$5
  local interp loader libpath fw=() d largs=""
  interp=$(in_root "$root" readlink -f /lib64/ld-linux-x86-64.so.2)
  [[ -f $root$interp ]] || die "$suite: no dynamic loader in $root"
  loader=$root/usr/bin/$LOADER_NAME
  # A copy (not a link): QEMU derives its module and data dirs from
  # /proc/self/exe, which is the loader; in usr/bin they resolve inside the root.
  cmp -s "$root$interp" "$loader" 2>/dev/null || install -m 0755 "$root$interp" "$loader"
  libpath=$(library_path "$root")
  mapfile -t fw < <(firmware_dirs "$root")
  for d in "${fw[@]}"; do largs+=" -L '$d'"; done
  mkdir -p "$BIN_DIR"
  cat >"$wrapper.tmp" <<WRAPPER
#!/bin/sh
# QEMU $ver: Debian $suite, qemu-system-x86 $pkg.
# Written by compat-check scripts/install-qemu-versions.sh. Runs the build in
# $root from the host (no chroot) with that root's own loader and libraries;
# -L makes it load that root's BIOS and option ROMs.
QEMU_MODULE_DIR='$root/usr/lib/$MULTIARCH/qemu'
export QEMU_MODULE_DIR
exec '$loader' --library-path '$libpath' '$root/usr/bin/qemu-system-x86_64'$largs "\$@"
WRAPPER
  chmod 0755 "$wrapper.tmp"
  mv -f "$wrapper.tmp" "$wrapper"
  write_manifest "$ver" "$suite" "$root" "$wrapper" "$pkg" "${fw[@]}"
}

write_host_wrapper() {
  local ver=$1 suite=$2 bin=$3 wrapper=$4 pkg=$5
  mkdir -p "$BIN_DIR"
  cat >"$wrapper.tmp" <<WRAPPER
#!/bin/sh
# QEMU $ver: the host's own Debian $suite package, qemu-system-x86 $pkg.
# Written by compat-check scripts/install-qemu-versions.sh.
exec '$bin' "\$@"
WRAPPER
  chmod 0755 "$wrapper.tmp"
  mv -f "$wrapper.tmp" "$wrapper"
  write_manifest "$ver" "$suite" "" "$wrapper" "$pkg"
}

# builds/X.Y.env: what scripts and tests may want to know about a wrapper.
write_manifest() {
  local ver=$1 suite=$2 root=$3 wrapper=$4 pkg=$5; shift 5
  mkdir -p "$MANIFEST_DIR"
  {
    printf 'QEMU=%q\n' "$ver"
    printf 'SUITE=%q\n' "$suite"
    printf 'ROOT=%q\n' "$root"
    printf 'WRAPPER=%q\n' "$wrapper"
    printf 'PACKAGE=%q\n' "$pkg"
    printf 'FIRMWARE_DIRS=%q\n' "$(IFS=:; echo "$*")"
  } >"$MANIFEST_DIR/$ver.env"
}

# ------------------------------------------------------------- verification

# verify_wrapper X.Y WRAPPER [ROOT]: prints nothing, returns non-zero (with a
# reason on stderr) when the wrapper is missing or does not work.
verify_wrapper() {
  local ver=$1 w=$2 root=${3:-}
  local vdir=$WORK/verify-$1
  mkdir -p "$vdir"
  [[ -x $w ]] || { log "$ver: no wrapper $w"; return 1; }
  local line
  line=$("$w" --version 2>&1 | head -n 1) || true
  if [[ ! $line =~ ^QEMU\ emulator\ version\ ${ver//./\\.}([.\ ]|$) ]]; then
    log "$ver: '$w --version' says: ${line:-nothing}"; return 1
  fi
  if ! "$w" -machine help >"$vdir/machines" 2>&1; then
    log "$ver: '-machine help' failed: $(head -n 3 "$vdir/machines")"; return 1
  fi
  grep -q "^pc-i440fx-$ver " "$vdir/machines" || { log "$ver: no pc-i440fx-$ver in -machine help"; return 1; }

  if [[ -n $root ]]; then
    # Every library the binary and its modules load must come from the root.
    local loader=$root/usr/bin/$LOADER_NAME libpath f bad=0
    libpath=$(library_path "$root")
    for f in "$root/usr/bin/qemu-system-x86_64" "$root/usr/lib/$MULTIARCH/qemu"/*.so; do
      "$loader" --library-path "$libpath" --list "$f" >"$vdir/ldd" 2>&1 || true
      if grep -q 'not found' "$vdir/ldd"; then
        if [[ $f == */qemu-system-x86_64 || $f == */accel-tcg-* ]]; then
          log "$ver: $f: $(grep 'not found' "$vdir/ldd" | tr -s ' \t' ' ')"; bad=1
        else
          log "$ver: warning: module $(basename "$f") lacks $(grep 'not found' "$vdir/ldd" | awk '{print $1}' | tr '\n' ' ')"
        fi
      fi
      if awk -v r="$root/" '$2 == "=>" && $3 ~ /^\// && index($3, r) != 1 { found = 1 } END { exit !found }' "$vdir/ldd"; then
        log "$ver: $f loads libraries from outside $root:"
        awk -v r="$root/" '$2 == "=>" && $3 ~ /^\// && index($3, r) != 1' "$vdir/ldd" >&2; bad=1
      fi
    done
    ((bad == 0)) || return 1
    # Its data/firmware search path must start inside the root. A build that
    # is not relocatable (Debian's 5.2) still lists its built-in absolute
    # dirs after the -L ones: those are the host's, searched only for files
    # the root lacks (warned about here).
    if "$w" -L help >"$vdir/datadirs" 2>&1 && ! grep -q -- '-L' "$vdir/datadirs"; then
      local d first=1
      while read -r d; do
        [[ -z $d ]] && continue
        case $(realpath -m "$d") in
          "$root"/*) ;;
          *) if ((first)); then log "$ver: first data dir is outside the root: $d"; return 1; fi
             log "$ver: note: not relocatable; after the root's dirs it also searches the host's $d" ;;
        esac
        first=0
      done <"$vdir/datadirs"
    fi
  fi

  # Start a machine that needs the BIOS, a NIC option ROM and a VGA BIOS.
  local rc=0
  printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"quit"}' |
    timeout 60 "$w" -accel tcg -S -nodefaults -display none -machine pc \
      -device virtio-net-pci,netdev=n0 -netdev hubport,id=n0,hubid=0 -device VGA \
      -qmp stdio >"$vdir/qmp.out" 2>"$vdir/qmp.err" || rc=$?
  if ((rc != 0)) || ! grep -q '"QMP"' "$vdir/qmp.out" || [[ $(grep -c '"return"' "$vdir/qmp.out") -lt 2 ]]; then
    log "$ver: QMP start failed (exit $rc): $(cat "$vdir/qmp.err" "$vdir/qmp.out" | head -n 5)"; return 1
  fi
  if grep -Eiq 'romfile|could not load|could not find|failed to' "$vdir/qmp.err"; then
    log "$ver: QEMU complained: $(head -n 5 "$vdir/qmp.err")"; return 1
  fi
  return 0
}

# -------------------------------------------------------------- per version

host_qemu_bin() {
  local b
  b=$(command -v qemu-system-x86_64 2>/dev/null) || return 1
  [[ $b == "$BIN_DIR"/* ]] && return 1
  echo "$b"
}

host_qemu_is() {
  local b=$1 ver=$2 line
  line=$("$b" --version 2>/dev/null | head -n 1) || return 1
  [[ $line =~ ^QEMU\ emulator\ version\ ${ver//./\\.}([.\ ]|$) ]]
}

install_version() {
  local ver=$1 suite wrapper root
  suite=$(suite_for "$ver")
  wrapper=$BIN_DIR/qemu-system-x86_64-$ver

  # The host's own suite: use the host's package.
  if [[ $suite == "$HOST_CODENAME" ]]; then
    local bin
    if ! bin=$(host_qemu_bin) || ! host_qemu_is "$bin" "$ver"; then
      log "$ver: installing the host's qemu-system-x86 (scripts/install-qemu.sh)"
      "$SCRIPT_DIR/install-qemu.sh"
      hash -r
    fi
    if bin=$(host_qemu_bin) && host_qemu_is "$bin" "$ver"; then
      if ((FORCE == 0)) && verify_wrapper "$ver" "$wrapper" 2>/dev/null && [[ -f $MANIFEST_DIR/$ver.env ]]; then
        log "$ver: $wrapper already works (host package), skipping"
        return 0
      fi
      local pkg
      pkg=$(dpkg-query -W -f '${Version}' qemu-system-x86 2>/dev/null || echo unknown)
      write_host_wrapper "$ver" "$suite" "$bin" "$wrapper" "$pkg"
      verify_wrapper "$ver" "$wrapper" || die "$ver: the host's QEMU does not pass the checks"
      return 0
    fi
    log "$ver: the host's qemu-system-x86_64 is not $ver; using a $suite root instead"
  fi

  root=$PREFIX/$suite
  if ((FORCE == 0)) && [[ -f $MANIFEST_DIR/$ver.env ]] && verify_wrapper "$ver" "$wrapper" "$root" 2>/dev/null; then
    log "$ver: $wrapper already works ($suite root), skipping"
    return 0
  fi
  ((FORCE)) && [[ -e $root ]] && { log "$ver: --force: rebuilding $root"; remove_root "$root"; }

  local t0=$SECONDS
  prepare_for_roots
  debootstrap_root "$suite" "$root"
  install_packages_in_root "$suite" "$root"
  local pkg
  pkg=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f '${Version}' qemu-system-x86)
  [[ $(upstream_xy "$pkg") == "$ver" ]] ||
    die "$ver: Debian $suite now has qemu-system-x86 $pkg, not $ver (the suite moved on); not writing $wrapper"
  relativize_symlinks "$root"
  write_root_wrapper "$ver" "$suite" "$root" "$wrapper" "$pkg"
  verify_wrapper "$ver" "$wrapper" "$root" || die "$ver: $wrapper does not work (see above)"
  log "$ver: done in $((SECONDS - t0)) s ($(du -sh "$root" | cut -f1) in $root)"
}

summary() {
  local ver w line pkg suite rc=0
  echo
  echo "QEMU builds in $BIN_DIR:"
  for ver in "${VERSIONS[@]}"; do
    w=$BIN_DIR/qemu-system-x86_64-$ver
    line=$("$w" --version 2>/dev/null | head -n 1) || line=""
    suite="" pkg=""
    # shellcheck source=/dev/null
    [[ -f $MANIFEST_DIR/$ver.env ]] && { suite=$(. "$MANIFEST_DIR/$ver.env" && echo "$SUITE"); pkg=$(. "$MANIFEST_DIR/$ver.env" && echo "$PACKAGE"); }
    if [[ -n $line ]]; then
      printf '  %-6s %-48s %s  [%s %s]\n' "$ver" "$w" "$line" "$suite" "$pkg"
    else
      printf '  %-6s %-48s MISSING\n' "$ver" "$w"; rc=1
    fi
  done
  [[ -d $PREFIX ]] && echo "disk: $(du -sh "$PREFIX" 2>/dev/null | cut -f1) in $PREFIX"
  return $rc
}

# --------------------------------------------------------------------- main

if ((CHECK_ONLY)); then
  rc=0
  for ver in "${VERSIONS[@]}"; do
    suite=$(suite_for "$ver") root=""
    # shellcheck source=/dev/null
    [[ -f $MANIFEST_DIR/$ver.env ]] && root=$(. "$MANIFEST_DIR/$ver.env" && echo "$ROOT")
    if verify_wrapper "$ver" "$BIN_DIR/qemu-system-x86_64-$ver" "$root"; then
      log "$ver: ok"
    else
      rc=1
    fi
  done
  summary || rc=1
  exit $rc
fi

[[ $(id -u) == 0 ]] || die "run as root (apt-get, debootstrap, chroot)"
[[ $(dpkg --print-architecture) == amd64 ]] || die "amd64 hosts only"
mkdir -p "$PREFIX"
exec 9>"$PREFIX/.lock"
flock 9 || die "cannot lock $PREFIX/.lock"

T0=$SECONDS
for ver in "${VERSIONS[@]}"; do
  install_version "$ver"
done
summary
echo "time: $((SECONDS - T0)) s"
