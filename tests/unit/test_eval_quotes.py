"""The quote scorer and `onrecord eval quotes` on tiny hand-made brat fixtures."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.errors import DataError
from onrecord.evaluation.brat import GoldSet, list_corpus, read_ann
from onrecord.evaluation.quotes import (
    LoadedArticle,
    PredictedQuote,
    TextIndex,
    load_articles,
    score_articles,
)

runner = CliRunner()

# Line 1 is the title, as in PolNeAR; the quote of paragraph 2 is split by its cue.
TEXT = (
    "Mayor defends budget\n"
    "The budget is balanced, Mayor Jane Doe said on Monday.\n"
    "“We will not raise taxes,” she said, “not this year.”\n"
    "Critics argued that the plan ignores the deficit.\n"
)


def at(fragment: str, occurrence: int = 0) -> tuple[int, int]:
    """The (start, end) of a fragment of TEXT."""
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(fragment, start + 1)
    return start, start + len(fragment)


def span(*fragments: str) -> tuple[tuple[int, int], ...]:
    return tuple(at(f) for f in fragments)


def t_line(ident: str, label: str, pieces: Sequence[tuple[int, int]]) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in pieces)
    text = " ".join(TEXT[s:e] for s, e in pieces)
    return f"{ident}\t{label} {offsets}\t{text}"


GOLD_ANN = "\n".join(
    [
        t_line("T1", "Content", span("The budget is balanced")),
        t_line("T2", "Source", span("Mayor Jane Doe")),
        t_line("T3", "Cue", span("said on")),
        t_line("T4", "Attribution", span("said on")),
        "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2",
        t_line("T5", "Content", span("“We will not raise taxes,”", "“not this year.”")),
        t_line("T6", "Source", [at("she")]),
        t_line("T7", "Cue", [at("said", 1)]),
        t_line("T8", "Attribution", [at("said", 1)]),
        "E2\tAttribution:T8 Content:T5 Cue:T7 Source:T6",
        t_line("T9", "Content", span("the plan ignores the deficit")),
        t_line("T10", "Cue", span("argued")),
        t_line("T11", "Attribution-no-source", span("argued")),
        "E3\tAttribution-no-source:T11 Content:T9 Cue:T10",
        "",
    ]
)


def write_corpus(root: Path, annotations: dict[str, str], text: str = TEXT) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "mayor.txt").write_text(text, encoding="utf-8")
    for name, content in annotations.items():
        (root / "attributions" / name).write_text(content, encoding="utf-8")
    return root


def score(predicted: list[PredictedQuote], annotations: dict[str, str], tmp_path: Path):
    articles = load_articles(list_corpus(write_corpus(tmp_path / "data", annotations)))

    def predict(texts: Sequence[str]) -> Iterator[list[PredictedQuote]]:
        yield from (predicted for _ in texts)

    errors = io.StringIO()
    scorer = score_articles(articles, predict, errors)
    return scorer, [json.loads(line) for line in errors.getvalue().splitlines()]


def quote(content, cue=None, speaker=None) -> PredictedQuote:
    return PredictedQuote(content, cue, speaker)


PERFECT = [
    quote(span("The budget is balanced"), span("said on"), span("Mayor Jane Doe")),
    quote(span("We will not raise taxes", "not this year"), (at("said", 1),), (at("she"),)),
    quote(span("the plan ignores the deficit"), span("argued"), None),
]


def test_reader_keeps_discontinuous_spans_and_missing_sources(tmp_path: Path) -> None:
    gold = read_ann(write_corpus(tmp_path, {"m.ann": GOLD_ANN}) / "attributions/m.ann", len(TEXT))
    assert len(gold.attributions) == 3
    assert len(gold.attributions[1].content) == 2
    assert gold.attributions[2].source is None


def test_reader_follows_span_text_over_several_lines(tmp_path: Path) -> None:
    two_lines = (at("balanced")[0], at("Monday.")[1] + 1 + len("“We"))
    text = TEXT[two_lines[0] : two_lines[1]]
    assert "\n" in text
    ann = f"T1\tContent {two_lines[0]} {two_lines[1]}\t{text}\nT2\tCue 0 5\tMayor\n"
    ann += "E1\tAttribution:T2 Content:T1 Cue:T2\n"
    gold = read_ann(write_corpus(tmp_path, {"m.ann": ann}) / "attributions/m.ann", len(TEXT))
    assert [a.content for a in gold.attributions] == [(two_lines,)]


def test_perfect_predictions_score_one_everywhere(tmp_path: Path) -> None:
    scorer, errors = score(PERFECT, {"mayor_aaaa.ann": GOLD_ANN}, tmp_path)
    scores = scorer.result()
    for role in ("content", "cue", "source"):
        for criterion in ("exact", "overlap"):
            assert scores[role][criterion]["f1"] == 1.0, (role, criterion)
    assert scores["speaker_accuracy"] == 1.0
    assert errors == []


def test_exact_ignores_end_punctuation_but_overlap_is_needed_for_a_shorter_span(
    tmp_path: Path,
) -> None:
    predicted = [
        # The same words with the comma, the period and surrounding space: an exact match.
        quote((at("\nThe budget is balanced, "),), span("said"), span("Jane Doe")),
        # Four of the five gold tokens: an overlap match only.
        quote(span("the plan ignores the"), None, None),
    ]
    scorer, errors = score(predicted, {"mayor_aaaa.ann": GOLD_ANN}, tmp_path)
    content = scorer.result()["content"]
    assert content["exact"]["precision"] == pytest.approx(1 / 2)
    assert content["exact"]["recall"] == pytest.approx(1 / 3)
    assert content["overlap"]["precision"] == 1.0
    assert content["overlap"]["recall"] == pytest.approx(2 / 3)
    source = scorer.result()["source"]  # "Jane Doe" shares 2 of the 3 tokens of "Mayor Jane Doe"
    assert (source["exact"]["f1"], source["overlap"]["precision"]) == (0.0, 1.0)
    cue = scorer.result()["cue"]  # "said" is exactly half of "said on": still a match
    assert (cue["exact"]["f1"], cue["overlap"]["precision"]) == (0.0, 1.0)
    kinds = {(e["role"], e["error"]) for e in errors}
    assert ("content", "boundary") in kinds and ("content", "missed") in kinds
    assert ("source", "boundary") in kinds


def test_a_cue_without_letters_matches_under_both_criteria(tmp_path: Path) -> None:
    text = "Debate transcript\nPENCE: We will win.\nKAINE: No.\n"
    colon = text.index(":")
    ann = f"T1\tCue {colon} {colon + 1}\t:\nT2\tContent {colon + 2} {colon + 14}\tWe will win.\n"
    ann += "T3\tSource 18 23\tPENCE\nE1\tAttribution:T1 Content:T2 Cue:T1 Source:T3\n"
    data = write_corpus(tmp_path, {"mayor_aaaa.ann": ann}, text=text)
    kaine_colon = text.index(":", colon + 1)
    predicted = [
        quote(((colon + 2, colon + 14),), ((colon, colon + 1),), None),
        quote(((kaine_colon + 2, kaine_colon + 5),), ((kaine_colon, kaine_colon + 1),), None),
    ]
    scorer = score_articles(load_articles(list_corpus(data)), lambda texts: iter([predicted]))
    cue = scorer.result()["cue"]
    assert cue["exact"]["precision"] == cue["overlap"]["precision"] == 0.5  # one colon of two
    assert cue["exact"]["recall"] == cue["overlap"]["recall"] == 1.0


def test_less_than_half_of_the_tokens_is_no_match(tmp_path: Path) -> None:
    predicted = [quote(span("the plan"), None, None)]  # 2 of 5 gold tokens
    scorer, errors = score(predicted, {"mayor_aaaa.ann": GOLD_ANN}, tmp_path)
    assert scorer.result()["content"]["overlap"]["f1"] == 0.0
    assert {(e["role"], e["error"]) for e in errors if e["role"] == "content"} == {
        ("content", "missed"),
        ("content", "false_positive"),
    }


def test_a_prediction_past_the_end_of_the_text_is_a_false_positive(tmp_path: Path) -> None:
    predicted = [*PERFECT, quote(((len(TEXT) - 9, len(TEXT) + 50),), None, None)]
    scorer, errors = score(predicted, {"mayor_aaaa.ann": GOLD_ANN}, tmp_path)
    assert scorer.result()["content"]["exact"]["precision"] == pytest.approx(3 / 4)
    assert [e["error"] for e in errors] == ["false_positive"]


def test_a_long_prediction_covering_a_short_gold_span_is_no_match(tmp_path: Path) -> None:
    predicted = [quote((at("Critics argued that the plan ignores the deficit."),), None, None)]
    gold = "\n".join(
        [t_line("T1", "Content", span("the deficit")), t_line("T2", "Cue", span("argued"))]
    )
    gold += "\nE1\tAttribution:T2 Content:T1 Cue:T2\n"
    scorer, _ = score(predicted, {"mayor_aaaa.ann": gold}, tmp_path)
    assert scorer.result()["content"]["overlap"]["f1"] == 0.0


def test_discontinuous_content_must_leave_out_the_words_between_its_pieces(
    tmp_path: Path,
) -> None:
    whole = (at("“We will not raise taxes,” she said, “not this year.”"),)
    scorer, _ = score([quote(whole, None, None)], {"mayor_aaaa.ann": GOLD_ANN}, tmp_path)
    content = scorer.result()["content"]
    assert content["exact"]["precision"] == 0.0  # "she said" is not part of the quote
    assert content["overlap"]["precision"] == 1.0  # 8 of 10 tokens are shared


def test_pieces_are_compared_by_the_words_they_cover_not_how_they_are_cut(
    tmp_path: Path,
) -> None:
    (start, end) = at("The budget is balanced")
    cut = ((start, start + 10), (start + 10, end))  # "The budget" + " is balanced"
    scorer, _ = score([quote(cut, None, None)], {"mayor_aaaa.ann": GOLD_ANN}, tmp_path)
    assert scorer.result()["content"]["exact"]["precision"] == 1.0


def test_each_annotation_file_is_its_own_gold_set(tmp_path: Path) -> None:
    only_first = GOLD_ANN.split("T5\t")[0]  # the second annotator found one quote only
    scorer, _ = score(PERFECT, {"mayor_aaaa.ann": GOLD_ANN, "mayor_bbbb.ann": only_first}, tmp_path)
    content = scorer.result()["content"]["exact"]
    assert (scorer.counts["articles"], scorer.counts["gold_sets"]) == (1, 2)
    assert scorer.counts["gold_quotes"] == 4
    assert content["recall"] == 1.0
    assert content["precision"] == pytest.approx(4 / 6)  # 3 predictions, scored twice


def test_speaker_accuracy_counts_wrong_and_missing_speakers(tmp_path: Path) -> None:
    predicted = [
        quote(span("The budget is balanced"), None, span("Critics")),  # wrong speaker
        quote(span("We will not raise taxes", "not this year"), None, None),  # none given
        quote(span("the plan ignores the deficit"), None, span("Critics")),  # gold has none
    ]
    scorer, errors = score(predicted, {"mayor_aaaa.ann": GOLD_ANN}, tmp_path)
    assert scorer.result()["speaker_accuracy"] == 0.0
    assert sum(e["error"] == "wrong_speaker" for e in errors) == 3
    right = [PERFECT[0], predicted[1], PERFECT[2]]
    scorer, _ = score(right, {"mayor_aaaa.ann": GOLD_ANN}, tmp_path / "again")
    assert scorer.result()["speaker_accuracy"] == pytest.approx(2 / 3)


def test_direct_quotes_are_the_ones_inside_quotation_marks(tmp_path: Path) -> None:
    index = TextIndex(TEXT)
    assert index.is_direct(span("We will not raise taxes", "not this year"))
    assert index.is_direct(span("“We will not raise taxes,”"))
    assert not index.is_direct(span("The budget is balanced"))
    assert not index.is_direct((at("taxes,” she said"),))
    scorer, _ = score(PERFECT[1:2], {"mayor_aaaa.ann": GOLD_ANN}, tmp_path)
    by_kind = scorer.result()["by_kind"]
    assert by_kind["direct"]["exact"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert by_kind["indirect"]["exact"]["recall"] == 0.0
    assert (scorer.counts["gold_direct"], scorer.counts["gold_quotes"]) == (1, 3)


def test_an_empty_annotation_file_is_an_article_without_quotes(tmp_path: Path) -> None:
    scorer, errors = score(PERFECT[:1], {"mayor_aaaa.ann": ""}, tmp_path)
    content = scorer.result()["content"]["exact"]
    assert content == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert scorer.counts["gold_quotes"] == 0
    assert [e["error"] for e in errors if e["role"] == "content"] == ["false_positive"]


def test_event_without_content_is_skipped(tmp_path: Path) -> None:
    ann = GOLD_ANN + "E4\tAttribution:T4 \n"
    gold = read_ann(write_corpus(tmp_path, {"m.ann": ann}) / "attributions/m.ann", len(TEXT))
    assert isinstance(gold, GoldSet)
    assert (len(gold.attributions), gold.skipped_events) == (3, 1)


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        ("T1\tContent 0 5\tMayor\nthis is not brat\n", "mayor_aaaa.ann:2: unreadable"),
        ("T1\tContent 0 99999\tMayor\n", "outside the article text"),
        ("T1\tContent 0 5\tMayor\nE1\tAttribution:T7 Content:T1\n", "bad event argument"),
    ],
)
def test_bad_annotation_lines_are_rejected_with_their_place(
    tmp_path: Path, annotation: str, message: str
) -> None:
    data = write_corpus(tmp_path, {"mayor_aaaa.ann": annotation})
    with pytest.raises(DataError, match=message):
        load_articles(list_corpus(data))


def run_cli(*args: str):
    return runner.invoke(app, ["eval", "quotes", *args])


def assert_clean_failure(result, *fragments: str) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_cli_rejects_a_directory_without_the_polnear_layout(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    assert_clean_failure(run_cli("--data", str(tmp_path)), str(tmp_path), "no attributions/")


def test_cli_rejects_a_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "absent"
    assert_clean_failure(run_cli("--data", str(missing)), str(missing), "no such directory")


def test_cli_rejects_an_unreadable_annotation_line(tmp_path: Path) -> None:
    data = write_corpus(tmp_path, {"mayor_aaaa.ann": GOLD_ANN + "garbage line\n"})
    assert_clean_failure(run_cli("--data", str(data)), "mayor_aaaa.ann:", "unreadable")


def test_cli_rejects_an_annotation_without_its_text(tmp_path: Path) -> None:
    data = write_corpus(tmp_path, {"other_aaaa.ann": GOLD_ANN})
    assert_clean_failure(run_cli("--data", str(data)), "other_aaaa.ann", "no matching text")


def test_cli_rejects_an_error_dump_it_cannot_write(tmp_path: Path) -> None:
    data = write_corpus(tmp_path / "data", {"mayor_aaaa.ann": GOLD_ANN})
    dump = tmp_path / "no" / "such" / "dir" / "errors.jsonl"
    assert_clean_failure(run_cli("--data", str(data), "--errors", str(dump)), "errors.jsonl")
    assert not dump.parent.exists()


def test_cli_json_has_every_score_as_a_fraction(tmp_path: Path) -> None:
    data = write_corpus(tmp_path / "data", {"mayor_aaaa.ann": GOLD_ANN})
    errors = tmp_path / "errors.jsonl"
    result = run_cli("--data", str(data), "--json", "--errors", str(errors))
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    for role in ("content", "cue", "source"):
        for criterion in ("exact", "overlap"):
            values = scores[role][criterion]
            assert set(values) == {"precision", "recall", "f1"}
            assert all(0.0 <= v <= 1.0 for v in values.values())
    assert 0.0 <= scores["speaker_accuracy"] <= 1.0
    assert set(scores["by_kind"]) == {"direct", "indirect"}
    # Whatever the model finds, every gold quote it does not match exactly is in the dump.
    dumped = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    content_misses = [
        e for e in dumped if e["role"] == "content" and e["error"] != "false_positive"
    ]
    recall = scores["content"]["exact"]["recall"]
    assert len(content_misses) == round(3 * (1 - recall))


def test_cli_limit_scores_only_the_first_articles(tmp_path: Path) -> None:
    data = write_corpus(tmp_path, {"mayor_aaaa.ann": GOLD_ANN})
    (data / "text" / "zeta.txt").write_text("Nothing was said.\n", encoding="utf-8")
    (data / "attributions" / "zeta_aaaa.ann").write_text("", encoding="utf-8")
    result = run_cli("--data", str(data), "--limit", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("1 articles, 1 gold sets: 3 gold quotes (1 direct)")
    assert "speaker_accuracy" in result.stdout


def test_loaded_article_offsets_are_into_the_exact_text(tmp_path: Path) -> None:
    crlf = TEXT.replace("\n", "\r\n")
    data = write_corpus(tmp_path, {"mayor_aaaa.ann": ""}, text=crlf)
    (article,) = load_articles(list_corpus(data))
    assert isinstance(article, LoadedArticle)
    assert article.text == crlf  # no newline translation: brat offsets count the \r


def test_cli_rules_only_scores_without_the_span_model(tmp_path: Path, monkeypatch) -> None:
    from onrecord import attributions

    seen: list[bool] = []
    original = attributions.attributions

    def spy(
        doc, model=None
    ):  # the span model's spans reach the quote stage only without --rules-only
        seen.append(attributions.SPANS_KEY in doc.spans)
        return original(doc, model)

    monkeypatch.setattr(attributions, "attributions", spy)
    data = write_corpus(tmp_path, {"mayor_aaaa.ann": GOLD_ANN})
    result = run_cli("--data", str(data), "--json", "--rules-only")
    assert result.exit_code == 0, result.stderr
    assert 0.0 <= json.loads(result.stdout)["content"]["exact"]["f1"] <= 1.0
    assert seen == []
    assert run_cli("--data", str(data), "--json").exit_code == 0
    assert seen == [True]
