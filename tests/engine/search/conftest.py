"""One analyzer for the search tests: jieba loads its dictionary once per Tokenizer (about a second)."""

import pytest

from engine.search import Analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer("search")
