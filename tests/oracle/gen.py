#!/usr/bin/env python3
"""Seeded random responses CSV (wide layout) for a model, built to hit scoring edge cases.

Usage: gen.py MODEL.toml SEED N_RESPONDENTS OUT.csv

Deterministic for a given (model, seed, n). Exercises: omitted question columns, shuffled
column order, optional department column, empty cells, dk / na (mixed case, padded),
respondents with only dk/na (not group respondents), small role groups (hidden in
alignment), whole (block, phase) cells answered na (not applicable) or dk (not assessed),
cells where every answer sits exactly on the threshold, and a per-block latent level so
that blocks reach different phases.

Completion: about 45% of respondents (not the sparse ones) answer every question their
role group is asked (a blank there becomes dk or na), so `interviews_complete` is neither
always 0 nor always everyone. When the model has audiences (format 2 `ask`), respondents
answer mostly what their role group is asked: most leave the other questions blank, some
answer a few of them, a few answer everything (those answers count in scores); and some
leave asked questions blank.
"""

import csv
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle import Model  # noqa: E402  (model loading only; no scoring)


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    model = Model(argv[1])
    rng = random.Random(int(argv[2]))
    n_resp = int(argv[3])
    out = argv[4]
    S, n, tau = model.scale_max, model.n, model.threshold
    has_audience = any(q["ask"] != frozenset(model.role_groups) for q in model.questions)

    # --- role assignment: random sizes, sometimes a deliberately tiny group -------------
    groups = list(model.role_groups)
    roles = [rng.choice(groups) for _ in range(n_resp)]
    if n_resp >= 2 and rng.random() < 0.4:
        tiny = rng.choice(groups)
        size = rng.randint(1, max(1, model.anonymity - 1))
        others = [g for g in groups if g != tiny] or groups
        roles = [tiny] * min(size, n_resp) + [rng.choice(others) for _ in range(n_resp - size)]
        rng.shuffle(roles)
    group_bias = {g: rng.uniform(-0.2, 0.2) for g in groups}
    if rng.random() < 0.5:  # one group sees things much more rosily (alignment gap)
        group_bias[rng.choice(groups)] += 0.6

    # --- per-block latent level and per-cell special modes ------------------------------
    level = {b: rng.uniform(0.0, n + 0.8) for b in model.blocks}
    cell_mode = {}
    for b in model.blocks:
        for k in range(1, n + 1):
            r = rng.random()
            cell_mode[(b, k)] = ("na" if r < 0.07 else "dk" if r < 0.10 else
                                 "na_or_empty" if r < 0.13 else "exact" if r < 0.25 else "normal")
    exact_value = round(tau * S)  # e.g. 3 on 0..4 with τ 0.75; 3 on 0..5 with τ 0.6

    # --- columns ----------------------------------------------------------------------
    qids = [q["id"] for q in model.questions]
    # (a dropped column is unanswered by everyone: no one asked it can be complete)
    if rng.random() < (0.2 if has_audience else 0.35):
        drop = set(rng.sample(qids, k=rng.randint(1, max(1, len(qids) // 4))))
        qids = [q for q in qids if q not in drop]
    if rng.random() < 0.3:
        rng.shuffle(qids)
    with_dept = rng.random() < 0.5
    header = ["respondent", "role"] + (["department"] if with_dept else []) + qids

    def dk():
        return rng.choice(["dk", "dk", "DK", "Dk", " dk "])

    def na():
        return rng.choice(["na", "na", "NA", "Na", " na"])

    def value(q, mode, bias):
        if mode == "exact":
            return exact_value
        # high below the block's level, falling off above it
        p = 0.95 - 0.45 * (q["phase"] - level[q["block"]]) + bias + rng.uniform(-0.2, 0.2)
        return round(S * min(1.0, max(0.0, p)))

    def cell(q, mode, bias, only_dk_na):
        """One generated answer; "" is unanswered."""
        if only_dk_na:
            return rng.choice([dk(), na(), ""])
        if mode == "na":
            return na()
        if mode == "dk":
            return rng.choice([dk(), dk(), ""])
        if mode == "na_or_empty":
            return rng.choice([na(), ""])
        r = rng.random()
        if r < 0.07:
            return ""
        if r < 0.11:
            return dk()
        if r < 0.14:
            return na()
        v = value(q, mode, bias)
        return f" {v} " if rng.random() < 0.05 else str(v)

    rows = []
    for i in range(n_resp):
        role = roles[i]
        only_dk_na = rng.random() < 0.1
        sparse = rng.random() < 0.15          # answers only a few questions
        complete = not sparse and rng.random() < 0.45   # answers every question asked
        r = rng.random()                      # questions the group is not asked:
        others = 0.0 if r < 0.55 else 0.2 if r < 0.9 else 1.0   # none / a few / all
        bias = rng.uniform(-0.15, 0.15) + group_bias[role]
        row = [f"R{i + 1:03d}", role]
        if with_dept:
            row.append(rng.choice(["Sales", "Operations", "Finance", ""]))
        for qid in qids:
            q = model.qby[qid]
            mode = cell_mode[(q["block"], q["phase"])]
            asked = role in q["ask"]
            if not asked and rng.random() >= others:
                row.append("")
                continue
            if sparse and rng.random() < 0.7:
                row.append("")
                continue
            c = cell(q, mode, bias, only_dk_na)
            if c == "" and complete and asked:
                c = dk() if mode != "na_or_empty" else na()
            row.append(c)
        rows.append(row)

    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
