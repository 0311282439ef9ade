#!/usr/bin/env bash
# The HTML report's weekly trend as a browser draws it: four weeks in which as
# many cases were resolved as opened, so the two lines lie on each other.
# Headless Chromium takes a screenshot of the chart alone, and both colours
# must show along the shared stretch (resolved is dashed with rings, so the
# opened line shows through). A one-week period draws no trend, and a month's
# partial first and last weeks are shaded.
# Usage: report_browser.sh MEND
source "$(dirname "$0")/lib.sh"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || die "$CHROMIUM is missing (scripts/install-deps.sh installs it)"

# November 2026 starts on a Sunday and ends on a Monday: one case opened and
# resolved each Tuesday in between, so opened = resolved every week.
for d in 03 10 17 24; do
  MEND_NOW=2026-11-${d}T10:00:00Z "$MEND" open "Ada" "Cake $d" -q >/dev/null
done
for id in 1 2 3 4; do
  MEND_NOW=2026-11-$(printf '%02d' $((3 + 7 * (id - 1))))T11:00:00Z \
    "$MEND" resolve "$id" --outcome apology --followup never -q >/dev/null
done
MEND_NOW=2026-12-01T10:00:00Z "$MEND" report --period 2026-11 --format html >"$WORK/report.html"
opened=$(grep -o '<polyline class="opened" points="[^"]*"' "$WORK/report.html")
resolved=$(grep -o '<polyline class="resolved" points="[^"]*"' "$WORK/report.html")
[ -n "$opened" ] && [ -n "$resolved" ] || die "the report has no trend lines"
expect_eq "${opened#*points=}" "${resolved#*points=}" "the two series (equal by construction)"
expect_eq "$(grep -c 'class="partial"' "$WORK/report.html")" 2 "shaded partial weeks in November"

# The chart alone on a page, at the top left, so its coordinates are the image's.
{
  echo '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;background:#fff}svg{display:block}</style></head><body>'
  awk '/<svg[^>]*aria-label="Cases opened and resolved per week"/ {on = 1} on {print} on && /<\/svg>/ {exit}' "$WORK/report.html"
  echo '</body></html>'
} >"$WORK/chart.html"
HOME="$WORK" timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
  --no-first-run --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$(mktemp -d "$WORK/profile-XXXXXX")" --hide-scrollbars \
  --force-device-scale-factor=1 --window-size=720,240 \
  --screenshot="$WORK/chart.png" "file://$WORK/chart.html" >/dev/null 2>"$WORK/chromium.err" ||
  die "chromium failed: $(tail -5 "$WORK/chromium.err")"
[ -s "$WORK/chart.png" ] || die "chromium wrote no screenshot"

# Pixels of each colour along the plateau (y = 16, the highest value) between
# the second and the fifth week: a hidden line has none there.
python3 - "$WORK/chart.png" <<'PY' || die "the screenshot does not show both lines"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat = 8, b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
assert depth == 8 and colour in (2, 6), (depth, colour)
bpp = 4 if colour == 6 else 3
raw, stride, rows, prev, i = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp), 0
for _ in range(height):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line
def near(px, rgb):
    return all(abs(px[k] - rgb[k]) <= 40 for k in range(3))
orange, green = (0xcf, 0x6a, 0x2e), (0x2e, 0x8b, 0x57)
counts = {"opened": 0, "resolved": 0}
for y in range(12, 21):
    for x in range(190, 550):
        px = rows[y][x * bpp:x * bpp + 3]
        if near(px, orange): counts["opened"] += 1
        if near(px, green): counts["resolved"] += 1
print("pixels along the shared stretch:", counts)
sys.exit(0 if counts["opened"] >= 40 and counts["resolved"] >= 40 else 1)
PY

# One week is too short for a trend: a sentence instead of a single dot.
MEND_NOW=2026-12-01T10:00:00Z "$MEND" report --since 2026-11-23 --until 2026-11-29 --format html \
  >"$WORK/week.html"
grep -q "Too short a period for a weekly trend: 1 opened, 1 resolved" "$WORK/week.html" ||
  die "a one-week report draws a trend"
grep -q '<polyline' "$WORK/week.html" && die "a one-week report has trend lines"
echo "equal weekly lines both visible, partial weeks shaded, no trend for one week"
