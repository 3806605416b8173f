#!/usr/bin/env python3
"""Writes the DOM of each page, as headless Chromium has rendered it, into a directory.

    scripts/dump_dom.py CHROMIUM OUT_DIR PAGE.html...

One browser serves every page (starting Chromium once per page costs a few seconds each).
It is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands go
to the browser on its file descriptor 3, replies and events come back on 4, each one JSON
message ended by a NUL byte), so the script needs nothing beyond Python's standard library
and opens no port. For each page it opens a new tab, waits for the load event and then
for MathJax to finish typesetting (the pages load MathJax 2; a page without it is taken
as it is), and writes the tab's DOM to OUT_DIR/<name of the page>. A page that cannot be
rendered within --timeout seconds gets no file (check-docs.sh reports it by name) and the
pages after it go to a fresh browser.
"""
import argparse
import fcntl
import json
import os
import select
import subprocess
import sys
import tempfile
import time

# Resolves once MathJax 2 has typeset the page: MathJax.isReady is set when its start-up
# is done, and a callback queued after that runs after the first typesetting. A page
# whose MathJax never starts (a missing file, a script error) is returned as it stands
# after 30 s, with its TeX untypeset, for the check to find.
WAIT_FOR_MATHJAX = """
new Promise((resolve) => {
  const start = Date.now();
  const loads = document.querySelector('script[src*="MathJax"]') !== null;
  (function poll() {
    const mj = window.MathJax;
    if (mj && mj.isReady && mj.Hub) return mj.Hub.Queue(() => resolve("typeset"));
    if (!loads || Date.now() - start > 30000) return resolve(loads ? "timeout" : "none");
    setTimeout(poll, 50);
  })();
})
"""


class BrowserGone(Exception):
    pass


class Browser:
    def __init__(self, chromium, profile):
        # Our ends are moved to descriptors >= 10 so that the browser's 3 and 4 never
        # collide with them; dup2 in the child makes 3 and 4 inheritable.
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
                for fd in (to_browser_r, to_browser_w, from_browser_r, from_browser_w)]
        for fd in (to_browser_r, to_browser_w, from_browser_r, from_browser_w):
            os.close(fd)
        to_browser_r, self.out, self.inp, from_browser_w = high

        def child_fds():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
             "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=child_fds)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None, deadline=None):
        """Sends one command and returns its result, keeping the events that arrive."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self.out, json.dumps(message).encode() + b"\0")
        except OSError:
            raise BrowserGone
        while True:
            reply = self.receive(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, session, deadline):
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    del self.events[i]
                    return
            self.events.append(self.receive(deadline))

    def receive(self, deadline):
        while b"\0" not in self.buffer:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.inp], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.inp, 1 << 20)
            if not chunk:
                raise BrowserGone
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def dump(self, url, timeout):
        deadline = time.monotonic() + timeout
        self.events.clear()  # what earlier tabs reported matters no more
        target = self.send("Target.createTarget", {"url": "about:blank"},
                           deadline=deadline)["targetId"]
        try:
            session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                deadline=deadline)["sessionId"]
            self.send("Page.enable", session=session, deadline=deadline)
            self.send("Page.navigate", {"url": url}, session=session, deadline=deadline)
            self.wait_for("Page.loadEventFired", session, deadline)
            self.send("Runtime.evaluate", {"expression": WAIT_FOR_MATHJAX, "awaitPromise": True},
                      session=session, deadline=deadline)
            result = self.send("Runtime.evaluate",
                               {"expression": "document.documentElement.outerHTML",
                                "returnByValue": True}, session=session, deadline=deadline)
            return result["result"]["value"]
        finally:
            try:
                self.send("Target.closeTarget", {"targetId": target}, deadline=deadline + 10)
            except (TimeoutError, BrowserGone, RuntimeError):
                pass

    def close(self):
        try:
            self.send("Browser.close", deadline=time.monotonic() + 10)
        except (BrowserGone, TimeoutError, RuntimeError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.out)
        os.close(self.inp)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chromium")
    parser.add_argument("out_dir")
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per page")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(args.chromium, profile)
        try:
            for page in args.pages:
                name = os.path.basename(page)
                try:
                    dom = browser.dump("file://" + os.path.abspath(page), args.timeout)
                except (TimeoutError, BrowserGone) as e:
                    # A tab that is still busy (or a browser that died) would hold up every
                    # page after it: this page gets no file, and a fresh browser takes the rest.
                    why = f"no page after {args.timeout:.0f} s" if isinstance(e, TimeoutError) \
                        else "the browser exited"
                    print(f"dump_dom: {name}: {why}", file=sys.stderr)
                    browser.close()
                    browser = Browser(args.chromium, profile)
                    continue
                except RuntimeError as e:  # the browser refused a command for this page
                    print(f"dump_dom: {name}: {e}", file=sys.stderr)
                    continue
                with open(os.path.join(args.out_dir, name), "w", encoding="utf-8") as f:
                    f.write("<!DOCTYPE html>\n" + dom)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
