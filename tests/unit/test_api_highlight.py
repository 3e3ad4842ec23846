"""Article text to HTML: everything escaped, overlapping spans nested cleanly."""

from __future__ import annotations

from html.parser import HTMLParser

from onrecord.service.highlight import (
    RANK_QUOTE,
    RANK_VALUE,
    Span,
    render_article,
    render_in_context,
    render_marked,
    render_snippet,
    source_styles,
)
from tests.unit.test_api_corpus import border_record, hostile_record

VOID = {"br", "img", "input", "meta", "link"}


class NestingChecker(HTMLParser):
    """Collects tags and text; fails on a close tag that does not match the open one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> NestingChecker:
    checker = NestingChecker()
    checker.feed(html)
    checker.close()
    assert checker.stack == [], f"unclosed {checker.stack}"
    return checker


def test_the_text_survives_marking_unchanged():
    record = border_record().to_dict()
    parsed = parse(str(render_article(record)))
    assert "".join(parsed.text) == record["article"]["text"]


def test_markup_in_the_text_stays_text():
    record = hostile_record().to_dict()
    html = str(render_article(record))
    parsed = parse(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "b" not in parsed.tags
    assert "".join(parsed.text) == record["article"]["text"]
    assert "&lt;script&gt;" in html


def test_overlapping_spans_are_split_but_stay_nested():
    text = "abcdefghij"
    spans = [
        Span(0, 6, RANK_QUOTE, "a", (("class", "q"),)),
        Span(4, 9, RANK_QUOTE, "span", (("class", "q2"),)),
        Span(5, 8, RANK_VALUE, "span", (("class", "fig"),)),
    ]
    html = str(render_marked(text, spans))
    parsed = parse(html)
    assert "".join(parsed.text) == text
    # The second quote is split where the first one ends, and both pieces carry its class.
    assert html.count('class="q2"') == 2


def test_figures_inside_quotes_carry_their_value_in_plain_words():
    record = border_record().to_dict()
    html = str(render_article(record, {"s2": "/sources/trump"}))
    quote_start = html.index('href="/sources/trump"')
    figure = html.index('data-value="85%')
    assert figure > quote_start
    assert html.index("</a>", quote_start) > figure  # the figure sits inside the quote link


def test_named_sources_get_distinct_colours_and_anonymous_ones_their_own_look():
    html = str(render_article(border_record().to_dict()))
    classes = {
        source: html.split(f'data-source="{source}"')[0].rsplit('class="', 1)[1].split('"')[0]
        for source in ("s1", "s2", "s3", "s4")
    }
    named = {classes["s1"], classes["s2"], classes["s4"]}
    assert len(named) == 3 and all("anon" not in c for c in named)
    assert "anon" in classes["s3"]


def test_spans_outside_the_text_are_ignored():
    html = str(render_marked("short", [Span(3, 99, RANK_QUOTE, "span"), Span(4, 2, 0, "span")]))
    assert html == "short"


def test_snippet_markers_become_marks_after_escaping():
    html = str(render_snippet("<b>x</b> \ue000border\ue001 talks \ue000open"))
    assert html == "&lt;b&gt;x&lt;/b&gt; <mark>border</mark> talks <mark>open</mark>"


def test_the_ten_most_quoted_named_sources_get_colours_and_the_tail_is_grey():
    sources = [{"id": f"s{n}", "kind": "person"} for n in range(14)]
    sources.append({"id": "anon", "kind": "anonymous"})
    # s13 is quoted most, then s12, ...: colours follow the counts, not the order
    quotes = [{"source_id": f"s{n}"} for n in range(14) for _ in range(n + 1)]
    styles = source_styles(sources, quotes)
    assert styles["s13"] == "c0" and styles["s12"] == "c1" and styles["s4"] == "c9"
    assert {styles[f"s{n}"] for n in range(4)} == {"tail"}
    assert styles["anon"] == "anon"
    assert len({styles[f"s{n}"] for n in range(4, 14)}) == 10  # ten distinct colours


def test_each_quote_has_one_anchor_even_when_split():
    text = "abcdefghij"
    spans = [
        Span(0, 6, RANK_QUOTE, "span", (("id", "q1"), ("class", "q"))),
        Span(4, 9, RANK_QUOTE, "span", (("id", "q2"), ("class", "q"))),
    ]
    html = str(render_marked(text, spans))
    assert html.count('id="q1"') == 1 and html.count('id="q2"') == 1


def test_a_listed_quote_is_shown_in_its_sentence_with_roles_and_matches_marked():
    item = {
        "snippet": "the \ue000border\ue001 is open",
        "context": {
            "text": "“The border is open <now>,” she said on Monday.",
            "quote": {"start": 0, "end": 27},
            "cue": {"start": 32, "end": 36},
            "speaker": {"start": 28, "end": 31},
            "clipped_start": True,
            "clipped_end": False,
        },
    }
    html = str(render_in_context(item))
    assert html.startswith('…<q class="said">“The <mark>border</mark> is open &lt;now&gt;,”</q>')
    assert '<span class="speaker">she</span> <span class="cue">said</span>' in html
