#!/usr/bin/env python3
"""Report benchmark (not a test): the native PDF (`cxm report`) against headless
Chromium printing the same report as HTML (same text, same charts as inline SVG).

Usage: bench_report.py CXM RUNS
Builds a demo database and a 200-respondent round in a temporary folder, then for each
case runs both renderers RUNS times in fresh processes and prints median wall time,
the ratio, file sizes and peak memory (sum of the resident memory of the whole process
tree, sampled every 5 ms). Chromium flags as in ../shared/RECIPES.md.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-pdf-header-footer",
]


def tree_rss_kb(root):
    """Resident memory (kB) of root and all its descendants."""
    children = {}
    rss = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            ppid = int(parts[1])
            rss[int(pid)] = int(parts[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
            children.setdefault(ppid, []).append(int(pid))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run(cmd, env=None):
    """Run cmd; return (seconds, peak tree RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            time.sleep(0.005)

    t = threading.Thread(target=sample)
    t.start()
    code = proc.wait()
    elapsed = time.perf_counter() - start
    t.join()
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(cmd)}")
    return elapsed, peak[0] / 1024


def ids(out):
    return out.strip().split()[-1]


def main():
    cxm, runs = sys.argv[1], int(sys.argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    tmp = tempfile.mkdtemp(prefix="cxm-bench-report-")
    db = os.path.join(tmp, "bench.sqlite")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1790000000")

    def cxm_out(*args):
        return subprocess.run([cxm, "--db", db, *args], check=True, capture_output=True,
                              text=True, env=env).stdout

    demo_round = ids(cxm_out("demo"))
    org = ids(cxm_out("org", "add", "Big survey"))
    big_round = ids(cxm_out("round", "add", "--org", org, "--title", "Staff survey",
                            "--date", "2026-10-01", "--target", "3"))
    csv = os.path.join(tmp, "big.csv")
    model = os.path.join(here, "..", "crates", "cxm-domain", "models", "cx-maturity-v1.toml")
    subprocess.run([sys.executable, os.path.join(here, "..", "tests", "oracle", "gen.py"),
                    model, "11", "200", csv], check=True, capture_output=True)
    cxm_out("import-responses", "--round", big_round, csv)

    print(f"| case | native PDF (median of {runs}) | Chromium (median of {runs}) | speed-up "
          "| PDF size native / Chromium | peak memory native / Chromium |")
    print("|---|---|---|---|---|---|")
    for name, round_id in [("demo report", demo_round), ("200-respondent round", big_round)]:
        pdf = os.path.join(tmp, f"{round_id}.pdf")
        html = os.path.join(tmp, f"{round_id}.html")
        chrome_pdf = os.path.join(tmp, f"{round_id}-chromium.pdf")
        cxm_out("report", round_id, "-o", pdf, "--html", html)
        native = [run([cxm, "--db", db, "report", round_id, "-o", pdf], env) for _ in range(runs)]
        chrome = []
        for _ in range(runs):
            profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp)
            chrome.append(run(["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                               f"--print-to-pdf={chrome_pdf}", f"file://{html}"]))
        n_t = statistics.median(t for t, _ in native)
        c_t = statistics.median(t for t, _ in chrome)
        n_m = max(m for _, m in native)
        c_m = max(m for _, m in chrome)
        print(f"| {name} | {n_t * 1000:.0f} ms | {c_t * 1000:.0f} ms | {c_t / n_t:.1f}× "
              f"| {os.path.getsize(pdf) / 1024:.0f} KB / {os.path.getsize(chrome_pdf) / 1024:.0f} KB "
              f"| {n_m:.0f} MB / {c_m:.0f} MB |")
    print(f"\nfiles kept in {tmp}")


if __name__ == "__main__":
    main()
