#!/usr/bin/env bash
# Build one Postern release tree for an architecture: the compiled application (dist/ of this
# checkout), its production node_modules with the native modules built for that architecture, and
# the Node.js runtime in runtime/bin/node. Shared by the image build (build-image.sh, into
# ROOT/opt/postern/releases/VERSION) and the update bundles (npm run bundle).
#
#   provisioning/build-app.sh --arch arm64|amd64 --node-tgz FILE --out DIR [--chroot ROOT] [--log-dir DIR]
#
# Native modules (better-sqlite3) are built with node-gyp against the target node's headers:
#   arm64 with g++-aarch64-linux-gnu when present (a cross-compile: fast), else inside --chroot ROOT
#   (an arm64 root run under qemu-user-static: slow); amd64 on an amd64 machine directly, or inside
#   --chroot ROOT. DIR must be inside ROOT with --chroot.
set -euo pipefail

ARCH=
NODE_TGZ=
OUT=
CHROOT=
LOGS=
REPO=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "build-app: error: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) ARCH=${2:?}; shift 2 ;;
    --node-tgz) NODE_TGZ=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    --chroot) CHROOT=${2:?}; shift 2 ;;
    --log-dir) LOGS=${2:?}; shift 2 ;;
    *) die "unknown argument: $1" ;;
  esac
done
case "$ARCH" in
  arm64) NPM_CPU=arm64; ELF_MACHINE=aarch64 ;;
  amd64) NPM_CPU=x64; ELF_MACHINE=x86-64 ;;
  *) die "--arch must be arm64 or amd64" ;;
esac
[ -n "$OUT" ] || die "--out DIR is required"
[ -r "$NODE_TGZ" ] || die "--node-tgz FILE is required and must be readable (npm pack node-linux-$NPM_CPU@X.Y.Z)"
[ -f "$REPO/dist/appliance/cli.js" ] || die "$REPO/dist is missing: run 'npm run build' first"
command -v file >/dev/null || die "'file' is missing (apt-get install file)"
HOST_ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)
[ "$HOST_ARCH" = x86_64 ] && HOST_ARCH=amd64
[ "$HOST_ARCH" = aarch64 ] && HOST_ARCH=arm64
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
[ -z "$(ls -A "$OUT")" ] || die "$OUT is not empty"
INNER=
if [ -n "$CHROOT" ]; then
  CHROOT=$(cd "$CHROOT" && pwd)
  case "$OUT" in "$CHROOT"/*) INNER=${OUT#"$CHROOT"} ;; *) die "--out must be inside --chroot" ;; esac
fi
LOGS=${LOGS:-$(mktemp -d)}
in_root() { chroot "$CHROOT" /usr/bin/env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
# npm run passes npm_config_* settings that node-gyp prefers to its arguments (the host's node).
while read -r v; do unset "$v"; done < <(env | grep -io '^npm_config_[a-z0-9_]*' || true)

# ---- the runtime
mkdir -p "$OUT/runtime"
tar -xzf "$NODE_TGZ" -C "$OUT/runtime" --strip-components=1 package/bin/node package/include package/LICENSE
file -b "$OUT/runtime/bin/node" | grep -q "$ELF_MACHINE" || die "the node binary is not for $ARCH: $(file -b "$OUT/runtime/bin/node")"

# ---- the application
mkdir -p "$OUT/provisioning" "$OUT/dist"
cp "$REPO/package.json" "$REPO/package-lock.json" "$OUT/"
[ -f "$REPO/README.md" ] && cp "$REPO/README.md" "$OUT/"
cp -r "$REPO/bin" "$OUT/"
for d in appliance services web; do [ -d "$REPO/dist/$d" ] && cp -r "$REPO/dist/$d" "$OUT/dist/"; done
# the panel's stylesheet and script are served from the source tree's web/static
[ -d "$REPO/web/static" ] && mkdir -p "$OUT/web" && cp -r "$REPO/web/static" "$OUT/web/"
find "$OUT/dist" -name '*.map' -delete
for s in grow-data-partition.sh postern-cli.sh; do install -m 0755 "$REPO/provisioning/$s" "$OUT/provisioning/"; done
mkdir -p "$OUT/systemd" && cp -r "$REPO/systemd/." "$OUT/systemd/"
# Install scripts are skipped (they would build for this machine); native modules are built below.
(cd "$OUT" && npm ci --omit=dev --ignore-scripts --os=linux --cpu="$NPM_CPU" --libc=glibc --no-audit --no-fund >"$LOGS/npm.log" 2>&1) \
  || { tail -20 "$LOGS/npm.log" >&2; die "npm ci failed"; }
rm -rf "$OUT/node_modules/.bin" "$OUT/node_modules/.package-lock.json"

# ---- native modules against the target node's headers
GYP="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$GYP" ] || die "node-gyp is missing (it comes with npm: $GYP)"
natives=$(cd "$OUT" && find node_modules -name binding.gyp -not -path '*/node_modules/*/node_modules/*' -printf '%h\n')
for m in $natives; do
  if [ "$ARCH" = arm64 ] && [ "$HOST_ARCH" != arm64 ] && command -v aarch64-linux-gnu-g++ >/dev/null; then
    echo "build-app: cross-compiling $m with aarch64-linux-gnu-g++"
    (cd "$OUT/$m" && CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar \
      node "$GYP" rebuild --release --arch=arm64 --nodedir="$OUT/runtime" --jobs=2) >"$LOGS/gyp.log" 2>&1 \
      || { tail -30 "$LOGS/gyp.log" >&2; die "cross-compiling $m failed"; }
  elif [ -n "$CHROOT" ]; then
    echo "build-app: building $m in the $ARCH root"
    rm -rf "$CHROOT/tmp/npm" && cp -r "$(npm root -g)/npm" "$CHROOT/tmp/npm"
    # (the release's node first on PATH: better-sqlite3's build runs `node` for one of its steps)
    in_root sh -c "export PATH=$INNER/runtime/bin:\$PATH; cd $INNER/$m && node /tmp/npm/node_modules/node-gyp/bin/node-gyp.js rebuild --release --nodedir=$INNER/runtime --jobs=2" \
      >"$LOGS/gyp.log" 2>&1 || { tail -30 "$LOGS/gyp.log" >&2; die "building $m failed"; }
    rm -rf "$CHROOT/tmp/npm"
  elif [ "$ARCH" = "$HOST_ARCH" ]; then
    echo "build-app: building $m for $ARCH"
    (cd "$OUT/$m" && node "$GYP" rebuild --release --nodedir="$OUT/runtime" --jobs=2) >"$LOGS/gyp.log" 2>&1 \
      || { tail -30 "$LOGS/gyp.log" >&2; die "building $m failed"; }
  else
    die "cannot build $m for $ARCH on $HOST_ARCH: install g++-aarch64-linux-gnu, or build inside an $ARCH root (--chroot)"
  fi
  rm -rf "$OUT/$m/build/Release/obj.target" "$OUT/$m/build/Release/.deps" "$OUT/$m/build/Release/obj" "$OUT/$m/deps" "$OUT/$m/src" \
    "$OUT/$m/build/Release/test_extension.node" "$OUT/$m/build/node_gyp_bins"
done
for f in $(cd "$OUT" && find node_modules -name '*.node'); do
  file -b "$OUT/$f" | grep -q "$ELF_MACHINE" || die "$f is not a $ARCH binary: $(file -b "$OUT/$f")"
  echo "build-app: $f: $(file -b "$OUT/$f" | cut -d, -f1-2)"
done

# ---- the runtime loads the native modules (where this machine can run the target's code)
probe="const db = require('$OUT/node_modules/better-sqlite3')(':memory:');
  const v = db.prepare('select sqlite_version() as v').get().v;
  const h = require('$OUT/node_modules/@node-rs/argon2').hashSync('x', { memoryCost: 1024, timeCost: 1 });
  console.log('build-app: Node.js ' + process.version + ' loads better-sqlite3 (SQLite ' + v + ') and @node-rs/argon2 (' + h.slice(0, 10) + '...) on ' + process.arch);"
if [ -n "$CHROOT" ]; then
  in_root "$INNER/runtime/bin/node" -e "${probe//$OUT/$INNER}" || die "the native modules do not load in the $ARCH root"
elif [ "$ARCH" = "$HOST_ARCH" ]; then
  "$OUT/runtime/bin/node" -e "$probe" || die "the native modules do not load"
elif command -v qemu-aarch64-static >/dev/null && [ -d /usr/aarch64-linux-gnu/lib ]; then
  qemu-aarch64-static -L /usr/aarch64-linux-gnu "$OUT/runtime/bin/node" -e "$probe" || die "the native modules do not load under qemu-aarch64-static"
else
  echo "build-app: (cannot run $ARCH code here: the modules' ELF headers were checked, not loaded)"
fi
rm -rf "$OUT/runtime/include"
echo "build-app: $OUT: $(du -sm "$OUT" | cut -f1) MiB"
