"""Whatever text it is given, `extract` returns a record whose spans lie in the text and
match it, whose quotes name sources that exist, and whose JSON form is valid.

Inputs: any Unicode (lone surrogates included), HTML fragments, news paragraphs mutated
(cut, repeated, marks and line breaks inserted), and publication dates at the ends of the
calendar. Profiles: tests/fuzz/conftest.py (`make fuzz` for the long run).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

import onrecord
from onrecord.errors import InputError
from onrecord.inputs import from_mapping

SCHEMA = Path(onrecord.__file__).parent / "schema" / "record.schema.json"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

NEWS = [
    '"We will not accept this deal," Senator Maria Lopez said on Tuesday, adding that the '
    "$4.5 billion plan would cut 12% of the jobs in Ohio by March 2021.",
    "The White House said in a statement that President Trump had spoken with Lopez last "
    "week. According to officials, about 3,000 workers rallied in Columbus on July 8.",
    "“It is a betrayal,” said Jim Smith, a union leader. “We were promised more.”\n\n"
    "A spokeswoman for the company, who asked not to be named, declined to comment.",
    "MEXICO CITY — Andrés Manuel López Obrador told reporters that the talks, which began "
    "in 2019, would resume next month; Lopez Obrador's aides said they expected a deal.",
    "Q: Did you know?\nA: No, I did not, the mayor said. Prices rose 3 percent in the past "
    "two years, to $1.2 million, and fell by half since Monday.",
]

RELATIVE = [
    "tomorrow",
    "yesterday",
    "next year",
    "last month",
    "in 10 days",
    "next decade",
    "last century",
    "on Monday",
    "at Christmas",
    "next week",
    "this quarter",
    "two years ago",
]

INSERTS = ['"', "“", "”", "'", "’", "\n", "\n\n", " said ", ", ", "\ud800", "\udfff", "\x00", "—"]


@cache
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return data


@cache
def example_texts() -> list[str]:
    texts = []
    for path in sorted(EXAMPLES.glob("*.json")):
        text = json.loads(path.read_text(encoding="utf-8")).get("text")
        if isinstance(text, str):
            texts.append(text[:1500])
    return texts


def check_record(record: Any, text: str) -> None:
    """The invariants: spans in range and equal to the text they name; sources resolve;
    ids unique; the JSON form valid against the schema and encodable as UTF-8."""
    data = record.to_dict()
    article_text = data["article"]["text"]
    assert len(article_text) == len(text)
    for key in ("entities", "quotes", "quantities", "times"):
        for item in data[key]:
            check_span(item, article_text)
    for quote in data["quotes"]:
        for part in quote["parts"]:
            assert quote["start"] <= part["start"] <= part["end"] <= quote["end"]
        for key in ("cue", "speaker"):
            if quote[key] is not None:
                check_span(quote[key], article_text)
    source_ids = {source["id"] for source in data["sources"]}
    assert all(q["source_id"] is None or q["source_id"] in source_ids for q in data["quotes"])
    for source in data["sources"]:
        for mention in source["mentions"]:
            assert 0 <= mention["start"] <= mention["end"] <= len(article_text)
    for key in ("entities", "sources", "quotes", "quantities", "times"):
        ids = [item["id"] for item in data[key]]
        assert len(ids) == len(set(ids)), key
    jsonschema.validate(data, schema())
    json.dumps(data, ensure_ascii=False).encode("utf-8")


def check_span(item: dict[str, Any], text: str) -> None:
    assert 0 <= item["start"] <= item["end"] <= len(text), item
    if "text" in item:
        assert text[item["start"] : item["end"]] == item["text"], item


@st.composite
def mutated_news(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(NEWS + example_texts()))
    for _ in range(draw(st.integers(0, 6))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "cut", "repeat", "upper"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(INSERTS)) + text[at:]
        elif action == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif action == "repeat":
            text = text[:at] + text[max(0, at - 60) : at] + text[at:]
        else:
            text = text[:at] + text[at : at + 30].upper() + text[at + 30 :]
    return text


unicode_text = st.text(
    alphabet=st.one_of(
        st.characters(),  # any code point but surrogates
        st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "\n", '"', "“", "”", "$", "%"]),
    ),
    max_size=300,
)


@given(unicode_text)
def test_any_unicode(text: str) -> None:
    check_record(onrecord.extract(text), text)


@given(mutated_news())
def test_mutated_news_paragraphs(text: str) -> None:
    check_record(onrecord.extract(text), text)


TAGS = ["p", "div", "article", "script", "style", "h1", "a", "span", "br", "title", "table"]


@st.composite
def html_fragments(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        tag = draw(st.sampled_from(TAGS))
        inner = draw(st.one_of(st.sampled_from(NEWS), unicode_text))
        closed = draw(st.booleans())
        parts.append(f"<{tag}>{inner}" + (f"</{tag}>" if closed else ""))
    return "<html><body>" + "".join(parts) + draw(st.sampled_from(["</body></html>", "", "<"]))


@given(html_fragments())
def test_html_fragments(html: str) -> None:
    try:
        article = from_mapping({"html": html}, "fuzz")
    except InputError:
        return  # no article text in the page: a clean, named refusal
    check_record(onrecord.extract(article.text), article.text)


@given(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.lists(st.sampled_from(RELATIVE), min_size=1, max_size=4),
    st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31), None]),
)
def test_edge_dates(published: dt.date, phrases: list[str], edge: dt.date | None) -> None:
    text = " ".join(f"The minister said {p} that prices rose 5%." for p in phrases)
    for when in (published, edge):
        record = onrecord.extract(text, published=when)
        check_record(record, text)
        assert record.article.published == (when.isoformat() if when else None)
