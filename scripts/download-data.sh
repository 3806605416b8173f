#!/usr/bin/env bash
# Downloads a data set the book trains on, and checks every file's sha256.
#
#   scripts/download-data.sh multi30k [DIR]     (default DIR: data/multi30k)
#
# Multi30k task 1 (Elliott et al., 2016), German–English, raw text: the six files
# data/task1/raw/{train,val,test_2016_flickr}.{de,en}.gz of the official repository
# https://github.com/multi30k/dataset, fetched at a fixed commit, so the bytes never
# change under the book. A file whose checksum differs is removed and reported; nothing
# is left half-downloaded (each file is fetched to a temporary name, checked, then
# renamed). Files already present with the right checksum are not fetched again.
# TFM_MULTI30K_URL replaces the download address (a mirror, or file:///path for a copy).
set -euo pipefail

usage() { echo "usage: scripts/download-data.sh multi30k [DIR]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
[ "$1" = multi30k ] || { echo "download-data.sh: unknown data set '$1' (known: multi30k)" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 2 ]; then
  [ -n "$2" ] || { echo "download-data.sh: DIR is empty; name a directory, or leave it out for data/multi30k" >&2; exit 2; }
  dir=$2
else
  dir=$root/data/multi30k
fi

# The commit that added the raw files; they have not changed since.
commit=c9be912dc05a3ebf9ae5bb5f7f58c1791cda43ab
base=${TFM_MULTI30K_URL:-https://raw.githubusercontent.com/multi30k/dataset/$commit/data/task1/raw}
declare -A sha256=(
  [train.de.gz]=726e39b2fa9eb9ffb6dc763fb35a179f80fae06ffc5d28b6ace5faa883de28a6
  [train.en.gz]=d79cfa999dd4c51d2cb42499b6796d5a882c3a8a961923c25a898c90f8bbd56f
  [val.de.gz]=f0cba2f995189cf5770f29a8a9a537a3ad3f51657ad873405082ff6863a5e75a
  [val.en.gz]=14f7d25ddd868909a9213e361768460edcacdd6ab9d1e77b92560dc10c10dc28
  [test_2016_flickr.de.gz]=9204244e408ccb38d2a55cfcd344df15005fc42a07a6e55ca6c52b6ababb8cc8
  [test_2016_flickr.en.gz]=611d361c6334bc7246101d48097c13cf5c4413c5befc793cc629934359d532d9
)

names=(train.de.gz train.en.gz val.de.gz val.en.gz test_2016_flickr.de.gz test_2016_flickr.en.gz)
# Before any download: a directory (or anything but a file) in a file's place would take
# the file inside it, and the data would seem to be there.
for name in "${names[@]}"; do
  if [ -e "$dir/$name" ] && [ ! -f "$dir/$name" ]; then
    echo "download-data.sh: $dir/$name exists and is not a file; move it away" >&2
    exit 1
  fi
done

if command -v curl >/dev/null; then
  fetch() { curl --fail --location --silent --show-error --retry 3 -o "$2" "$1"; }
elif command -v wget >/dev/null; then
  fetch() { wget --quiet --tries=3 -O "$2" "$1"; }
else
  echo "download-data.sh: needs curl or wget (apt-get install curl)" >&2
  exit 1
fi

mkdir -p "$dir"
failed=0
for name in "${names[@]}"; do
  want=${sha256[$name]}
  if [ -f "$dir/$name" ]; then
    if [ "$(sha256sum "$dir/$name" | cut -d' ' -f1)" = "$want" ]; then
      echo "download-data.sh: $dir/$name already present and checked"
      continue
    fi
    echo "download-data.sh: $dir/$name is present but its sha256 differs; fetching it again"
  fi
  tmp="$dir/.$name.download.$$"
  trap 'rm -f "$tmp"' EXIT
  echo "download-data.sh: fetching $name"
  if ! fetch "$base/$name" "$tmp"; then
    echo "download-data.sh: could not download $base/$name" >&2
    rm -f "$tmp"; failed=1; continue
  fi
  got=$(sha256sum "$tmp" | cut -d' ' -f1)
  if [ "$got" != "$want" ]; then
    echo "download-data.sh: $name: sha256 $got, expected $want; removed" >&2
    rm -f "$tmp"; failed=1; continue
  fi
  mv -T "$tmp" "$dir/$name"
done
trap - EXIT
[ "$failed" -eq 0 ] || exit 1
echo "download-data.sh: Multi30k is in $dir (pass --data $dir to chapter 10's program)"
