"""Where things live: one settings object, read from `TRIALS_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Locations of the store, the builds and the sample data; every CLI option overrides one."""

    model_config = SettingsConfigDict(env_prefix="TRIALS_", extra="ignore")

    db: Path = Field(Path("data/trials.sqlite"), description="SQLite trial store (TRIALS_DB)")
    builds_dir: Path = Field(Path("data/builds"), description="directory of index builds (TRIALS_BUILDS_DIR)")
    shared_dir: Path = Field(Path("../shared"), description="shared data beside the repo (TRIALS_SHARED_DIR)")
    corpus_dir: Path | None = Field(None, description="sample corpus; default SHARED_DIR/corpus (TRIALS_CORPUS_DIR)")
    cache: Path = Field(Path("data/cache/embeddings.sqlite"), description="embedding cache (TRIALS_CACHE)")
    model: Path | None = Field(None, description="local sentence-transformers model directory (TRIALS_MODEL)")
    device: str = Field("auto", description="encoder device: auto, cpu, cuda, ... (TRIALS_DEVICE)")

    @property
    def corpus(self) -> Path:
        """The sample corpus directory."""
        return self.corpus_dir or self.shared_dir / "corpus"


def load_settings() -> Settings:
    """Settings from the environment, read when called (never at import time)."""
    return Settings()
