#!/bin/sh
# Builds the base image the Sluice service images are made on, without a registry or a Docker engine, and links it
# where the Maven build's Jib configuration reads it (`tar://<module>/target/jib-base.tar`).
#
#   images/base-image.sh <service|node> <JDK home> <link to create> [the image Jib builds on]
#
# When the last argument names another base (a registry's image, -Dsluice.image.base), there is nothing to do.
# The image is a `docker save` tarball of two layers: a Debian bookworm minbase root file system made by mmdebstrap
# from Debian's packages (curl and ca-certificates for the healthchecks, and a user `sluice`, uid and gid 10001; the `node`
# flavour adds runc, tini, iproute2 and nftables, which the node runner isolates its jobs with), and a Java runtime
# made by jlink from the JDK that runs the build. It is built once per machine and key, under
# ${XDG_CACHE_HOME:-~/.cache}/sluice/images/<flavour>-<key>/, where the key is a hash of this script, the flavour,
# the JDK's release file and the Debian sources: a build with the same key reuses it. Delete that directory to
# rebuild with Debian's newest package versions (security updates). See images/README.md.
set -eu

flavour=${1:?"usage: $0 <service|node> <JDK home> <link to create>"}
jdk=${2:?"usage: $0 <service|node> <JDK home> <link to create>"}
link=${3:?"usage: $0 <service|node> <JDK home> <link to create>"}
from=${4:-tar://$link}

if [ "$from" != "tar://$link" ]; then
  echo "base-image.sh: the image is built on $from: no offline base image needed"
  exit 0
fi

case "$flavour" in
  service) packages=curl,ca-certificates ;;
  node) packages=curl,ca-certificates,runc,tini,iproute2,nftables ;;
  *) echo "base-image.sh: flavour must be 'service' or 'node', not '$flavour'" >&2; exit 2 ;;
esac

fail() {
  echo "base-image.sh: $*" >&2
  echo "base-image.sh: the Sluice images need this offline base image; or build them on a registry's base with" \
    "-Dsluice.image.base=eclipse-temurin:21-jre (the three database services), or skip them with -Djib.skip" >&2
  exit 1
}

# The JDK that runs Maven may be a JRE's java.home (jlink lives in the JDK); accept either layout.
jlink="$jdk/bin/jlink"
[ -x "$jlink" ] || fail "no jlink in '$jdk': the build must run on a JDK (./mvnw picks one under /usr/lib/jvm)"
[ -f "$jdk/release" ] || fail "'$jdk' has no release file, so it is not a JDK home"
command -v mmdebstrap >/dev/null 2>&1 || fail "mmdebstrap is missing: apt-get install -y mmdebstrap"

# Debian's own mirrors by default; SLUICE_DEBIAN_MIRROR points at another (a local mirror or proxy).
mirror=${SLUICE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${SLUICE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
suite=bookworm
# Every file's time, the image's creation time, and what mmdebstrap makes reproducible: a fixed instant, so the same
# package versions and JDK give the same layers, byte for byte.
epoch=${SOURCE_DATE_EPOCH:-1735689600}
# The modules the services use (java.se, Netty's sun.misc.Unsafe, Micrometer's com.sun.management, Netty's
# jdk.net socket options, Kafka's SASL/GSSAPI and JAAS login modules, DNS lookups, charsets), and jdk.jfr so a
# running service can be profiled with `jcmd JFR.start`.
modules=java.se,jdk.unsupported,jdk.management,jdk.management.jfr,jdk.jfr,jdk.net,jdk.naming.dns,jdk.charsets,jdk.crypto.ec,jdk.security.auth,jdk.security.jgss,jdk.zipfs

# The machine's apt settings that decide whether its mirror can be reached at all: a proxy, and accepting Release
# files past their Valid-Until (a frozen snapshot mirror, as some build machines use). mmdebstrap reads none of the
# host's apt configuration by itself; these go to its apt and are removed from the image afterwards.
aptopts=""
for option in Acquire::http::Proxy Acquire::https::Proxy Acquire::Check-Valid-Until Acquire::Check-Date; do
  value=$(apt-config shell v "$option" 2>/dev/null | sed -n "s/^v='\(.*\)'$/\1/p")
  if [ -n "$value" ]; then aptopts="$aptopts $option=$value"; fi
done

arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
key=$( { cat "$0"; echo "$flavour $suite $mirror $security_mirror $epoch $arch$aptopts"; cat "$jdk/release"; } | sha256sum | cut -c1-16)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/sluice/images
image_dir="$cache/$flavour-$key"
image="$image_dir/image.tar"

mkdir -p "$cache" "$(dirname "$link")"
# Several builds (modules, worktrees) may ask at once: one builds, the others wait for it and reuse its image.
exec 9>"$cache/.lock"
flock 9

if [ ! -f "$image" ]; then
  echo "base-image.sh: building the $flavour base image (once per machine: Debian $suite from $mirror, Java from $jdk)"
  work=$(mktemp -d "$cache/.work-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  mkdir "$work/rootfs" "$work/java" "$work/image"

  set --
  for option in $aptopts; do
    set -- "$@" --aptopt="${option%%=*} \"${option#*=}\""
  done
  # --mode=auto: as root it works directly; otherwise in a user namespace where the system allows it.
  SOURCE_DATE_EPOCH=$epoch mmdebstrap --mode=auto --variant=minbase --architectures="$arch" "$@" \
    --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --customize-hook='chroot "$1" groupadd --system --gid 10001 sluice' \
    --customize-hook='chroot "$1" useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home sluice' \
    --customize-hook='rm -f "$1"/etc/resolv.conf "$1"/etc/hostname "$1"/etc/apt/apt.conf.d/99mmdebstrap' \
    --format=directory "$suite" "$work/rootfs" \
    "deb $mirror $suite main" "deb $mirror $suite-updates main" "deb $security_mirror $suite-security main" \
    || fail "mmdebstrap could not make the Debian root file system (see its messages above)"

  "$jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
    --output "$work/java/opt/java/openjdk" || fail "jlink could not make the Java runtime from '$jdk'"

  # A layer is a plain tar of its files, in name order, with fixed times and numeric owners: reproducible. The
  # container engine provides /dev, so the root file system's device nodes stay out.
  layer() {
    tar --create --file="$2.tar" --directory="$1" --sort=name --numeric-owner --format=posix \
      --mtime="@$epoch" --clamp-mtime --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
      --exclude='./dev/*' .
    diff_id=$(sha256sum "$2.tar" | cut -d' ' -f1)
    gzip -n -6 "$2.tar"
    echo "$diff_id"
  }
  os_diff=$(layer "$work/rootfs" "$work/image/debian")
  java_diff=$(layer "$work/java" "$work/image/java")
  java_version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$jdk/release")
  created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)

  cat >"$work/image/config.json" <<EOF
{"architecture":"$arch","os":"linux","created":"$created",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
   "JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8"],
   "Labels":{"org.opencontainers.image.description":"Sluice $flavour base: Debian $suite minbase ($packages) and a jlink Java $java_version runtime"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$os_diff","sha256:$java_diff"]},
 "history":[{"created":"$created","created_by":"mmdebstrap --variant=minbase --include=$packages $suite"},
   {"created":"$created","created_by":"jlink --add-modules $modules (Java $java_version)"}]}
EOF
  cat >"$work/image/manifest.json" <<EOF
[{"Config":"config.json","RepoTags":["sluice-base/$flavour:$key"],"Layers":["debian.tar.gz","java.tar.gz"]}]
EOF
  tar --create --file="$work/image.tar" --directory="$work/image" --sort=name --numeric-owner \
    --mtime="@$epoch" manifest.json config.json debian.tar.gz java.tar.gz
  mkdir -p "$image_dir"
  mv "$work/image.tar" "$image"
  echo "base-image.sh: $image ($(du -h "$image" | cut -f1))"
fi

ln -sfn "$image" "$link"
