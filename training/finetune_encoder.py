"""Fine-tune the pretrained encoder (all-MiniLM-L6-v2) on the tasks the accurate pipeline
reads it for, on CPU, with JAX (the `train` extra; no torch, no CUDA).

    python training/finetune_encoder.py CORPUS_DIR OUT.npz [--minutes M] [--steps N]

Two token-tagging heads sit on the vector the pipeline reads (the mean of the last four
layers, ``onrecord.nlp.encoder.LAYERS_AVERAGED``):
- attribution: Source, Cue and Content as three begin/inside/outside tags per word piece,
  from every annotator's file of PolNeAR train (polnear-train.spacy: the train slice, which
  chooses checkpoints and thresholds, is left out, and dev is never read);
- entities: PERSON, ORG, LOC, MISC as begin/inside/outside tags, from CoNLL-2003 train.

Batches alternate between the two (two attribution batches to one entity batch). The heads
are thrown away; the fine-tuned encoder weights are written as float32 arrays with the
names of the package's safetensors file, for `convert_encoder.py --weights`. The spaCy
components (span model, NER) are then trained over the fine-tuned, frozen encoder, as over
the pretrained one. The log reports the tagging loss and, on the train slice, the word-piece
F1 of each attribution role (a sanity check, not the pipeline's score).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convert_encoder import read_package, read_safetensors  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from onrecord.nlp.encoder import token_at_char  # noqa: E402

SEQ = 256  # word pieces per window, [CLS] and [SEP] included: the window the pipeline runs
STRIDE = 192
ROLES = ("SOURCE", "CUE", "CONTENT")
ENTITY_TYPES = ("PERSON", "ORG", "LOC", "MISC")
IGNORE = -1


def load_pretrained() -> tuple[dict[str, np.ndarray], bytes]:
    blob, tokenizer, _config = read_package()
    weights = {k.removeprefix("bert."): v for k, v in read_safetensors(blob).items()}
    weights = {k: v for k, v in weights.items() if k.startswith(("embeddings.", "encoder."))}
    weights.pop("embeddings.position_ids", None)
    return weights, tokenizer


def token_tags(n_tokens: int, spans: list[tuple[int, int]]) -> np.ndarray:
    """0 outside, 1 begin, 2 inside; a begin wins over an inside of an overlapping span."""
    tags = np.zeros(n_tokens, dtype=np.int32)
    for start, end in spans:
        tags[start:end] = np.where(tags[start:end] == 1, 1, 2)
    for start, _end in spans:
        tags[start] = 1
    return tags


def piece_tags(doc, offsets: list[tuple[int, int]], tags: np.ndarray) -> np.ndarray:
    """A piece takes its token's tag; later pieces of a token continue it (begin → inside)."""
    char_to_token = token_at_char(doc)
    out = np.full(len(offsets), IGNORE, dtype=np.int32)
    previous = -1
    for row, (start, _end) in enumerate(offsets):
        token = int(char_to_token[start]) if start < len(char_to_token) else -1
        if token < 0:
            continue
        tag = int(tags[token])
        out[row] = 2 if (token == previous and tag == 1) else tag
        previous = token
    return out


def windows(n: int) -> list[tuple[int, int]]:
    inner = SEQ - 2
    if n <= inner:
        return [(0, n)]
    starts = list(range(0, n - inner, STRIDE)) + [n - inner]
    return [(s, s + inner) for s in starts]


def examples(docs, tokenizer, task: str) -> dict[str, np.ndarray]:
    """Fixed-size windows: ids, mask, and tags (attribution: 3 roles; entities: 1 column of
    9 classes, 0 outside, 1 + 2 * type begin, 2 + 2 * type inside)."""
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    n_cols = len(ROLES) if task == "attr" else 1
    rows_ids, rows_tags = [], []
    for doc in docs:
        encoding = tokenizer.encode(doc.text, add_special_tokens=False)
        ids = np.asarray(encoding.ids, dtype=np.int32)
        if task == "attr":
            cols = [
                piece_tags(doc, encoding.offsets, token_tags(len(doc), [
                    (s.start, s.end) for s in doc.spans.get("attr", []) if s.label_ == role
                ]))
                for role in ROLES
            ]  # fmt: skip
            tags = np.stack(cols, axis=1)
        else:
            tags = np.zeros(len(doc), dtype=np.int32)
            for k, kind in enumerate(ENTITY_TYPES):
                spans = [(e.start, e.end) for e in doc.ents if e.label_ == kind]
                bio = token_tags(len(doc), spans)
                tags = np.where(bio > 0, bio + 2 * k, tags)
            tags = piece_tags(doc, encoding.offsets, tags)[:, None]
        for start, end in windows(len(ids)):
            row_ids = np.zeros(SEQ, dtype=np.int32)
            row_tags = np.full((SEQ, n_cols), IGNORE, dtype=np.int32)
            row_ids[0], row_ids[1 : end - start + 1], row_ids[end - start + 1] = (
                cls_id, ids[start:end], sep_id,
            )  # fmt: skip
            row_tags[1 : end - start + 1] = tags[start:end]
            rows_ids.append(row_ids)
            rows_tags.append(row_tags)
    ids_array = np.stack(rows_ids)
    return {"ids": ids_array, "mask": (ids_array > 0).astype(np.int32), "tags": np.stack(rows_tags)}


def build(n_layers: int = 6, n_heads: int = 12, averaged: int = 4):
    import jax
    import jax.numpy as jnp

    def layer_norm(x, g, b):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / jnp.sqrt(var + 1e-12) * g + b

    def dense(p, name, x):
        return x @ p[name + ".weight"].T + p[name + ".bias"]

    def layer(p, x, bias, i):
        pre = f"encoder.layer.{i}."
        batch, length, width = x.shape
        head = width // n_heads

        def project(name):
            y = dense(p, pre + f"attention.self.{name}", x)
            return y.reshape(batch, length, n_heads, head).transpose(0, 2, 1, 3)

        q, k, v = project("query"), project("key"), project("value")
        probs = jax.nn.softmax(q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + bias, axis=-1)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        x = layer_norm(
            x + dense(p, pre + "attention.output.dense", context),
            p[pre + "attention.output.LayerNorm.weight"],
            p[pre + "attention.output.LayerNorm.bias"],
        )
        hidden = jax.nn.gelu(dense(p, pre + "intermediate.dense", x), approximate=True)
        return layer_norm(
            x + dense(p, pre + "output.dense", hidden),
            p[pre + "output.LayerNorm.weight"],
            p[pre + "output.LayerNorm.bias"],
        )

    def encode(p, ids, mask):
        length = ids.shape[1]
        x = (
            p["embeddings.word_embeddings.weight"][ids]
            + p["embeddings.position_embeddings.weight"][:length][None]
            + p["embeddings.token_type_embeddings.weight"][0]
        )
        x = layer_norm(x, p["embeddings.LayerNorm.weight"], p["embeddings.LayerNorm.bias"])
        bias = jnp.where(mask[:, None, None, :] > 0, 0.0, -1e4)
        states = []
        for i in range(n_layers):
            x = layer(p, x, bias, i)
            states.append(x)
        return jnp.mean(jnp.stack(states[-averaged:]), axis=0)

    return encode


def masked_ce(logits, tags):
    import jax
    import jax.numpy as jnp

    valid = tags != IGNORE
    logp = jax.nn.log_softmax(logits, axis=-1)
    picked = jnp.take_along_axis(logp, jnp.where(valid, tags, 0)[..., None], axis=-1)[..., 0]
    return -(picked * valid).sum() / jnp.maximum(valid.sum(), 1)


def train(args: argparse.Namespace) -> None:
    import jax
    import jax.numpy as jnp
    import optax
    import spacy
    from spacy.tokens import DocBin
    from tokenizers import Tokenizer

    weights, tokenizer_blob = load_pretrained()
    tokenizer = Tokenizer.from_str(tokenizer_blob.decode("utf-8"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    vocab = spacy.blank("en").vocab

    def read(name):
        return list(DocBin().from_disk(args.corpus / f"{name}.spacy").get_docs(vocab))

    attr = examples(read("polnear-train"), tokenizer, "attr")
    ents = examples(read("conll-train"), tokenizer, "ner")
    held = examples(read("polnear-trainslice"), tokenizer, "attr")
    print(f"windows: attribution {len(attr['ids'])}, entities {len(ents['ids'])}, "
          f"train slice {len(held['ids'])}", flush=True)  # fmt: skip

    rng = np.random.default_rng(10)
    width = weights["embeddings.word_embeddings.weight"].shape[1]
    params = {
        "enc": {k: jnp.asarray(v) for k, v in weights.items()},
        "attr": {"w": jnp.asarray(rng.normal(0, 0.02, (width, 3 * len(ROLES))), jnp.float32),
                 "b": jnp.zeros(3 * len(ROLES))},
        "ner": {"w": jnp.asarray(rng.normal(0, 0.02, (width, 1 + 2 * len(ENTITY_TYPES))),
                                 jnp.float32),
                "b": jnp.zeros(1 + 2 * len(ENTITY_TYPES))},
    }  # fmt: skip
    encode = build()
    steps = args.steps
    schedule = optax.warmup_cosine_decay_schedule(0.0, args.lr, max(1, steps // 10), steps)
    head_schedule = optax.warmup_cosine_decay_schedule(0.0, 1e-3, max(1, steps // 10), steps)
    optimizer = optax.chain(
        optax.clip_by_global_norm(1.0),
        optax.multi_transform(
            {"enc": optax.adamw(schedule, weight_decay=0.01),
             "head": optax.adamw(head_schedule, weight_decay=0.0)},
            {"enc": "enc", "attr": "head", "ner": "head"},
        ),
    )  # fmt: skip
    state = optimizer.init(params)

    def logits(p, batch, task, key):
        vectors = encode(p["enc"], batch["ids"], batch["mask"])
        if key is not None:  # dropout on the vectors the heads read
            keep = jax.random.bernoulli(key, 0.9, vectors.shape)
            vectors = jnp.where(keep, vectors / 0.9, 0.0)
        out = vectors @ p[task]["w"] + p[task]["b"]
        if task == "attr":
            return out.reshape(out.shape[:-1] + (len(ROLES), 3))
        return out[..., None, :]  # one column of entity tags

    def loss_fn(p, batch, task, key):
        return masked_ce(logits(p, batch, task, key), batch["tags"])

    @functools.partial(jax.jit, static_argnames="task")  # compiled once per task
    def train_step(p, s, batch, key, task):
        loss, grads = jax.value_and_grad(loss_fn)(p, batch, task, key)
        updates, s = optimizer.update(grads, s, p)
        return optax.apply_updates(p, updates), s, loss

    @jax.jit
    def predict_attr(p, batch):
        return jnp.argmax(logits(p, batch, "attr", None), axis=-1)

    def sample(data, n):
        rows = rng.integers(0, len(data["ids"]), n)
        return {k: jnp.asarray(v[rows]) for k, v in data.items()}

    key = jax.random.PRNGKey(10)
    started = time.time()
    losses: list[float] = []
    for step in range(1, steps + 1):
        key, sub = jax.random.split(key)
        task, data = ("ner", ents) if step % 3 == 0 else ("attr", attr)
        params, state, loss = train_step(params, state, sample(data, args.batch), sub, task)
        losses.append(float(loss))
        if step % 50 == 0 or step == steps:
            elapsed = time.time() - started
            print(f"step {step}/{steps} loss {np.mean(losses[-50:]):.4f} "
                  f"{elapsed / step:.2f} s/step", flush=True)  # fmt: skip
        if step % args.report == 0 or step == steps:
            print("train slice piece F1 " + json.dumps(held_out_f1(predict_attr, params, held)),
                  flush=True)  # fmt: skip
    out = {k: np.asarray(v, dtype=np.float32) for k, v in params["enc"].items()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(args.out, **out)
    print(f"wrote {args.out} after {steps} steps, {(time.time() - started) / 60:.1f} min")


def held_out_f1(predict, params, held: dict[str, np.ndarray]) -> dict[str, float]:
    """Word-piece F1 of inside-or-begin per role: a quick signal that the tags are learned."""
    tp = np.zeros(len(ROLES))
    fp = np.zeros(len(ROLES))
    fn = np.zeros(len(ROLES))
    for i in range(0, len(held["ids"]), 16):
        batch = {k: v[i : i + 16] for k, v in held.items()}
        pred = np.asarray(predict(params, batch)) > 0
        gold = batch["tags"] > 0
        valid = batch["tags"] != IGNORE
        tp += (pred & gold & valid).sum((0, 1))
        fp += (pred & ~gold & valid).sum((0, 1))
        fn += (~pred & gold & valid).sum((0, 1))
    f1 = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    return {role: round(float(v), 3) for role, v in zip(ROLES, f1, strict=True)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="training/corpus (from convert.py and "
                        "attribution_corpus.py)")  # fmt: skip
    parser.add_argument("out", type=Path, help="the fine-tuned weights (.npz)")
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--report", type=int, default=500)
    train(parser.parse_args())


if __name__ == "__main__":
    main()
