#!/usr/bin/env bash
# Regenerates the persona's audio files in server/persona/audio/ from the lines in lines.js.
# Needs espeak-ng and sox (Debian: apt-get install espeak-ng sox). Output: 16 kHz mono
# 16-bit PCM WAV, normalized to -3 dBFS, silence trimmed at both ends and pauses inside capped at 0.2 s;
# then the same lines as Opus packets in audio/opus/ (render-opus.js).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/audio"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

rm -f "$out"/*.wav "$out"/opus/*.opus-packets
mkdir -p "$out"
node "$here/lines.js" | while IFS=$'\t' read -r file voice text; do
  espeak-ng -v "$voice" -s 180 -w "$tmp/raw.wav" "$text"
  sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$out/$file" \
    silence -l 1 0.02 0.5% -1 0.2 0.5% reverse silence 1 0.02 0.5% reverse gain -n -3
  echo "$file: $text"
done
node "$here/render-opus.js"
du -sh "$out"
