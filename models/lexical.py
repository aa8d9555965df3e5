"""A lexical scorer: TF-IDF over scikit-learn sparse matrices, the baseline dense retrieval must beat."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

_PARAMS: dict[str, Any] = {"sublinear_tf": True, "stop_words": "english", "dtype": np.float32}


class TfidfScorer:
    """Cosine similarity of sublinear TF-IDF unigram vectors, English stop words removed.

    Unigrams with IDF from the whole store scored best among the plain variants tried on the
    TrialSim development labels (bigrams and a max document frequency only lowered it).
    """

    model_id = "tfidf-unigram-sublinear@1"

    def __init__(self) -> None:
        self._vectorizer = TfidfVectorizer(**_PARAMS)
        self._fitted = False

    def fit(self, documents: Iterable[str]) -> TfidfScorer:
        """Learn the vocabulary and IDF weights from a corpus (read once, so a generator is fine)."""
        self._vectorizer.fit(documents)
        self._fitted = True
        return self

    def fit_transform(self, documents: Iterable[str]) -> sparse.csr_matrix:
        """Fit on a corpus and return its rows, reading it once."""
        matrix = self._vectorizer.fit_transform(documents).tocsr().astype(np.float32)
        self._fitted = True
        return matrix

    def transform(self, documents: Iterable[str]) -> sparse.csr_matrix:
        """L2-normalised sparse TF-IDF rows."""
        if not self._fitted:
            raise RuntimeError("TfidfScorer.fit must run before transform")
        return self._vectorizer.transform(documents).tocsr().astype(np.float32)

    @staticmethod
    def similarity(queries: sparse.csr_matrix, documents: sparse.csr_matrix) -> np.ndarray:
        """Dense (queries x documents) cosine similarities."""
        return np.asarray((queries @ documents.T).todense(), dtype=np.float32)

    def to_json(self) -> dict[str, Any]:
        """Vocabulary and IDF weights, enough to transform new text the same way."""
        vocabulary = {term: int(i) for term, i in self._vectorizer.vocabulary_.items()}
        return {"model_id": self.model_id, "vocabulary": vocabulary, "idf": self._vectorizer.idf_.tolist()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TfidfScorer:
        scorer = cls()
        scorer._vectorizer = TfidfVectorizer(vocabulary=data["vocabulary"], **_PARAMS)
        scorer._vectorizer.idf_ = np.asarray(data["idf"], dtype=np.float32)
        scorer._fitted = True
        return scorer
