#!/usr/bin/env bash
# What `npm test` needs besides npm packages: Debian's Chromium for the browser
# tests, and the independent tools whose read-backs the tests compare with
# (and that tests/fixtures/make.sh builds fixtures with). Run before the tests
# (npm's pretest) and by .ci/run: installs what is missing when it can (root
# with apt-get), otherwise names the exact command and stops.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(time chromium genisoimage xorriso wimtools udftools udfclient 7zip dosfstools mtools exfatprogs ntfs-3g bchunk iat libcdio-utils libarchive-tools fdisk isolinux ipxe grub-rescue-pc memtest86+ util-linux libarchive-zip-perl openssl binutils-mingw-w64-x86-64)

if ! command -v dpkg-query >/dev/null; then
  echo "ensure-tools: not a Debian system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure-tools: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "ensure-tools: the tests need these Debian packages: ${missing[*]}" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
