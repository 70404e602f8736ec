#!/usr/bin/env python3
"""Independent reference implementation ("oracle") of the CX Maturity scoring rules.

Derived only from /work/shared/PRODUCT.md ("Scoring (exact, so it can be tested)",
rules 1-8) and docs/model-format.md (formats 1 and 2). Standard library only.

Besides the scores it computes the round's `respondents` (every respondent row) and
`interviews_complete`: respondents who answered (a scale value, don't know or n/a) every
question their role group is asked (format 2 `ask`; in format 1 every question is asked
of every group). The audience changes nothing else: answers to questions a respondent
was not asked count in every score. The other format 2 keys (scale definitions and
rules, role-group descriptions, weight reasons) do not affect results and are ignored.

Usage:
    oracle.py results MODEL.toml RESPONSES.csv
    oracle.py compare MODEL_A.toml A.csv MODEL_B.toml B.csv     (A earlier, B later)
    oracle.py selftest                                           (hand-worked cases in cases/)
    oracle.py diff EXPECTED.json ACTUAL.json                     (JSON comparison, see diff_json)
"""

import csv
import json
import math
import os
import sys
import tomllib

EPS = 1e-9
FLAG_GAP = 0.25

# ---------------------------------------------------------------------------
# Model


class Model:
    def __init__(self, path):
        with open(path, "rb") as f:
            raw = tomllib.load(f)
        self.path = path
        self.format = int(raw.get("format", 1))
        self.id = raw["id"]
        self.version = int(raw["version"])
        self.threshold = float(raw.get("threshold", 0.75))
        self.anonymity = int(raw.get("anonymity_threshold", 3))
        self.scale_max = int(raw["scale"]["max"])
        self.blocks = [b["id"] for b in raw["blocks"]]
        self.n = len(raw["phases"])
        groups = raw.get("role_groups")
        if groups is None:
            self.role_groups = ["executive", "manager", "front-line"]
        else:
            self.role_groups = [g["id"] for g in groups]
        # questions in file order (= model order)
        self.questions = []
        for i, q in enumerate(raw["questions"]):
            self.questions.append({
                "ask": self._audience(q, i),
                "id": q["id"],
                "block": q["block"],
                "phase": int(q["phase"]),
                "weight": float(q.get("weight", 1.0)),
                "text": q.get("text", ""),
                "recommendation": q.get("recommendation", ""),
                "order": i,
            })
        self.qby = {q["id"]: q for q in self.questions}

    def _audience(self, q, i):
        """The set of role group ids a question is asked of (format 2 `ask`)."""
        ask = q.get("ask", "all")
        if "ask" in q and self.format < 2:
            raise SystemExit(f"{self.path}: questions[{i}].ask needs format = 2")
        if ask == "all":
            return frozenset(self.role_groups)
        ids = [ask] if isinstance(ask, str) else list(ask)
        if not ids or len(set(ids)) != len(ids) or any(g not in self.role_groups for g in ids):
            raise SystemExit(f"{self.path}: questions[{i}].ask: invalid audience {ask!r}")
        return frozenset(ids)

    def asks(self, qid, role):
        return role in self.qby[qid]["ask"]

    def restricted(self, ids):
        """A shallow copy keeping only the question ids in `ids` (own weights/phases/τ)."""
        m = object.__new__(Model)
        m.__dict__.update(self.__dict__)
        m.questions = [q for q in self.questions if q["id"] in ids]
        m.qby = {q["id"]: q for q in m.questions}
        return m


# ---------------------------------------------------------------------------
# Responses (wide CSV)

RESERVED = ("respondent", "role", "department")


def parse_cell(cell, S, where):
    c = (cell or "").strip()
    if c == "":
        return None
    lc = c.lower()
    if lc == "dk":
        return "dk"
    if lc == "na":
        return "na"
    try:
        v = int(c)
    except ValueError:
        raise SystemExit(f"{where}: invalid answer {cell!r}")
    if v < 0 or v > S:
        raise SystemExit(f"{where}: answer {v} outside 0..{S}")
    return v


def load_responses(model, path):
    """Returns a list of respondents: {"name", "role", "answers": {qid: int|'dk'|'na'}}.
    Unanswered questions (empty cell or missing column) are absent from "answers"."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    for h in header:
        if h not in RESERVED and h not in model.qby:
            raise SystemExit(f"{path}: column {h!r} is not a question of model {model.id}@{model.version}")
    if "respondent" not in header or "role" not in header:
        raise SystemExit(f"{path}: columns respondent and role are required")
    out = []
    for ln, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue  # blank line
        rec = dict(zip(header, row))
        role = rec.get("role", "").strip()
        if role not in model.role_groups:
            raise SystemExit(f"{path}:{ln}: unknown role group {role!r}")
        answers = {}
        for h in header:
            if h in RESERVED:
                continue
            a = parse_cell(rec.get(h, ""), model.scale_max, f"{path}:{ln}:{h}")
            if a is not None:
                answers[h] = a
        out.append({"name": rec.get("respondent", "").strip(), "role": role, "answers": answers})
    return out


# ---------------------------------------------------------------------------
# Scoring


def question_attainment(model, respondents, qid):
    """Rule 1: a_q = Σv / (k_q·S); None when k_q = 0 (not assessed)."""
    vals = [r["answers"][qid] for r in respondents
            if qid in r["answers"] and isinstance(r["answers"][qid], int)]
    if not vals:
        return None
    return sum(vals) / (len(vals) * model.scale_max)


def weighted_mean(pairs):
    """pairs of (weight, a_q) with a_q not None; None when empty."""
    pairs = [(w, a) for (w, a) in pairs if a is not None]
    if not pairs:
        return None
    return sum(w * a for w, a in pairs) / sum(w for w, _ in pairs)


def score(model, respondents):
    """Rules 1-4 for one population. Returns (aq, blocks) where
    blocks[b] = {"phases": {k: (status, A)}, "R": R_b, "M": M_b, "attainment": block attainment}."""
    tau = model.threshold
    aq = {q["id"]: question_attainment(model, respondents, q["id"]) for q in model.questions}
    blocks = {}
    for b in model.blocks:
        phases = {}
        for k in range(1, model.n + 1):
            qs = [q for q in model.questions if q["block"] == b and q["phase"] == k]
            A = weighted_mean([(q["weight"], aq[q["id"]]) for q in qs])
            if A is None:
                given = [r["answers"][q["id"]] for r in respondents for q in qs
                         if q["id"] in r["answers"]]
                if given and all(a == "na" for a in given):
                    phases[k] = ("not_applicable", None)
                else:
                    phases[k] = ("not_assessed", None)
            elif A >= tau - EPS:
                phases[k] = ("mastered", A)
            else:
                phases[k] = ("below_threshold", A)
        R = 0
        for k in range(1, model.n + 1):
            st = phases[k][0]
            if st in ("mastered", "not_applicable"):
                R = k
            else:
                break
        if R == model.n:
            M = float(model.n)
        else:
            st, A = phases[R + 1]
            M = float(R) + (A if st in ("mastered", "below_threshold") else 0.0)
        att = weighted_mean([(q["weight"], aq[q["id"]]) for q in model.questions if q["block"] == b])
        blocks[b] = {"phases": phases, "R": R, "M": M, "attainment": att}
    return aq, blocks


def has_scale_value(r, model):
    return any(isinstance(a, int) for qid, a in r["answers"].items() if qid in model.qby)


def is_complete(model, r):
    """Every question the respondent's role group is asked has an answer (value, dk or na).
    Answers to questions the group is not asked neither help nor hurt."""
    return all(q["id"] in r["answers"] for q in model.questions if r["role"] in q["ask"])


def results(model, respondents):
    tau = model.threshold
    aq, blocks = score(model, respondents)
    P = min(blocks[b]["R"] for b in model.blocks)
    out = {
        "respondents": len(respondents),
        "interviews_complete": sum(1 for r in respondents if is_complete(model, r)),
        "organisation_phase": P,
        "bottleneck": [] if P == model.n else [b for b in model.blocks if blocks[b]["R"] == P],
        "blocks": [],
    }
    for b in model.blocks:
        bl = blocks[b]
        out["blocks"].append({
            "id": b,
            "reached_phase": bl["R"],
            "maturity": bl["M"],
            "phases": [{"phase": k, "attainment": bl["phases"][k][1], "status": bl["phases"][k][0]}
                       for k in range(1, model.n + 1)],
        })

    # Rule 6: alignment
    members = {g: [r for r in respondents if r["role"] == g and has_scale_value(r, model)]
               for g in model.role_groups}
    shown = [g for g in model.role_groups if len(members[g]) >= model.anonymity]
    hidden = [g for g in model.role_groups if 1 <= len(members[g]) < model.anonymity]
    gscore = {g: score(model, members[g])[1] for g in shown}
    out["alignment"] = []
    for b in model.blocks:
        groups = [{"role_group": g, "respondents": len(members[g]),
                   "attainment": gscore[g][b]["attainment"],
                   "reached_phase": gscore[g][b]["R"]} for g in shown]
        vals = [x["attainment"] for x in groups if x["attainment"] is not None]
        gap = (max(vals) - min(vals)) if len(vals) >= 2 else 0.0
        out["alignment"].append({
            "block": b,
            "groups": groups,
            "hidden_groups": [{"role_group": g, "respondents": len(members[g])} for g in hidden],
            "gap": gap,
            "flagged": gap >= FLAG_GAP - EPS,
        })

    # Rule 8: actions
    actions = []
    for q in model.questions:
        a = aq[q["id"]]
        if a is None or not (a < tau - EPS):
            continue
        R = blocks[q["block"]]["R"]
        tier = None
        if q["phase"] <= P + 1:
            tier = 1
        elif R > P and q["phase"] == R + 1:
            tier = 2
        if tier is None:
            continue
        actions.append({
            "tier": tier, "block": q["block"], "question": q["id"], "text": q["text"],
            "phase": q["phase"], "attainment": a, "priority": (tau - a) * q["weight"],
            "recommendation": q["recommendation"], "_order": q["order"],
        })
    actions.sort(key=lambda x: (x["tier"], -x["priority"], x["_order"]))
    for x in actions:
        del x["_order"]
    out["actions"] = actions
    out["not_yet_assessed"] = [] if P == model.n else [
        {"block": q["block"], "question": q["id"], "text": q["text"], "phase": q["phase"]}
        for q in model.questions if q["phase"] == P + 1 and aq[q["id"]] is None]
    return out


def compare(model_a, resp_a, model_b, resp_b):
    same = model_a.id == model_b.id and model_a.version == model_b.version
    if same:
        used = [q["id"] for q in model_b.questions]
        ma, mb = model_a, model_b
    else:
        used = [q["id"] for q in model_b.questions
                if q["id"] in model_a.qby
                and model_a.qby[q["id"]]["block"] == q["block"]
                and model_a.qby[q["id"]]["phase"] == q["phase"]]
        ids = set(used)
        ma, mb = model_a.restricted(ids), model_b.restricted(ids)
    aqa, ba = score(ma, resp_a)
    aqb, bb = score(mb, resp_b)
    out = {"basis": "same_model" if same else "shared_questions",
           "shared_questions": len(used), "blocks": [], "questions": []}
    for b in model_b.blocks:
        if b not in model_a.blocks:
            continue
        x, y = ba[b], bb[b]
        da = None if x["attainment"] is None or y["attainment"] is None \
            else y["attainment"] - x["attainment"]
        out["blocks"].append({"block": b, "delta_maturity": y["M"] - x["M"],
                              "delta_attainment": da, "phase_from": x["R"], "phase_to": y["R"]})
    for qid in used:
        x, y = aqa.get(qid), aqb.get(qid)
        out["questions"].append({"question": qid,
                                 "delta": None if x is None or y is None else y - x})
    return out


# ---------------------------------------------------------------------------
# JSON comparison


def _is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def diff_json(exp, act, path="$", ignore_top=("provisional",)):
    """First difference between expected (oracle) and actual (CLI) JSON, or None.
    Returns (path, expected_value, actual_value). Keys in ignore_top are ignored at top level.
    Floats compare within 1e-9; where the oracle has a float the CLI may give an integer
    of the same value; where the oracle has an int the CLI must give an int. Keys the
    CLI adds beyond the oracle's are allowed."""
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            return (path, exp, act)
        ek = set(exp) - (set(ignore_top) if path == "$" else set())
        ak = set(act) - (set(ignore_top) if path == "$" else set())
        # The CLI may add documented keys of its own (e.g. `questions`, `maturity_from`);
        # every key the oracle computes must be there and agree.
        if ek - ak:
            missing = sorted(ek - ak)
            return (path, f"keys missing in CLI: {missing}", sorted(ak))
        for k in exp:
            if k not in ek:
                continue
            d = diff_json(exp[k], act[k], f"{path}.{k}", ignore_top)
            if d:
                return d
        return None
    if isinstance(exp, list):
        if not isinstance(act, list):
            return (path, exp, act)
        for i, (e, a) in enumerate(zip(exp, act)):
            d = diff_json(e, a, f"{path}[{i}]", ignore_top)
            if d:
                return d
        if len(exp) != len(act):
            return (f"{path}.length", len(exp), len(act))
        return None
    if isinstance(exp, bool) or exp is None or isinstance(exp, str):
        if type(exp) is not type(act) or exp != act:
            return (path, exp, act)
        return None
    if isinstance(exp, int):
        if not isinstance(act, int) or isinstance(act, bool) or act != exp:
            return (path, exp, act)
        return None
    if isinstance(exp, float):
        if not _is_num(act) or not math.isfinite(float(act)) or abs(float(act) - exp) > 1e-9:
            return (path, exp, act)
        return None
    return (path, exp, act)


# ---------------------------------------------------------------------------
# CLI

HERE = os.path.dirname(os.path.abspath(__file__))


def cmd_results(mpath, cpath):
    m = Model(mpath)
    return results(m, load_responses(m, cpath))


def cmd_compare(ma_path, a_path, mb_path, b_path):
    ma, mb = Model(ma_path), Model(mb_path)
    return compare(ma, load_responses(ma, a_path), mb, load_responses(mb, b_path))


def selftest():
    cdir = os.path.join(HERE, "cases")
    with open(os.path.join(cdir, "cases.json")) as f:
        cases = json.load(f)
    failed = 0
    for c in cases:
        args = [os.path.join(cdir, a) for a in c["args"]]
        got = cmd_results(*args) if c["command"] == "results" else cmd_compare(*args)
        with open(os.path.join(cdir, c["expected"])) as f:
            exp = json.load(f)
        d = diff_json(exp, got, ignore_top=())
        if d:
            failed += 1
            print(f"FAIL {c['name']}: at {d[0]}: expected {json.dumps(d[1])}, oracle {json.dumps(d[2])}")
        else:
            print(f"ok   {c['name']}")
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "results" and len(argv) == 4:
        print(json.dumps(cmd_results(argv[2], argv[3]), indent=2))
        return 0
    if len(argv) >= 2 and argv[1] == "compare" and len(argv) == 6:
        print(json.dumps(cmd_compare(*argv[2:6]), indent=2))
        return 0
    if len(argv) == 2 and argv[1] == "selftest":
        return selftest()
    if len(argv) >= 2 and argv[1] == "diff" and len(argv) == 4:
        with open(argv[2]) as f:
            exp = json.load(f)
        with open(argv[3]) as f:
            act = json.load(f)
        d = diff_json(exp, act)
        if d:
            print(f"first difference at {d[0]}: oracle {json.dumps(d[1])}, cli {json.dumps(d[2])}")
            return 1
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
