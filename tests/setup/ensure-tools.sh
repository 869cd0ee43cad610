#!/usr/bin/env bash
# What `npm test` needs besides npm packages: Debian's Chromium for the browser
# tests, and the independent tools whose read-backs the tests compare with
# (and that tests/fixtures/make.sh builds fixtures with). Run before the tests
# (npm's pretest) and by .ci/run: installs what is missing when it can (root
# with apt-get), otherwise names the exact command and stops.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(time chromium genisoimage xorriso wimtools udftools udfclient 7zip dosfstools mtools exfatprogs ntfs-3g bchunk iat libcdio-utils libarchive-tools fdisk isolinux ipxe grub-rescue-pc memtest86+ util-linux libarchive-zip-perl openssl binutils-mingw-w64-x86-64 sbsigntool osslsigncode gnupg libwim-dev gcc rhash)

if ! command -v dpkg-query >/dev/null; then
  echo "ensure-tools: not a Debian system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# Signed EFI loaders as distributions ship them (tests/node/authenticode.test.ts): Debian's shim
# (Microsoft's third-party CAs, 2011 and 2023) and GRUB (Debian's own CA). Unpacked, never installed:
# their maintainer scripts would install a boot loader on this machine.
signed_dir="$(cd "$(dirname "$0")/.." && pwd)/.tmp/signed-efi"
signed_debs=(shim-signed grub-efi-amd64-signed)
fetch_signed() {
  mkdir -p "$signed_dir" && (cd "$signed_dir" && apt-get download "${signed_debs[@]}" >/dev/null 2>&1) || return 1
  for d in "$signed_dir"/*.deb; do dpkg-deb -x "$d" "$signed_dir/root"; done
}

if [ ${#missing[@]} -eq 0 ]; then
  [ -f "$signed_dir/root/usr/lib/shim/shimx64.efi.signed" ] || fetch_signed || { [ "$(id -u)" = 0 ] && apt-get update -qq && fetch_signed; } || {
    echo "ensure-tools: could not download ${signed_debs[*]} (apt-get download) into $signed_dir" >&2
    exit 1
  }
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure-tools: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -f "$signed_dir/root/usr/lib/shim/shimx64.efi.signed" ] || fetch_signed
else
  echo "ensure-tools: the tests need these Debian packages: ${missing[*]}" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
