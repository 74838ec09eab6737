"""Shared test set-up: no network, no API key, a closed loopback port for any stray model call."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs on two shared cores: a property test's time per example says nothing about correctness, so
# no example fails for being slow (hypothesis' default deadline is 200 ms). The example counts bound
# the total.
settings.register_profile("ae-coach", deadline=None)
settings.load_profile("ae-coach")

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"

# A stray call to the Messages API must fail fast, not reach the internet or hang. Port 9 (discard)
# on loopback has no listener here; tests that need a model start their own server.
CLOSED_BASE_URL = "http://127.0.0.1:9"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--live", action="store_true", help="run tests marked live against the real API")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    live_ok = config.getoption("--live") and os.environ.get("AE_COACH_LIVE_KEY")
    skip = pytest.mark.skip(reason="live API test: needs --live and AE_COACH_LIVE_KEY")
    for item in items:
        if "live" in item.keywords and not live_ok:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _offline_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in (
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "AE_COACH_MODEL",
        "AE_COACH_BACKEND",
        "AE_COACH_LANG",
        "AE_COACH_PLAYBOOK",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", CLOSED_BASE_URL)
    monkeypatch.setenv("AE_COACH_HOME", str(tmp_path_factory.getbasetemp() / "ae-coach-home"))
    # The rulebook cache may be shared across tests; the history may not: a review in one test must never
    # show up as "since <date>" in another.
    monkeypatch.setenv("AE_COACH_DB", str(tmp_path_factory.mktemp("history") / "history.db"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch):
    """``api(*replies)`` starts a Messages API stand-in and points the SDK at it with a fake key.

    Every server started in the test is stopped after it; the latest one wins ANTHROPIC_BASE_URL.
    """
    from coach_deals import FAKE_KEY
    from messages_server import MessagesServer

    servers: list[MessagesServer] = []

    def start(*replies):
        server = MessagesServer(*replies).__enter__()
        servers.append(server)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)
