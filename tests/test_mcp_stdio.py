"""``ae-coach mcp`` as a host runs it: the installed command, spoken to over stdio by the SDK's client."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("mcp")

import anyio
from mcp import Client, StdioServerParameters

from ae_coach.mcpserver import TOOL_NAMES

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

TIMEOUT_SECONDS = 60
"""Start-up, handshake and a few calls take about a second; a hang fails the test instead of CI."""

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def installed_command() -> str:
    beside_python = Path(sys.executable).with_name("ae-coach")
    found = str(beside_python) if beside_python.exists() else shutil.which("ae-coach")
    if not found:
        pytest.skip("the ae-coach command is not installed in this environment")
    return found


def example_deal() -> Path:
    preferred = REPO / "examples" / "deals" / "northwind-validation.yaml"
    found = [preferred] if preferred.is_file() else sorted((REPO / "examples" / "deals").glob("*.yaml"))
    if not found:
        pytest.skip("no example deal in examples/deals/ yet")
    return found[0]


async def test_installed_command_serves_over_stdio(tmp_path: Path) -> None:
    deal = example_deal()
    params = StdioServerParameters(command=installed_command(), args=["mcp"], env=dict(os.environ), cwd=tmp_path)
    with anyio.fail_after(TIMEOUT_SECONDS):
        async with Client(params, read_timeout_seconds=TIMEOUT_SECONDS) as client:
            assert client.server_info is not None and client.server_info.name == "ae-coach"
            tools = {tool.name for tool in (await client.list_tools()).tools}
            bad = await client.call_tool("review_deal", {"deal": "missing-deal.yaml"})
            review = await client.call_tool("review_deal", {"deal": str(deal), "as_of": "2026-11-26"})

    assert tools == set(TOOL_NAMES)
    assert bad.is_error and "no such deal file" in bad.content[0].text
    assert str(tmp_path) in bad.content[0].text  # relative paths start from the server's directory
    assert not review.is_error, review.content[0].text
    assert review.structured_content["report"]["backend"] == "offline"
