"""The source checks of `onrecord eval sources` on records made by hand (no model)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.evaluation.sources import (
    ReferentSpan,
    SourceScorer,
    judge_referents,
    person_evidence,
    split_pairs,
    thing_reason,
)
from onrecord.record import Article, Entity, Offsets, Quote, Record, Source, TextSpan

runner = CliRunner()


def source(i: int, name: str, kind: str = "person") -> Source:
    return Source(id=f"s{i}", name=name, kind=kind)  # type: ignore[arg-type]


def record(text: str, sources: list[Source], entities: tuple[Entity, ...] = ()) -> Record:
    return Record(article=Article(id="a", text=text), sources=tuple(sources), entities=entities)


def test_split_pairs_find_surnames_honorifics_possessives_and_short_forms() -> None:
    pairs = split_pairs(
        [
            source(1, "Donald Trump"),
            source(2, "Mr. Trump", "organization"),
            source(3, "The New York Times", "organization"),
            source(4, "The Times", "organization"),
            source(5, "Trump’s"),
        ]
    )
    assert ("Donald Trump", "Mr. Trump") in pairs
    assert ("The New York Times", "The Times") in pairs
    assert ("Donald Trump", "Trump’s") in pairs


def test_split_pairs_skip_ambiguous_surnames_generic_words_and_roles() -> None:
    pairs = split_pairs(
        [
            source(1, "Hillary Clinton"),
            source(2, "Bill Clinton"),
            source(3, "Clinton"),
            source(4, "White House", "organization"),
            source(5, "House", "organization"),
            source(6, "the president"),
            source(7, "president"),
        ]
    )
    assert pairs == []


def test_person_evidence_for_names_typed_organization() -> None:
    trump = Entity("e1", "Donald Trump", 0, 12, "PERSON", "Donald Trump")
    rec = record("Donald Trump ...", [], (trump,))
    assert person_evidence(source(1, "Mr. Trump", "organization"), rec) == "honorific"
    assert person_evidence(source(1, "Jessica Ditto", "organization"), rec) == "first name"
    assert person_evidence(source(1, "Trump", "organization"), rec) == "surname of Donald Trump"
    assert person_evidence(source(1, "Clinton Foundation", "organization"), rec) is None
    assert person_evidence(source(1, "Reuters", "organization"), rec) is None


def test_thing_reasons() -> None:
    michigan = Entity("e1", "Michigan", 20, 28, "LOC", "Michigan")
    rec = record("His supporters in Michigan said so.", [], (michigan,))
    assert thing_reason(source(1, "In August", "person"), rec) == "time"
    assert thing_reason(source(1, "coal", "organization"), rec) == "object"
    assert thing_reason(source(1, "yellow bulldozer", "organization"), rec) == "object"
    assert thing_reason(source(1, "Michigan", "person"), rec) == "place typed person"
    assert thing_reason(source(1, "CFPB was Warren", "organization"), rec) == "clause"
    assert thing_reason(source(1, "senior official", "anonymous"), rec) is None
    assert thing_reason(source(1, "voters", "group"), rec) is None
    assert thing_reason(source(1, "CBS News poll", "document"), rec) is None


def test_referent_share_counts_splits_and_wrong_merges_against_the_span() -> None:
    text = "Ann Lee said A. Ann said B. Lee said C. Bo Park said D."
    at = [text.index(w) for w in ("Ann Lee", "Ann said", "Lee said", "Bo Park")]
    spans = [(at[0], at[0] + 7), (at[1], at[1] + 3), (at[2], at[2] + 3), (at[3], at[3] + 7)]
    quotes = tuple(
        Quote(
            id=f"q{i}",
            kind="indirect",
            text="x",
            start=0,
            end=1,
            speaker=TextSpan(text[s:e], s, e),
            source_id=sid,
        )
        for i, ((s, e), sid) in enumerate(zip(spans, ["s1", "s2", "s1", "s1"], strict=True))
    )
    rec = Record(
        article=Article(id="a", text=text),
        sources=(
            Source("s1", "Ann Lee", "person", mentions=(Offsets(*spans[0]),)),
            Source("s2", "Ann", "person"),
        ),
        quotes=quotes,
    )
    gold = [ReferentSpan((span,), who) for span, who in zip(spans, "AAAB", strict=True)]
    right, judged, wrong = judge_referents(rec, gold)
    # "Ann" went to another source (a split); Bo Park went to Ann Lee's source (a merge)
    assert (right, judged) == (2, 4)
    assert sorted(w["span"] for w in wrong) == ["Ann", "Bo Park"]


def test_scorer_reports_rates_per_100_named_sources() -> None:
    scorer = SourceScorer()
    scorer.add("a", record("x", [source(1, "Donald Trump"), source(2, "Trump")]), None)
    result = scorer.result()
    assert result["named_sources"] == 2
    assert result["split_pairs_per_100_named"] == 50.0


def test_cli_names_a_bad_directory_and_a_bad_referent_file(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["eval", "sources", "--data", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "no such directory" in missing.output
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text("Ann said hi.", encoding="utf-8")
    (tmp_path / "attributions" / "a.ann").write_text("", encoding="utf-8")
    referents = tmp_path / "refs.jsonl"
    referents.write_text('{"article": "a"}\n', encoding="utf-8")
    bad = runner.invoke(
        app, ["eval", "sources", "--data", str(tmp_path), "--referents", str(referents)]
    )
    assert bad.exit_code == 2
    assert "refs.jsonl:1" in bad.output
