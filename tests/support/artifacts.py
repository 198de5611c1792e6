"""Where tests leave what a person looks at afterwards: screenshots, failed pages, server logs
(`test-artifacts/` at the project's root, ignored by git)."""

from __future__ import annotations

from pathlib import Path

TEST_ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
