"""The quantities stage: what a reader calls a figure, with its value, unit and change.

Sentences are parsed by the bundled pipeline (the stage reads a few token attributes);
the assertions are about the figures, which do not hinge on one checkpoint's tags.
"""

from __future__ import annotations

import math

import pytest

from onrecord.figures import find_quantities
from onrecord.figures.numbers import parse_digits, parse_fraction, parse_words
from onrecord.record import Quantity


@pytest.fixture(scope="module")
def find(nlp):
    def run(text: str) -> tuple[Quantity, ...]:
        return find_quantities(nlp(text))

    return run


def only(found: tuple[Quantity, ...]) -> Quantity:
    assert len(found) == 1, [q.text for q in found]
    return found[0]


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9)


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("Ten", 10),
        ("forty-two", 42),
        ("two dozen", 24),
        ("a hundred", 100),
        ("three hundred and five", 305),
        ("one million two thousand", 1_002_000),
    ],
)
def test_number_words(words, value):
    assert parse_words(words) == value


@pytest.mark.parametrize(
    ("words", "value"),
    [("a third", 1 / 3), ("two-thirds", 2 / 3), ("three-quarters", 0.75), ("half", 0.5)],
)
def test_fractions(words, value):
    assert close(parse_fraction(words), value)


def test_vulgar_fractions():
    assert parse_digits("2½") == 2.5
    assert parse_digits("¾") == 0.75


def test_half_a_million_is_a_number():
    assert parse_fraction("half a million") == 500_000


def test_words_that_are_not_numbers():
    assert parse_words("several") is None


# -------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit"),
    [
        ("The administration asked for $2 billion.", "$2 billion", 2e9, "USD"),
        ("The bank approved a €3.5m grant.", "€3.5m", 3.5e6, "EUR"),
        ("Mexico will spend 1.2 trillion pesos.", "1.2 trillion pesos", 1.2e12, "MXN"),
        ("Britain set aside $1.5bn for defences.", "$1.5bn", 1.5e9, "USD"),
        ("The fine amounted to £20bn.", "£20bn", 2e10, "GBP"),
        ("Canada pledged C$500 million in aid.", "C$500 million", 5e8, "CAD"),
        ("Japan approved a ¥100 billion package.", "¥100 billion", 1e11, "JPY"),
        ("The bank injected 200 billion yuan.", "200 billion yuan", 2e11, "CNY"),
        (
            "Swiss authorities froze 7.5 billion Swiss francs.",
            "7.5 billion Swiss francs",
            7.5e9,
            "CHF",
        ),
        ("Gasoline rose 15 cents.", "15 cents", 0.15, "USD"),
    ],
)
def test_money_has_value_and_iso_currency(find, text, figure, value, unit):
    quantity = only(find(text))
    assert (quantity.text, quantity.kind, quantity.unit) == (figure, "money", unit)
    assert close(quantity.value, value)


def test_offsets_point_into_the_text(find):
    text = "Officials said the plan would cost $3.5 trillion."
    quantity = only(find(text))
    assert text[quantity.start : quantity.end] == quantity.text == "$3.5 trillion"


def test_won_the_verb_is_not_a_currency(find):
    quantity = only(find("He won 52 percent of the vote."))
    assert (quantity.value, quantity.unit) == (52, "percent")


# -------------------------------------------------------------- percentages


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Unemployment was 3.5% in September.", 3.5, "percent"),
        ("Turnout was 66.7 percent.", 66.7, "percent"),
        ("Fifteen percent of respondents had no opinion.", 15, "percent"),
        ("The rating dropped 5 percentage points.", 5, "percentage point"),
        ("The Fed raised rates by three-quarters of a percentage point.", 0.75, "percentage point"),
    ],
)
def test_percentages(find, text, value, unit):
    quantity = only(find(text))
    assert (quantity.kind, quantity.unit) == ("percent", unit)
    assert close(quantity.value, value)


# ------------------------------------------------------------------- counts


def test_count_with_what_is_counted(find):
    quantity = only(find("About 25,000 National Guardsmen were deployed to Washington."))
    assert (quantity.value, quantity.kind, quantity.unit) == (25000, "count", None)
    assert quantity.quantified == "National Guardsmen"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Ten people were injured.", 10),
        ("Police arrested two dozen protesters.", 24),
        ("Forty-two states have joined the lawsuit.", 42),
        ("The city has 1.5 million residents.", 1.5e6),
        ("Half a million people lost power.", 500_000),
        ("A dozen senators signed the letter.", 12),
        ("Only one candidate has filed.", 1),
    ],
)
def test_counts_in_words_and_digits(find, text, value):
    quantity = only(find(text))
    assert quantity.kind == "count"
    assert close(quantity.value, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("A third of voters are undecided.", 1 / 3),
        ("Half of the respondents disagreed.", 0.5),
        ("More than two-thirds of members voted no.", 2 / 3),
        ("One in four adults reported anxiety.", 0.25),
    ],
)
def test_fractions_and_proportions(find, text, value):
    assert close(only(find(text)).value, value)


def test_what_a_fraction_is_of(find):
    assert only(find("A third of voters are undecided.")).quantified == "voters"


# ----------------------------------------------------------------- measures


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The storm dumped 8 inches of rain.", 8, "inch"),
        ("The fire has burned 45,000 acres.", 45000, "acre"),
        ("Temperatures reached 110 degrees Fahrenheit.", 110, "degree fahrenheit"),
        ("Temperatures dropped to minus 20 degrees Celsius.", -20, "degree celsius"),
        ("Winds reached 150 miles per hour.", 150, "mile per hour"),
        ("The ship carried 2,000 tons of grain.", 2000, "ton"),
        ("Crews built a 30-foot wall.", 30, "foot"),
        ("The glacier lost 40 square miles of ice.", 40, "square mile"),
        ("The pipeline would carry 830,000 barrels of oil a day.", 830000, "barrel per day"),
    ],
)
def test_measures_have_singular_lowercase_units(find, text, value, unit):
    quantity = only(find(text))
    assert (quantity.kind, quantity.unit) == ("measure", unit)
    assert close(quantity.value, value)


# ------------------------------------------------------ ranges and bounds


def test_range_between_and(find):
    quantity = only(find("Between 10 and 20 migrants are believed to have drowned."))
    assert (quantity.value, quantity.high) == (10, 20)


def test_range_shares_its_unit(find):
    quantity = only(find("The storm could bring 2 to 4 inches of snow."))
    assert (quantity.value, quantity.high, quantity.unit) == (2, 4, "inch")


def test_money_range(find):
    quantity = only(find("Bonuses were $500 to $2,000 a quarter."))
    assert (quantity.value, quantity.high, quantity.unit) == (500, 2000, "USD")


def test_a_vote_tally_is_not_a_range(find):
    found = find("The bill passed by a vote of 220 to 207.")
    assert [q.value for q in found] == [220, 207]
    assert all(q.high is None for q in found)


def test_a_change_from_one_level_to_another_is_not_a_range(find):
    found = find("Homicides dropped from 650 to 480.")
    assert [q.value for q in found] == [650, 480]


@pytest.mark.parametrize(
    ("text", "bound", "approximate"),
    [
        ("More than 300 people attended.", "lower", False),
        ("At least 12 people were killed.", "lower", False),
        ("Fewer than 5,000 tickets remain.", "upper", False),
        ("Up to 50 percent of the harvest could be lost.", "upper", False),
        ("Nearly 40 percent of Americans agree.", None, True),
        ("About 8 inches of rain fell.", None, True),
        ("Some 2,000 soldiers took part.", None, True),
        ("The city counted 1,432 ballots.", None, False),
    ],
)
def test_bounds_and_approximations(find, text, bound, approximate):
    quantity = only(find(text))
    assert (quantity.bound, quantity.approximate) == (bound, approximate)


# ------------------------------------------------------------------- change


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("Shares were down 85% from their peak.", "decrease"),
        ("Sales rose 3 percent in the quarter.", "increase"),
        ("The plan includes a 20% cut in the budget.", "decrease"),
        ("The currency fell by half last year.", "decrease"),
        ("Lawmakers approved a 3% raise for employees.", "increase"),
        ("The drug reduced hospitalizations by 89 percent.", "decrease"),
        ("The economy grew at an annual rate of 6.4 percent.", "increase"),
        ("The Nasdaq lost 3.1% on Tuesday.", "decrease"),
        ("Unemployment fell to 3.5% in September.", None),
        ("The charity raised $12,500 for the families.", None),
        ("The fund lost $4 billion last year.", None),
        ("Christians make up 80 percent of the town.", None),
        ("She has climbed the highest peaks on all seven continents.", None),
        ("The company's value fell below $1 trillion.", None),
        ("The storm dropped up to 2 feet of snow.", None),
        ("Amazon said it would lay off about 18,000 employees.", "decrease"),
        ("Ratings have declined, by nine percentage points.", "decrease"),
    ],
)
def test_change_only_when_the_figure_is_a_rise_or_fall(find, text, change):
    assert only(find(text)).change == change


def test_change_carries_over_to_an_apposed_figure(find):
    found = find("The Dow fell 500 points, or 1.8%.")
    assert [(q.value, q.change) for q in found] == [(500, "decrease"), (1.8, "decrease")]


def test_level_after_a_change(find):
    found = find("Oil prices jumped 4% to $85 a barrel.")
    assert [(q.text, q.change) for q in found] == [("4%", "increase"), ("$85", None)]


# --------------------------------------------------------------------- each


def test_each_marks_distributive_amounts(find):
    quantity = only(
        find("The US will give $1 billion each to El Salvador, Guatemala, and Honduras.")
    )
    assert quantity.each is True


def test_each_year_is_not_distributive(find):
    assert only(find("The rate would decline by four percentage points each year.")).each is False


# ------------------------------------------------------------ not figures


@pytest.mark.parametrize(
    "text",
    [
        "The senator was born in 1952 and first elected in 1986.",
        "The hearing is scheduled for March 3 at 10 a.m.",
        "The meeting ended at 5:30 p.m.",
        "The report was published on 12/05/2021.",
        "The 1990s saw a boom in technology stocks.",
        "President Trump flew aboard Air Force One on Friday.",
        "The administration invoked Title 42 during the COVID-19 pandemic.",
        "Residents can call the hotline at 1-800-555-0199.",
        "She finished second in the primary.",
        "The team won its 10th straight game.",
        "The F-35 program is behind schedule.",
        "Apollo 11 landed on the moon.",
        "The Boeing 747 is being retired.",
        "His office is at 1600 Pennsylvania Avenue.",
        "Thousands of people marched through the capital.",
        "One of the suspects remains at large.",
        "Read more at https://example.com/story/2021/05/12/article-123.",
        "The court ruled 6-3 in the case.",
        "It was a four-way race.",
        "1. What the immigration plan means\n2. Aftershock rattles Italy",
        "He joined the '16 race late.",
        "At one point the crowd chanted her name.",
        "Listen on AM 970 this morning.",
    ],
)
def test_not_figures(find, text):
    assert find(text) == ()


def test_real_is_an_adjective_unless_brazilian(find):
    quantity = only(find("Voters only have two real choices."))
    assert (quantity.value, quantity.kind, quantity.unit) == (2, "count", None)


def test_currency_sign_may_be_spaced(find):
    quantity = only(find("It would cost as much as $ 170 billion a year."))
    assert (quantity.value, quantity.unit, quantity.bound) == (1.7e11, "USD", "upper")


def test_a_year_with_a_currency_sign_is_money(find):
    quantity = only(find("The ticket cost $2000."))
    assert (quantity.value, quantity.unit) == (2000, "USD")


def test_ids_are_numbered_in_text_order(find):
    found = find("Two officers and 14 residents were hurt; 3 homes burned.")
    assert [q.id for q in found] == ["q1", "q2", "q3"]
    assert [q.start for q in found] == sorted(q.start for q in found)


def test_empty_and_number_free_text(find):
    assert find("") == ()
    assert find("The senator declined to comment.") == ()


def test_works_on_an_unparsed_doc():
    import spacy

    found = find_quantities(spacy.blank("en")("The city asked for $2 billion, up 5%."))
    assert [(q.value, q.unit, q.change) for q in found] == [
        (2e9, "USD", None),
        (5, "percent", "increase"),
    ]


# ------------------------------------------------- issue 16: everyday news figures


@pytest.mark.parametrize(
    ("text", "figure", "value", "kind", "unit"),
    [
        ("The company has more than 1000 customers.", "1000", 1000, "count", None),
        ("The company has more than 1,000 customers.", "1,000", 1000, "count", None),
        ("Apple is doubling it to 256GB.", "256GB", 256, "measure", "gigabyte"),
        ("She ran 5km before breakfast.", "5km", 5, "measure", "kilometer"),
        ("The deal is worth 3.5bn.", "3.5bn", 3.5e9, "count", None),
        ("The deal is worth $2bn.", "$2bn", 2e9, "money", "USD"),
        ("The club paid £1.2m for the striker.", "£1.2m", 1.2e6, "money", "GBP"),
        ("He earns €40k a year.", "€40k", 40_000, "money", "EUR"),
        ("The car has 938 horsepower.", "938 horsepower", 938, "measure", "horsepower"),
        ("The ship carried 20,000 tons of grain.", "20,000 tons", 20_000, "measure", "ton"),
        ("The fire burned 45,000 acres.", "45,000 acres", 45_000, "measure", "acre"),
        ("Temperatures reached 110 degrees.", "110 degrees", 110, "measure", "degree"),
        ("One in five adults smoke.", "One in five", 0.2, "count", None),
        ("Two-thirds of voters approve.", "Two-thirds", 2 / 3, "count", None),
        ("Anheuser's share is nearly twice that of Miller.", "twice", 2, "count", None),
        ("It was a threefold increase since the 1960s.", "threefold", 3, "count", None),
        ("Pretax profit fell to #128 million.", "#128 million", 128e6, "money", "GBP"),
        ("Shares rose 6 pence in London.", "6 pence", 0.06, "money", "GBP"),
        ("He donated more than 20,000 marks.", "20,000 marks", 20_000, "money", "DEM"),
        ("A cashier steals a handful of $20s.", "$20s", 20, "money", "USD"),
    ],
)
def test_everyday_news_figures(find, text, figure, value, kind, unit):
    quantity = only(find(text))
    assert (quantity.text, quantity.kind, quantity.unit) == (figure, kind, unit)
    assert math.isclose(quantity.value, value)


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("Between 10 and 20 people were hurt.", 10, 20, None),
        ("Prices rose 10-20% last year.", 10, 20, "percent"),
        ("Earnings fell 50% to 75% below the year-earlier level.", 50, 75, "percent"),
        ("Analysts expected #130 million to #135 million.", 130e6, 135e6, "GBP"),
    ],
)
def test_ranges(find, text, low, high, unit):
    quantity = only(find(text))
    assert (quantity.value, quantity.high, quantity.unit) == (low, high, unit)


@pytest.mark.parametrize(
    "text", ["Nearly 300 people attended.", "Roughly 40% agree.", "Some 2,000 troops were sent."]
)
def test_approximations(find, text):
    assert only(find(text)).approximate is True


@pytest.mark.parametrize(
    "text",
    [
        "Samsung launched its 5G phone.",
        "The Galaxy S23 goes on sale Friday.",
        "The Covid-19 pandemic closed schools.",
        "The 9/11 attacks killed thousands.",
        "The Boeing 737 was grounded.",
        "The 1990s were a boom decade.",
        "She is one of the best players.",
        "Computer makers unveiled 486-based products.",
        "This is going to be the number one issue.",
        "Prices peaked in the winter of nineteen ninety-four.",
    ],
)
def test_issue_16_not_quantities(find, text):
    assert find(text) == ()


# ------------------------------------------------------------ durations and ages


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit", "high"),
    [
        ("He was sentenced to three years in prison.", "three years", 3, "year", None),
        ("The flight lasted two hours.", "two hours", 2, "hour", None),
        ("Six minutes later the alarm went off.", "Six minutes", 6, "minute", None),
        (
            "Gains of two to three years are taxed at 36 percent.",
            "two to three years",
            2,
            "year",
            3,
        ),
        ("She is a two-decade veteran of the committee.", "two-decade", 2, "decade", None),
    ],
)
def test_a_stated_amount_of_time_is_a_duration_linked_to_its_timex(
    find, text, figure, value, unit, high
):
    quantity = next(q for q in find(text) if q.kind == "duration")
    assert (quantity.text, quantity.value, quantity.unit, quantity.high) == (
        figure,
        value,
        unit,
        high,
    )
    assert quantity.time_id == "t1"
    assert quantity.change is None


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit"),
    [
        ("A 50-year-old man was arrested.", "50-year-old", 50, "year"),
        ("The school has 15 year-old students.", "15 year-old", 15, "year"),
        ('"It is a sisterhood," said Carla Cruz, 24.', "24", 24, "year"),
        ("They travelled with their 6-month-old son.", "6-month-old", 6, "month"),
    ],
)
def test_ages_are_durations_without_a_timex(find, text, figure, value, unit):
    quantity = only(find(text))
    assert (quantity.text, quantity.value, quantity.kind, quantity.unit) == (
        figure,
        value,
        "duration",
        unit,
    )
    assert quantity.time_id is None


@pytest.mark.parametrize(
    "text",
    [
        "The deal closed two years ago.",  # a DATE: when, not how long
        "Bonuses were paid every three months.",  # a SET: how often
        "Years of talks went nowhere.",  # no amount stated
    ],
)
def test_time_that_places_or_repeats_is_no_quantity(find, text):
    assert [q for q in find(text) if q.kind == "duration"] == []
