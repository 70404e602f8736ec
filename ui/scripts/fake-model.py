#!/usr/bin/env python3
"""Regenerates src/lib/fake/model.json (the fake backend's model) from the default model.

Run from ui/: python3 scripts/fake-model.py
"""
import json, tomllib, pathlib

root = pathlib.Path(__file__).resolve().parents[2]
m = tomllib.loads((root / "crates/cxm-domain/models/cx-maturity-v1.toml").read_text())
out = {
    "key": f'{m["id"]}@{m["version"]}',
    "title": m["title"],
    "threshold": m.get("threshold", 0.75),
    "scale": {
        "max": m["scale"]["max"],
        "labels": m["scale"]["labels"],
        "dont_know": m["scale"].get("dont_know", "Don't know"),
        "not_applicable": m["scale"].get("not_applicable", "Not applicable"),
    },
    "blocks": [{"id": b["id"], "name": b["name"]} for b in m["blocks"]],
    "phases": [{"number": p["number"], "name": p["name"], "description": p["description"]} for p in m["phases"]],
    "role_groups": [{"id": r["id"], "name": r["name"]} for r in m["role_groups"]],
    "questions": [
        {"id": q["id"], "block": q["block"], "phase": q["phase"], "text": q["text"], "guidance": q["guidance"],
         "recommendation": q.get("recommendation", ""), "weight": q.get("weight", 1.0)}
        for q in m["questions"]
    ],
}
dest = root / "ui/src/lib/fake/model.json"
dest.parent.mkdir(parents=True, exist_ok=True)
dest.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
print(f"{dest}: {len(out['questions'])} questions")
