#!/usr/bin/env bash
# Checks the built docs site in headless Chromium: on every book page, MathJax must have
# typeset the maths (no raw TeX left, no MathJax error, no red box for an undefined
# command), loading MathJax from the site's own copy — so the check passes offline; and no
# Markdown that Doxygen failed to render may be left in the prose (literal **, __, *…* or
# backticks outside code).
#   scripts/check-docs.sh [HTML_DIR] [--screenshot PNG]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
html=$root/build/docs/html
shot=""
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshot) shot=${2:?"--screenshot needs a file name"}; shift 2 ;;
    *) html=$1; shift ;;
  esac
done
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "check-docs: chromium not found (scripts/install-deps.sh --dev installs it)" >&2; exit 1; }
[ -f "$html/index.html" ] || { echo "check-docs: $html/index.html not found; build the docs first" >&2; exit 1; }
[ -f "$html/mathjax/MathJax.js" ] || { echo "check-docs: $html/mathjax/MathJax.js missing: MathJax was not copied into the site" >&2; exit 1; }
grep -q 'src="mathjax/MathJax.js' "$html/index.html" || { echo "check-docs: pages do not load the local MathJax" >&2; exit 1; }

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$profile" --virtual-time-budget=10000)
failed=0
pages=("$html"/index.html "$html"/chapters.html "$html"/ch[0-9][0-9].html "$html"/look-inside.html
       "$html"/exercises.html "$html"/appendix-*.html "$html"/references.html)
# One browser renders every page that exists (dump_dom.py: over the DevTools protocol,
# waiting for MathJax to finish), each DOM into its own file.
present=()
for page in "${pages[@]}"; do [ -f "$page" ] && present+=("$page"); done
dom_dir=$profile/dom
if [ ${#present[@]} -gt 0 ]; then
  python3 "$root/scripts/dump_dom.py" "$chromium" "$dom_dir" "${present[@]}" --timeout 120 || true
fi
for page in "${pages[@]}"; do
  if [ ! -f "$page" ]; then
    echo "check-docs: FAIL $(basename "$page"): the page is missing"
    failed=1
    continue
  fi
  dom=$(cat "$dom_dir/$(basename "$page")" 2>/dev/null || true)
  if [ -z "$dom" ]; then
    echo "check-docs: FAIL $(basename "$page"): the browser returned no page (it crashed or took over 120 s)"
    failed=1
    continue
  fi
  result=$(printf '%s' "$dom" | python3 -c '
import re, sys
dom = sys.stdin.read()
text = re.sub(r"<script.*?</script>|<style.*?</style>", "", dom, flags=re.S)
text = re.sub(r"<[^>]+>", "", text)
# Unprocessed TeX: delimiters MathJax never saw, or formulas it found but did not typeset
# (they stay behind as a preview span or a math/tex script with no rendering beside it).
raw = len(re.findall(r"\\[(\[]|\\f[$\[]", text))
scripts = len(re.findall(r"<script type=\"math/tex", dom))
typeset = len(re.findall(r"class=\"MathJax(_Display)?\"", dom))
raw += max(0, scripts - typeset)
raw += len(re.findall(r"class=\"MathJax_Preview\">[^<]", dom))
errors = dom.count("class=\"MathJax_Error\"") + text.count("Math Processing Error")
# A command MathJax does not know (\\lvert without the AMSmath extension, say) is no
# MathJax_Error: it is typeset as a red merror box saying "Undefined control sequence".
errors += len(re.findall(r"class=\"[^\"]*\bmerror\b", dom))
# Markdown left as text: the prose outside code (code blocks, snippets, inline code and
# typeset maths are skipped, since ** or a backtick is legitimate there).
from html.parser import HTMLParser
class Prose(HTMLParser):
    skip_tags = {"script", "style", "pre", "code", "tt"}
    def __init__(self):
        super().__init__(); self.stack = []; self.parts = []
    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        skip = tag in self.skip_tags or any(c in ("fragment", "line", "MathJax", "MathJax_Display",
                                                  "MathJax_Preview", "MathJax_SVG") for c in classes)
        if tag not in ("br", "img", "hr", "input", "meta", "link"):
            self.stack.append(skip or (bool(self.stack) and self.stack[-1]))
    def handle_endtag(self, tag):
        if tag not in ("br", "img", "hr", "input", "meta", "link") and self.stack: self.stack.pop()
    def handle_data(self, data):
        if not (self.stack and self.stack[-1]): self.parts.append(data)
prose = Prose(); prose.feed(dom)
# **bold**, __bold__, `code`, and *emphasis* whose asterisks were left standing.
markers = re.findall(r".{0,30}(?:\*\*|__|`|(?<![\w*])\*[\w(][^*]*?[\w).]\*(?![\w*])).{0,30}",
                     " ".join(prose.parts))
sys.stderr.write("".join("  literal Markdown: " + m.strip() + "\n" for m in markers[:5]))
print(f"{typeset} {raw} {errors} {len(markers)}")')
  read -r typeset raw errors markdown <<<"$result"
  name=$(basename "$page")
  if [ "$raw" != 0 ] || [ "$errors" != 0 ] || [ "$markdown" != 0 ]; then
    echo "check-docs: FAIL $name: $raw raw TeX fragments, $errors MathJax errors, $markdown literal Markdown markers, $typeset typeset formulas"
    failed=1
  else
    echo "check-docs: ok   $name: $typeset typeset formulas, no raw TeX"
  fi
done
if [ -n "$shot" ]; then
  timeout 120 "$chromium" "${flags[@]}" --window-size=1300,2400 --screenshot="$shot" \
    "file://$html/ch00.html" >/dev/null 2>&1
  echo "check-docs: screenshot of ch00.html in $shot"
fi
exit $failed
