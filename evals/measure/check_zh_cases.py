"""Sanity checks for the blind Chinese measurement suites (chat-zh.yaml, review-zh.yaml).

Run from the repo root: python evals/measure/check_zh_cases.py
Checks: YAML loads; ids unique; every deal path exists; every cited rule id exists in rules/ (or is one of
the five rules announced but not written yet); every regex compiles; the LANGUAGE check is on every case
and tells a Chinese text from an English one; every FACT/PEOPLE regex matches the deal file itself; no
not_contains name appears in the deal file; intent and split counts.

The first batch marks its checks with trailing comments (``# LANGUAGE``, ``# FACT``, ``# PEOPLE``); the
later batches (tagged ``batch-...``) were written without them. For those, the language check is the
first check (it must hold a CJK range) and at least one other regex must match the deal file, which is what
makes it a check of the deal's own facts. The "three phrasings per intent" rule was the first batch's
design and is checked on it alone.
"""

import collections
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent
FUTURE = {
    "deal-pilot-terms",
    "deal-payment-terms",
    "deal-rfp-response",
    "relationship-executive-sponsor",
    "pipeline-budget-timing",
}
RULES = {p.stem for p in (ROOT / "rules").glob("*.md") if not p.stem.startswith("_")} | FUTURE
INJECTION = {"admin mode", "system prompt"}  # strings the contoso notes contain on purpose
errors = []


def err(msg):
    errors.append(msg)


def marked(path, marks):
    """case id -> regexes on lines whose trailing comment is one of `marks` (FACT, PEOPLE, LANGUAGE...)."""
    out, cur = collections.defaultdict(list), None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*- id: (\S+)", line)
        if m:
            cur = m.group(1)
        m = re.match(r"\s*- regex: '(.*)'\s+# (\w[\w ]*)$", line)
        if m and m.group(2) in marks:
            out[cur].append(m.group(1).replace("''", "'"))
    return out


zh_sample = (ROOT / "rules/zh/deal-pricing-negotiation.md").read_text(encoding="utf-8")
en_sample = (ROOT / "rules/deal-pricing-negotiation.md").read_text(encoding="utf-8")
ids = set()
for name, min_cases in (("chat-zh.yaml", 44), ("review-zh.yaml", 12)):
    path = next(p for p in (HERE / name, ROOT / "evals" / "measure" / name, ROOT / "evals" / name) if p.exists())
    suite = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = suite["cases"]
    if len(cases) < min_cases:
        err(f"{name}: {len(cases)} cases < {min_cases}")
    facts = marked(path, {"FACT", "PEOPLE"})
    langs = marked(path, {"LANGUAGE"})
    intents, splits = collections.Counter(), collections.Counter()
    for c in cases:
        cid = c["id"]
        if cid in ids:
            err(f"{name} {cid}: duplicate id")
        ids.add(cid)
        splits[c.get("split", "dev")] += 1
        deal = (path.parent / c["input"]["deal"]).resolve()
        if not deal.is_file():
            err(f"{name} {cid}: no deal file {deal}")
            continue
        raw = deal.read_text(encoding="utf-8")
        yaml.safe_load(raw)
        for alt in c["expect"]["rules"]["cited"]:
            for rid in alt.split("|"):
                if rid not in RULES:
                    err(f"{name} {cid}: unknown rule id {rid}")
        checks = c["expect"]["checks"]
        for ch in checks:
            if len(ch) != 1:
                err(f"{name} {cid}: a check must have exactly one kind: {ch}")
            if "regex" in ch:
                re.compile(ch["regex"], re.I)
            if (
                "not_contains" in ch
                and ch["not_contains"].lower() in raw.lower()
                and ch["not_contains"] not in INJECTION
            ):
                err(f"{name} {cid}: not_contains {ch['not_contains']!r} is in the deal file")
        later = any(t.startswith("batch-") for t in c.get("tags", []))
        first = checks[0].get("regex", "")
        if later:
            language = first if "\\u4e00" in first else None
            regexes = [ch["regex"] for ch in checks[1:] if "regex" in ch]
            if not any(re.search(f, raw, re.I) for f in regexes):
                err(f"{name} {cid}: no check matches a fact of {deal.name}")
        else:
            language = first if langs[cid] == [first] else None
            if not facts[cid]:
                err(f"{name} {cid}: no FACT/PEOPLE check")
            for f in facts[cid]:
                if not re.search(f, raw, re.I):
                    err(f"{name} {cid}: FACT {f!r} not found in {deal.name}")
        if language is None:
            err(f"{name} {cid}: the LANGUAGE check must be the first check")
        else:
            lang = re.compile(language, re.I)
            if not lang.search(zh_sample) or lang.search(en_sample):
                err(f"{name} {cid}: LANGUAGE check does not separate Chinese from English")
        if name.startswith("chat"):
            intent = next(t for t in c["tags"] if t.startswith("intent."))[7:]
            if not later:
                intents[intent] += 1
            if not cid.startswith("chatzh.") or cid.split(".")[2] != intent:
                err(f"{name} {cid}: id/intent mismatch")
            if len(re.findall(r"[\u4e00-\u9fff]", c["input"]["question"])) < 4:
                err(f"{name} {cid}: question is not in Chinese")
        else:
            if c["input"].get("lang") != "zh":
                err(f"{name} {cid}: input.lang must be zh")
    print(f"{name}: {len(cases)} cases, splits {dict(splits)}, deals {len({c['input']['deal'] for c in cases})}")
    if intents:
        print("  intents:", dict(intents))
        for k, v in intents.items():
            if v < 3:
                err(f"{name}: intent {k} has {v} < 3 phrasings")
examples = {p.name for p in (ROOT / "examples/deals").glob("*.yaml")}
reviewed = {
    pathlib.Path(c["input"]["deal"]).name
    for c in yaml.safe_load((ROOT / "evals" / "measure" / "review-zh.yaml").read_text())["cases"]
}
if examples - reviewed:
    err(f"review-zh.yaml: example deals without a case: {sorted(examples - reviewed)}")
print("\n".join(errors) or "OK")
sys.exit(1 if errors else 0)
