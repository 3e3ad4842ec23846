"""Plain-words values: what readers see instead of TIMEX codes and raw quantity fields."""

import pytest

from onrecord.figures import describe_quantity
from onrecord.times import describe_time


@pytest.mark.parametrize(
    ("kind", "value", "words"),
    [
        ("DATE", "2020-07-08", "Wednesday 8 July 2020"),
        ("TIME", "2016-09-30TEV", "Friday 30 September 2016, evening"),
        ("DURATION", "PXM", "months"),
        ("DATE", "PRESENT_REF", "now"),
        ("DATE", "PAST_REF", "recently"),
        ("DURATION", "P3Y", "3 years"),
        ("DURATION", "PT2H", "2 hours"),
        ("SET", "P1W", "every week"),
        ("DATE", "2016-10", "October 2016"),
        ("DATE", "199", "the 1990s"),
    ],
)
def test_times_read_as_plain_words(kind: str, value: str, words: str) -> None:
    assert describe_time(kind, value) == words


def test_an_unknown_value_is_shown_as_it_is() -> None:
    assert describe_time("DATE", "XXXX-XX-XX-odd") == "XXXX-XX-XX-odd"


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (
            {"kind": "percent", "value": 85.0, "approximate": True, "change": "decrease"},
            "about 85% (down)",
        ),
        ({"kind": "money", "value": 1e9, "unit": "USD", "each": True}, "$1 billion each"),
        ({"kind": "count", "value": 1000.0, "bound": "lower"}, "at least 1,000"),
        ({"kind": "measure", "value": 2.5, "unit": "km"}, "2.5 km"),
        ({"kind": "count", "value": 10.0, "high": 20.0}, "10 to 20"),
    ],
)
def test_figures_read_as_plain_words(fields: dict[str, object], words: str) -> None:
    assert describe_quantity(fields) == words


def test_the_text_view_shows_plain_words_not_timex_codes() -> None:
    from onrecord.record import Article, Quantity, Record, Time
    from onrecord.textview import render_text

    text = "Crossings are now down 85% from three years ago."
    record = Record(
        article=Article(id="a", text=text),
        quantities=(Quantity("n1", "85%", 23, 26, 85.0, "percent", "percent", "decrease"),),
        times=(Time("t1", "now", 14, 17, "DATE", "PRESENT_REF"),),
    )
    view = render_text(record)
    assert "- 85%: 85% (down), percent" in view
    assert "- now: now" in view
    assert "PRESENT_REF" not in view
