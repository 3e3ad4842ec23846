"""A second quantities dev set, converted at run time from Microsoft Recognizers-Text's
English specs in ../shared/data/recognizers_text_specs (MIT; nothing is copied into the repo).

    python bench/recognizers_quantities.py convert /tmp/recognizers-quantities.jsonl
    onrecord eval quantities --data /tmp/recognizers-quantities.jsonl
    python bench/recognizers_quantities.py datetime     # dates/times misread as quantities

What maps onto onrecord's format (docs/quantities.md), and how:

- Number/English/NumberModel.json: every result is a count (unit null) with the spec's value;
  offsets kept (the spec's End is inclusive; ours is exclusive).
- Number/English/NumberRangeModel.json: a range is one quantity whose value is its lower
  end ("(20,35]" -> 20), or its upper end when it has no lower one ("(,3000)" -> 3000).
- Number/English/PercentModel*.json: results written with "%", "percent" or "per cent"
  become unit "percent" with the number before "%" as value; results that Recognizers reads
  as a percentage but we read as a fraction or count ("one quarter of" -> 25%, "one in two")
  are left out, and so are the lines that held them.

What does not map and is left out: OrdinalModel (ordinals are not quantities for us, but the
specs do not mark the cardinals in the same inputs), NumberWithUnit (the currency and age
cases are held out and absent; what is left of dimension and temperature is compound lengths
"5 ft 2 in", which we read as two quantities, and sentences that are negative only for one
unit type), and every DateTime file, which `datetime` uses instead: it counts the date and
time spans of DateExtractor/TimeExtractor/DateTimeExtractor inside which onrecord finds a
quantity (each one a false positive under our guidelines).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ONRECORD_SHARED_DATA", ROOT.parent / "shared" / "data"))
SPECS = DATA / "recognizers_text_specs"
PERCENT_WRITTEN = re.compile(r"%|\bper\s?cents?\b|\bpercent", re.IGNORECASE)


def load(relative: str) -> list[dict[str, Any]]:
    path = SPECS / relative
    if not path.is_file():
        sys.exit(f"recognizers_quantities: {path}: no such file")
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8-sig"))
    return cases


def gold(result: dict[str, Any], value: float, unit: str | None) -> dict[str, Any]:
    start = result["Start"]
    return {
        "text": result["Text"],
        "value": value,
        "unit": unit,
        "change": None,
        "start": start,
        "end": result["End"] + 1,
    }


def number_lines() -> list[dict[str, Any]]:
    lines = []
    for case in load("Number/English/NumberModel.json"):
        try:
            quantities = [gold(r, float(r["Resolution"]["value"]), None) for r in case["Results"]]
        except (KeyError, ValueError):
            continue
        lines.append({"text": case["Input"], "quantities": quantities})
    return lines


def range_value(interval: str) -> float | None:
    low, _, high = interval.strip("[]()").partition(",")
    for end in (low, high):
        if end.strip():
            try:
                return float(end)
            except ValueError:
                return None
    return None


def range_lines() -> list[dict[str, Any]]:
    lines = []
    for case in load("Number/English/NumberRangeModel.json"):
        quantities = []
        for result in case["Results"]:
            value = range_value(result["Resolution"]["value"])
            if value is None:
                break
            quantities.append(gold(result, value, None))
        else:
            lines.append({"text": case["Input"], "quantities": quantities})
    return lines


def percent_lines() -> list[dict[str, Any]]:
    lines = []
    for name in ("PercentModel.json", "PercentModelPercentMode.json"):
        for case in load(f"Number/English/{name}"):
            results = case["Results"]
            if not all(PERCENT_WRITTEN.search(r["Text"]) for r in results):
                continue
            try:
                quantities = [
                    gold(r, float(r["Resolution"]["value"].rstrip("%")), "percent") for r in results
                ]
            except (KeyError, ValueError):
                continue
            lines.append({"text": case["Input"], "quantities": quantities})
    return lines


def convert(out: Path) -> None:
    parts = {"number": number_lines(), "range": range_lines(), "percent": percent_lines()}
    with out.open("w", encoding="utf-8") as f:
        for lines in parts.values():
            for line in lines:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
    counts = ", ".join(f"{k} {len(v)}" for k, v in parts.items())
    print(f"wrote {out}: {counts} lines")


def datetime_check() -> None:
    import onrecord
    from onrecord.figures import find_quantities

    cases = []
    for name in ("DateExtractor.json", "TimeExtractor.json", "DateTimeExtractor.json"):
        cases.extend(load(f"DateTime/English/{name}"))
    nlp = onrecord.load()
    spans = misread = 0
    examples = []
    for case, doc in zip(cases, nlp.pipe(c["Input"] for c in cases), strict=True):
        found = find_quantities(doc)
        for result in case["Results"]:
            start, end = result["Start"], result["Start"] + result["Length"]
            spans += 1
            hits = [q for q in found if q.start < end and start < q.end]
            if hits:
                misread += 1
                examples.append(f"  {hits[0].text!r} in {result['Text']!r}: {case['Input']}")
    print(f"date/time spans: {spans}; read as a quantity: {misread} ({misread / spans:.1%})")
    print("\n".join(examples))


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "convert":
        convert(Path(argv[1]))
    elif argv == ["datetime"]:
        datetime_check()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
