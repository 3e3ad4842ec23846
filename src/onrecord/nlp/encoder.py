"""A pretrained encoder (all-MiniLM-L6-v2, a 6-layer BERT) and the spaCy component that lays
its contextual vectors on each token.

The weights ship inside the pipeline as int8 matrices with one scale per row
(``quantize_weights``), in an ONNX graph run by onnxruntime on one thread
(``encoder_onnx``): fused operators make it about 4 times faster than the same forward pass
in numpy, which stays here (``MiniLM``) as the reference the graph is tested against and for
training directories that hold only ``encoder.npz``. Neither needs torch or CUDA.

The component ``onrecord_encoder`` stores one vector per spaCy token (the mean of the
encoder's word pieces that overlap the token; the mean of the last four layers) under
``doc._.onrecord_encoder``. The learned models that read it (the attribution span model's
tok2vec, ``onrecord.EncoderEmbed.v1``) keep their own hash embeddings of the word's shape,
prefix and suffix beside it, because the encoder is uncased.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Maxout, Model, chain, concatenate, with_array
from thinc.types import Floats2d

from .encoder_onnx import ONNX_FILE, OnnxMiniLM

EXTENSION = "onrecord_encoder"
WIDTH = 384
#: Word pieces per window; windows overlap so every piece sees context on both sides.
WINDOW = 256
STRIDE = 192
#: Layers averaged into a token's vector (the last four of six).
LAYERS_AVERAGED = 4
#: Windows run through the encoder at once (peak memory stays flat past 8 windows, about
#: 2,000 word pieces; speed does not gain from more).
WINDOWS_PER_RUN = 8

#: The encoder most recently loaded by a component: the feature layer falls back to it for
#: Docs that have not been through the component (spaCy initializes a model on sample
#: Docs that no component has annotated).
_loaded: list[TokenEncoder] = []

if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)


def quantize_weights(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Matrices become int8 with one float32 scale per row; vectors stay float32."""
    out: dict[str, np.ndarray] = {}
    for name, array in weights.items():
        if name.endswith("position_ids"):
            continue
        if array.ndim == 2:
            scale = np.abs(array).max(axis=1, keepdims=True) / 127.0
            scale[scale == 0] = 1.0
            out[name + ".q"] = np.round(array / scale).astype(np.int8)
            out[name + ".scale"] = scale.astype(np.float32)
        else:
            out[name] = array.astype(np.float32)
    return out


def dequantize_weights(stored: Any) -> dict[str, np.ndarray]:
    weights: dict[str, np.ndarray] = {}
    for name in stored.files:
        if name.endswith(".scale"):
            continue
        if name.endswith(".q"):
            base = name[: -len(".q")]
            weights[base] = stored[name].astype(np.float32) * stored[base + ".scale"]
        else:
            weights[name] = stored[name]
    return weights


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * gamma + beta


def _gelu(x: np.ndarray) -> np.ndarray:
    # the tanh form of GELU; it differs from the exact one by under 1e-3
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))


class MiniLM:
    """The BERT encoder's forward pass over batches of word-piece ids."""

    def __init__(self, weights: dict[str, np.ndarray], n_layers: int = 6, n_heads: int = 12):
        self.w = {k: v.T.copy() if k.endswith("dense.weight") or _is_qkv(k) else v
                  for k, v in weights.items()}  # fmt: skip
        self.n_layers = n_layers
        self.n_heads = n_heads

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
        """ids, mask: (batch, length). Returns the hidden states of every layer."""
        from threadpoolctl import threadpool_limits

        # One BLAS thread: the other components run on one core, parallelism comes from
        # worker processes (-j N), and BLAS threads that compete for busy cores were
        # measured 6 times slower than one thread.
        with threadpool_limits(limits=1, user_api="blas"):
            return self._forward(ids, mask)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
        w = self.w
        length = ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = np.where(mask[:, None, None, :] > 0, 0.0, -1e4).astype(np.float32)
        states = []
        for i in range(self.n_layers):
            x = self._layer(x, bias, f"encoder.layer.{i}.")
            states.append(x)
        return states

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        w = self.w
        batch, length, width = x.shape
        head = width // self.n_heads

        def project(name: str) -> np.ndarray:
            y = x @ w[p + f"attention.self.{name}.weight"] + w[p + f"attention.self.{name}.bias"]
            return y.reshape(batch, length, self.n_heads, head).transpose(0, 2, 1, 3)

        q, k, v = project("query"), project("key"), project("value")
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + bias
        scores -= scores.max(-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        attended = context @ w[p + "attention.output.dense.weight"]
        attended += w[p + "attention.output.dense.bias"]
        x = _layer_norm(
            x + attended,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        hidden = _gelu(x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"])
        out = hidden @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"]
        return _layer_norm(
            x + out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
        )


def _is_qkv(name: str) -> bool:
    return name.endswith(("query.weight", "key.weight", "value.weight"))


class TokenEncoder:
    """Text in, one vector per spaCy token out, through the word-piece tokenizer and MiniLM."""

    def __init__(self, directory: Path):
        from tokenizers import Tokenizer

        self.directory = directory
        self.model: MiniLM | None = None
        self.graph: OnnxMiniLM | None = None
        if (directory / ONNX_FILE).exists():  # what the shipped pipeline holds: 4x faster
            self.graph = OnnxMiniLM(directory / ONNX_FILE)
        else:  # a training directory before the graph is built
            with np.load(directory / "encoder.npz") as stored:
                self.model = MiniLM(dequantize_weights(stored))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        vocab = self.tokenizer.get_vocab()
        self.cls_id, self.sep_id = vocab["[CLS]"], vocab["[SEP]"]

    def piece_vectors(self, text: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """One vector per word piece of the text and each piece's character offsets."""
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        ids = np.asarray(encoding.ids, dtype=np.int64)
        offsets = list(encoding.offsets)
        vectors = np.zeros((len(ids), WIDTH), dtype=np.float32)
        if len(ids) == 0:
            return vectors, offsets
        windows = list(_windows(len(ids)))
        inner = WINDOW - 2
        batch_ids = np.zeros((len(windows), inner + 2), dtype=np.int64)
        mask = np.zeros_like(batch_ids)
        for row, (start, end, _, _) in enumerate(windows):
            batch_ids[row, 0] = self.cls_id
            batch_ids[row, 1 : end - start + 1] = ids[start:end]
            batch_ids[row, end - start + 1] = self.sep_id
            mask[row, : end - start + 2] = 1
        width = int(mask.sum(1).max())
        averaged = self._averaged(batch_ids[:, :width], mask[:, :width])
        for row, (start, _end, keep_from, keep_to) in enumerate(windows):
            vectors[keep_from:keep_to] = averaged[row, 1 + keep_from - start : 1 + keep_to - start]
        return vectors, offsets

    def _averaged(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The mean of the last LAYERS_AVERAGED layers, a few windows at a time: the
        attention scores of a batch grow with its windows, and a long article must not
        raise the peak memory (the runtime keeps its largest buffers)."""
        return np.concatenate(
            [
                self._averaged_batch(ids[i : i + WINDOWS_PER_RUN], mask[i : i + WINDOWS_PER_RUN])
                for i in range(0, len(ids), WINDOWS_PER_RUN)
            ]
        )

    def _averaged_batch(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self.graph is not None:
            return self.graph.averaged(ids, mask)
        assert self.model is not None
        return np.mean(self.model(ids, mask)[-LAYERS_AVERAGED:], axis=0)

    def token_vectors(self, doc: Doc) -> np.ndarray:
        """The mean of the pieces overlapping each token (zeros for spaces)."""
        pieces, offsets = self.piece_vectors(doc.text)
        out = np.zeros((len(doc), WIDTH), dtype=np.float32)
        counts = np.zeros(len(doc), dtype=np.float32)
        char_to_token = token_at_char(doc)
        for row, (start, end) in enumerate(offsets):
            for i in set(char_to_token[start:end].tolist()) - {-1}:
                out[i] += pieces[row]
                counts[i] += 1
        nonzero = counts > 0
        out[nonzero] /= counts[nonzero, None]
        return out


def token_at_char(doc: Doc) -> np.ndarray:
    """The index of the token each character of the text belongs to (-1 for spaces), one
    past the end included: how word pieces, cut by their own tokenizer, find their tokens."""
    at = np.full(len(doc.text) + 1, -1, dtype=np.int64)
    for token in doc:
        at[token.idx : token.idx + len(token.text)] = token.i
    return at


def _windows(n: int) -> Iterator[tuple[int, int, int, int]]:
    """(start, end, keep_from, keep_to): windows of at most WINDOW - 2 pieces; each piece is
    taken from the window where it has the most context on both sides."""
    inner = WINDOW - 2
    if n <= inner:
        yield 0, n, 0, n
        return
    margin = (inner - STRIDE) // 2
    start = 0
    while True:
        end = min(start + inner, n)
        keep_from = 0 if start == 0 else start + margin
        keep_to = n if end == n else end - margin
        yield start, end, keep_from, keep_to
        if end == n:
            return
        start += STRIDE


@Language.factory(
    "onrecord_encoder",
    assigns=[f"doc._.{EXTENSION}"],
    default_config={"cache_size": 0},
)
def make_encoder(nlp: Language, name: str, cache_size: int) -> EncoderComponent:
    return EncoderComponent(name, cache_size)


class EncoderComponent:
    """Lays the pretrained encoder's vectors on the Doc. Not trained: its weights are
    written with the pipeline and read back from it. ``cache_size`` keeps the vectors of
    recently seen texts (training passes over the same articles many times)."""

    def __init__(self, name: str, cache_size: int = 0):
        self.name = name
        self.cache_size = cache_size
        self.encoder: TokenEncoder | None = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Any = None,
        weights: str = "",
    ) -> None:  # fmt: skip
        if weights:
            self._load(Path(weights))

    def _load(self, directory: Path) -> None:
        self.encoder = TokenEncoder(directory)
        _loaded[:] = [self.encoder]

    def __call__(self, doc: Doc) -> Doc:
        if self.encoder is None:
            raise ValueError("[E020] the onrecord_encoder component has no weights loaded")
        key = hashlib.sha1(doc.text.encode("utf-8", "surrogatepass")).hexdigest()
        vectors = self._cache.get(key)
        if vectors is None or len(vectors) != len(doc):
            vectors = self.encoder.token_vectors(doc)
            if self.cache_size:
                self._cache[key] = vectors
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        doc._.set(EXTENSION, vectors)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        import shutil

        if self.encoder is None:
            raise ValueError("[E020] the onrecord_encoder component has no weights to save")
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        # the graph replaces the npz when there is one: the same int8 weights, run faster
        weights = ONNX_FILE if (self.encoder.directory / ONNX_FILE).exists() else "encoder.npz"
        for name in (weights, "tokenizer.json", "provenance.json"):
            source = self.encoder.directory / name
            if source.exists() and source.resolve() != (path / name).resolve():
                shutil.copyfile(source, path / name)
        if weights == ONNX_FILE:
            (path / "encoder.npz").unlink(missing_ok=True)
        (path / "cfg").write_text(json.dumps({"cache_size": self.cache_size}))

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> EncoderComponent:
        self._load(Path(path))
        cfg = Path(path) / "cfg"
        if cfg.exists():  # the saved setting wins (no cache at run time)
            self.cache_size = int(json.loads(cfg.read_text()).get("cache_size", 0))
        return self


@registry.architectures("onrecord.EncoderEmbed.v1")
def encoder_embed(
    width: int, hash_embed: Model[list[Doc], list[Floats2d]]
) -> Model[list[Doc], list[Floats2d]]:
    """The hash embeddings of a tok2vec (word shape, affixes, tags) beside the pretrained
    encoder's vectors, mixed down to ``width`` by a maxout layer."""
    features: Model[list[Doc], list[Floats2d]] = Model("encoder_features", _features_forward)
    mixed: Model[list[Doc], list[Floats2d]] = chain(
        concatenate(hash_embed, features),
        with_array(Maxout(width, nP=3, normalize=True, dropout=0.0)),
    )
    return mixed


def _features_forward(
    model: Model, docs: list[Doc], is_train: bool
) -> tuple[list[Floats2d], Callable]:
    arrays = []
    for doc in docs:
        vectors = doc._.get(EXTENSION)
        if vectors is None and _loaded:
            vectors = _loaded[0].token_vectors(doc)
        if vectors is None:
            raise ValueError(
                "[E021] no encoder vectors on the Doc: the onrecord_encoder component must "
                "run before the components that read it"
            )
        arrays.append(model.ops.asarray2f(vectors))

    def backprop(d_arrays: list[Floats2d]) -> list[Doc]:
        return []  # the encoder is frozen

    return arrays, backprop
