#!/usr/bin/env python3
"""Starts the installed app through tauri-driver and proves it shows its first screen.

    first_screen.py TAURI_DRIVER APP SCREENSHOT.png

Run by scripts/test-package.sh under Xvfb (DISPLAY set) with the environment the app
should see (a fresh HOME, no CXM_DB): tauri-driver passes its environment to
WebKitWebDriver, which starts APP. Speaks the W3C WebDriver protocol with the standard
library: a session with {"tauri:options": {"application": APP}}, waits for the
first-run screen ([data-testid="welcome"], ui/src/screens/Welcome.svelte), prints its
text, saves a screenshot, ends the session and stops tauri-driver with SIGTERM (SIGKILL
would orphan WebKitWebDriver). Exits 1 with the reason when any step fails, and the last
lines of tauri-driver's output (kept beside the screenshot, in tauri-driver.log).
"""

import base64
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

WELCOME = '[data-testid="welcome"]'
# The first start creates the database; WebKit's first start is slow on a loaded machine.
FIND_TIMEOUT_S = 60
PORT_TIMEOUT_S = 30


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, driver):
    deadline = time.monotonic() + PORT_TIMEOUT_S
    while time.monotonic() < deadline:
        if driver.poll() is not None:
            raise RuntimeError(f"tauri-driver exited with code {driver.returncode} before port {port} opened")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"port {port} did not open within {PORT_TIMEOUT_S} s")


class WebDriver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None, timeout=60):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return json.loads(resp.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            detail = e.read().decode(errors="replace")
            raise RuntimeError(f"{method} {path}: HTTP {e.code}: {detail}") from None
        except (OSError, http.client.HTTPException) as e:
            raise RuntimeError(f"{method} {path}: {e}") from None

    def start(self, app):
        caps = {"tauri:options": {"application": app}}
        value = self.call("POST", "/session",
                          {"capabilities": {"alwaysMatch": caps}, "desiredCapabilities": caps})
        self.session = value["sessionId"]

    def s(self, path):
        return f"/session/{self.session}{path}"

    def find(self, css):
        """The element matching `css`, polling until FIND_TIMEOUT_S."""
        deadline = time.monotonic() + FIND_TIMEOUT_S
        last = None
        while time.monotonic() < deadline:
            try:
                value = self.call("POST", self.s("/element"), {"using": "css selector", "value": css})
                return next(iter(value.values()))
            except RuntimeError as e:
                last = e
                time.sleep(0.25)
        raise RuntimeError(f"no element {css} within {FIND_TIMEOUT_S} s: {last}")

    def text(self, element):
        return self.call("GET", self.s(f"/element/{element}/text"))

    def screenshot(self):
        return base64.b64decode(self.call("GET", self.s("/screenshot")))

    def end(self):
        if self.session is not None:
            self.call("DELETE", self.s(""))
            self.session = None


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    tauri_driver, app, shot = sys.argv[1:]
    port, native = free_port(), free_port()
    # tauri-driver's and WebKitWebDriver's messages (and the app's, which they pass on),
    # shown when a step fails.
    log_path = os.path.join(os.path.dirname(os.path.abspath(shot)), "tauri-driver.log")
    log = open(log_path, "wb")
    driver = subprocess.Popen([tauri_driver, "--port", str(port), "--native-port", str(native)],
                              stdout=log, stderr=subprocess.STDOUT)
    wd = WebDriver(port)
    try:
        # tauri-driver's port opens before WebKitWebDriver's: wait for both.
        wait_for_port(port, driver)
        wait_for_port(native, driver)
        started = time.monotonic()
        wd.start(app)
        welcome = wd.find(WELCOME)
        took = time.monotonic() - started
        text = " ".join(wd.text(welcome).split())
        if not text:
            raise RuntimeError(f"{WELCOME} is there but shows no text")
        # Let the first paint settle before the picture (the check above does not wait on it).
        time.sleep(0.5)
        with open(shot, "wb") as f:
            f.write(wd.screenshot())
        print(f"first screen after {took:.1f} s: {text[:160]}")
        wd.end()
    except (RuntimeError, KeyError, OSError) as e:
        failure = f"the app did not show its first screen: {e}"
    else:
        failure = None
    finally:
        try:
            wd.end()
        except (RuntimeError, OSError):
            pass
        driver.send_signal(signal.SIGTERM)
        try:
            driver.wait(timeout=20)
        except subprocess.TimeoutExpired:
            driver.kill()
            driver.wait()
        log.close()
    if failure:
        with open(log_path, errors="replace") as f:
            tail = f.readlines()[-30:]
        sys.exit(failure + f"\nlast lines of {log_path}:\n" + "".join("    " + line for line in tail))


if __name__ == "__main__":
    main()
