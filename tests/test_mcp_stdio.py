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
    args = ["mcp", "--root", str(deal.parent)]  # the deal lives outside the server's working directory
    params = StdioServerParameters(command=installed_command(), args=args, env=dict(os.environ), cwd=tmp_path)
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


def test_infinity_in_the_json_of_a_call_is_refused(tmp_path: Path) -> None:
    """A host may send the non-standard JSON literals Infinity and NaN; no tool takes them as a number."""
    import json
    import subprocess

    calls = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "raw", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
    ]
    lines = [json.dumps(call) for call in calls]
    for number, (tool, arguments) in enumerate(
        [
            ("pipeline_math", '{"quota": Infinity, "avg_deal_size": 50000, "win_rate": 0.25}'),
            ("review_pipeline", '{"path": "deals", "quota": Infinity}'),
            ("pipeline_math", '{"quota": 1000000, "avg_deal_size": NaN, "win_rate": 0.25}'),
        ],
        2,
    ):
        lines.append(
            f'{{"jsonrpc": "2.0", "id": {number}, "method": "tools/call", '
            f'"params": {{"name": "{tool}", "arguments": {arguments}}}}}'
        )
    shutil.copytree(example_deal().parent, tmp_path / "deals")
    server = subprocess.Popen(
        [installed_command(), "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    assert server.stdin is not None and server.stdout is not None
    answers: dict[int, dict] = {}
    try:
        server.stdin.write("\n".join(lines) + "\n")
        server.stdin.flush()
        while len(answers) < 3:  # the stdio reply order follows the calls; a hang fails through the timeout below
            message = json.loads(server.stdout.readline() or "{}")
            assert message, "the server closed its output"
            if message.get("id") not in (None, 1):
                answers[message["id"]] = message
    finally:
        server.stdin.close()
        server.wait(timeout=TIMEOUT_SECONDS)
    assert sorted(answers) == [2, 3, 4]
    for answer in answers.values():
        refused = "error" in answer or answer["result"].get("isError")
        assert refused, answer
        assert "finite" in json.dumps(answer)
