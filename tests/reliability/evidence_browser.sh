#!/usr/bin/env bash
# The evidence page in a real browser: a case whose stored texts carry
# <script> tags, <img src=http://...>, onerror= attributes, javascript: URLs
# and other ways to run code or fetch, opened from disk in headless Chromium.
# No script runs (the title and the DOM stay as written), the texts show
# escaped, no request reaches a listener on 127.0.0.1, and the attached PNG
# is shown as an <img> with a data: URI.
# Usage: evidence_browser.sh MEND
source "$(dirname "$0")/lib.sh"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || die "$CHROMIUM is missing (scripts/install-deps.sh installs it)"

# A listener on 127.0.0.1 that logs every connection it gets.
cat >"$WORK/listen.py" <<'PY'
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept()
    c.settimeout(2)
    try:
        first = c.recv(4096).split(b"\r\n")[0]
    except OSError:
        first = b"(nothing read)"
    with open(sys.argv[2], "ab") as log:
        log.write(first + b"\n")
    try:
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
    except OSError:
        pass
    c.close()
PY
: >"$WORK/requests"
python3 "$WORK/listen.py" "$WORK/port" "$WORK/requests" &
listener=$!
trap 'kill "$listener" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
PORT=$(cat "$WORK/port") || die "the listener did not start"
U="http://127.0.0.1:$PORT"
# The listener answers: a request from here shows in its log.
python3 -c "import urllib.request; urllib.request.urlopen('$U/probe').read()"
for _ in $(seq 50); do [ -s "$WORK/requests" ] && break; sleep 0.05; done
expect_eq "$(cat "$WORK/requests")" "GET /probe HTTP/1.1" "the listener's log of a probe"
: >"$WORK/requests"

# Every stored text tries something: set the title, mark the page, or fetch.
mark="document.documentElement.setAttribute('data-pwned','1')"
"$MEND" open "Eve <script>document.title='PWNED-name';$mark</script>" \
  "<img src=$U/summary.png onerror=\"document.title='PWNED-summary'\">" \
  --email "eve@example.com" \
  -m "Hello <script>document.title='PWNED'</script> <img src=$U/complaint.png onerror=\"$mark\">
<a href=\"javascript:document.title='PWNED-link'\">click</a> <iframe src=\"$U/frame\"></iframe>
<link rel=stylesheet href=\"$U/style.css\"><style>@import url($U/import.css); body{background:url($U/bg.png)}</style>
<meta http-equiv=refresh content=\"0;url=$U/refresh\"><svg onload=\"$mark\"><image href=\"$U/svg.png\"/></svg>
<object data=\"$U/object\"></object><video poster=\"$U/poster.png\"></video><form action=\"$U/form\"><button autofocus onfocus=\"$mark\">b</button></form>" \
  -q >/dev/null
"$MEND" note 1 "<script>$mark</script><img src=x onerror=\"document.title='PWNED-note'\"><base href=\"$U/\"><a href=javascript:alert(1)>x</a>" -q >/dev/null
"$MEND" note 1 --kind call "</pre></p></section><script src=\"$U/script.js\"></script><body onload=\"$mark\">" -q >/dev/null
# A real 1x1 PNG, and a file whose name tries too (a name holds no '/').
python3 - "$WORK/photo.png" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png)
PY
"$MEND" attach 1 "$WORK/photo.png" -q >/dev/null
printf 'receipt\n' >"$WORK/receipt.txt"
"$MEND" attach 1 "$WORK/receipt.txt" --name "<img src=x onerror=\"document.title='PWNED-file'\">.txt" -q >/dev/null
"$MEND" attach 1 "$WORK/photo.png" --name "<script>document.title='PWNED-img'<\\script>.png" -q >/dev/null

"$MEND" evidence 1 -o "$WORK/pack" >/dev/null
page="$WORK/pack/case-1.html"
[ -s "$page" ] || die "no case-1.html"
# A page's title as text (its entities decoded).
title_of() {
  python3 -c 'import html, re, sys
m = re.search(r"<title>(.*?)</title>", open(sys.argv[1], encoding="utf-8").read(), re.S)
print(html.unescape(m.group(1)) if m else "")' "$1"
}
title=$(title_of "$page")
[ -n "$title" ] || die "the page has no title"

# Headless Chromium, given time for any timer, error handler or load to run.
HOME="$WORK" timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
  --no-first-run --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$(mktemp -d "$WORK/profile-XXXXXX")" --virtual-time-budget=3000 \
  --dump-dom "file://$page" >"$WORK/dom.html" 2>"$WORK/chromium.err" ||
  die "chromium failed: $(tail -5 "$WORK/chromium.err")"
dom="$WORK/dom.html"
[ -s "$dom" ] || die "chromium dumped no DOM"
sleep 0.5

# No script ran: the title is the page's own, nothing marked the page.
dom_title=$(title_of "$dom")
expect_eq "$dom_title" "$title" "the title after Chromium ran the page"
case "$dom_title" in "Case #1 — "*) ;; *) die "the title is not the page's own: $dom_title" ;; esac
! grep -q 'data-pwned="1"' "$dom" || die "a stored script marked the page"
# No element or attribute came from a stored text: the parsed DOM has no
# script, frame, object, link, base, form, svg or media element, no event
# handler attribute, no javascript: URL, and its only images are data: URIs.
python3 - "$dom" >"$WORK/elements" <<'PY' || die "the DOM holds what a stored text tried: $(cat "$WORK/elements")"
import html.parser, sys
bad = []
imgs = []
class P(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "frame", "object", "embed", "link", "base", "form",
                   "svg", "video", "audio", "image", "button", "input"):
            bad.append(tag)
        if tag == "meta" and any(k == "http-equiv" and (v or "").lower() == "refresh" for k, v in attrs):
            bad.append("meta refresh")
        for k, v in attrs:
            if k.startswith("on"):
                bad.append(f"<{tag} {k}=>")
            if (v or "").strip().lower().startswith("javascript:"):
                bad.append(f"<{tag} {k}=javascript:>")
        if tag == "img":
            imgs.append(dict(attrs).get("src", ""))
P().feed(open(sys.argv[1], encoding="utf-8").read())
print(" ".join(bad))
for src in imgs:
    print("img", src[:40])
sys.exit(1 if bad else 0)
PY
expect_eq "$(grep -c '^img data:image/png;base64,iVBORw0KGgo' "$WORK/elements")" 2 "PNG <img> elements with a data: URI"
expect_eq "$(grep '^img ' "$WORK/elements" | grep -vc '^img data:' || true)" 0 "<img> elements not from a data: URI"
# The texts are there, as text.
for text in "Hello &lt;script&gt;document.title='PWNED'&lt;/script&gt;" \
  "&lt;img src=$U/complaint.png onerror=" \
  "&lt;a href=\"javascript:document.title='PWNED-link'\"&gt;click&lt;/a&gt;" \
  "Eve &lt;script&gt;document.title='PWNED-name'" \
  "&lt;script src=\"$U/script.js\"&gt;&lt;/script&gt;"; do
  grep -qF "$text" "$dom" || die "the DOM does not show the stored text escaped: $text"
done
# No request left the page.
sleep 0.5
[ ! -s "$WORK/requests" ] || die "the page made requests: $(tr '\n' ' ' <"$WORK/requests")"
kill "$listener" 2>/dev/null || true
wait "$listener" 2>/dev/null || true
echo "evidence page in headless Chromium: hostile customer name, summary, complaint, two notes and two file names: no script ran (the title stayed '$dom_title'), none left an element or handler, all shown escaped; 2 PNGs shown as data: URIs; 0 requests reached 127.0.0.1:$PORT"
