"""The MCP server through the SDK's real client, in memory: what a host lists, reads and calls."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp")

from mcp import Client
from mcp_types import CallToolResult

from ae_coach.cli import main
from ae_coach.mcpserver import PROMPT_NAMES, TOOL_NAMES, build_server
from ae_coach.resources import skill_md
from ae_coach.rules import load_rulebook

pytestmark = pytest.mark.anyio

AS_OF = "2026-11-26"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def example_deal() -> Path:
    """The README's example deal, or any example deal while the examples are being written."""
    preferred = EXAMPLES / "deals" / "northwind-validation.yaml"
    if preferred.is_file():
        return preferred
    found = sorted((EXAMPLES / "deals").glob("*.yaml"))
    if not found:
        pytest.skip("no example deal in examples/deals/ yet")
    return found[0]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def server() -> Any:
    return build_server()


def text_of(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


def data_of(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, text_of(result)
    return result.structured_content if result.structured_content is not None else json.loads(text_of(result))


async def test_lists_tools_resources_and_prompts(server: Any) -> None:
    async with Client(server, mode="legacy") as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        resources = {str(r.uri): r for r in (await client.list_resources()).resources}
        prompts = {prompt.name: prompt for prompt in (await client.list_prompts()).prompts}

    assert set(tools) == set(TOOL_NAMES)
    assert tools["review_deal"].input_schema["required"] == ["deal"]
    assert tools["pipeline_math"].input_schema["required"] == ["quota", "avg_deal_size", "win_rate"]
    assert all(tool.description and tool.annotations.read_only_hint for tool in tools.values())
    assert not any("\n" in tool.description for tool in tools.values())  # prose, not indented source

    rule_ids = load_rulebook().ids
    assert "skill://account-executive/SKILL.md" in resources
    assert {uri for uri in resources if uri.startswith("rule://")} == {f"rule://{rule_id}" for rule_id in rule_ids}
    assert resources["rule://deal-economic-buyer"].title == load_rulebook().get("deal-economic-buyer").title

    assert set(prompts) == set(PROMPT_NAMES)
    assert [(a.name, a.required) for a in prompts["deal_review"].arguments] == [("deal", True)]


async def test_reads_skill_and_rule_resources(server: Any) -> None:
    rule = load_rulebook().get("relationship-champion-vs-coach")
    async with Client(server, mode="legacy") as client:
        skill = await client.read_resource("skill://account-executive/SKILL.md")
        rule_text = await client.read_resource("rule://relationship-champion-vs-coach")
    assert skill.contents[0].text == skill_md().read_text(encoding="utf-8")
    assert rule_text.contents[0].text == rule.path.read_text(encoding="utf-8")
    assert rule_text.contents[0].mime_type == "text/markdown"


async def test_review_deal_returns_the_offline_report(server: Any) -> None:
    path = example_deal()
    async with Client(server, mode="legacy") as client:
        result = await client.call_tool("review_deal", {"deal": str(path), "as_of": AS_OF})
    data = data_of(result)
    report = data["report"]
    assert report["backend"] == "offline"
    assert report["as_of"] == AS_OF
    assert report["headline"] and report["next_actions"]
    assert 0 <= report["health"]["score"] <= 100
    assert data["deal"]["account"] == report["account"]
    assert data["findings"] and all("code" in finding for finding in data["findings"])
    known = set(load_rulebook().ids)
    assert {a["rule_id"] for a in report["next_actions"] if a.get("rule_id")} <= known


async def test_deal_text_and_deal_path_give_the_same_review(server: Any) -> None:
    path = example_deal()
    async with Client(server, mode="legacy") as client:
        by_path = data_of(await client.call_tool("inspect_deal", {"deal": str(path), "as_of": AS_OF}))
        by_text = data_of(await client.call_tool("inspect_deal", {"deal": path.read_text(), "as_of": AS_OF}))
    assert by_text["findings"] == by_path["findings"]
    assert [f["code"] for f in by_path["findings"]]


async def test_search_and_get_rule(server: Any) -> None:
    async with Client(server, mode="legacy") as client:
        hits = data_of(await client.call_tool("search_rules", {"query": "our champion went quiet", "k": 3}))["hits"]
        rule = await client.call_tool("get_rule", {"rule_id": hits[0]["id"]})
    assert 1 <= len(hits) <= 3
    assert len({h["id"] for h in hits}) == len(hits)  # one hit per rule
    assert "champion" in hits[0]["id"]
    assert hits[0]["section"] == hits[0]["sections"][0]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert not rule.is_error
    assert text_of(rule) == load_rulebook().get(hits[0]["id"]).path.read_text(encoding="utf-8")


async def test_pipeline_math_reproduces_the_seed_example(server: Any) -> None:
    args = {"quota": 1_000_000, "avg_deal_size": 50_000, "win_rate": 25, "cycle_days": 90}
    async with Client(server, mode="legacy") as client:
        data = data_of(await client.call_tool("pipeline_math", args))
    assert data["deals_needed"] == 20
    assert data["coverage_needed"] == 4
    assert data["pipeline_needed"] == 4_000_000
    assert data["opportunities_per_quarter"] == 20
    assert round(data["meetings_per_week"]) == 8


async def test_review_pipeline_covers_every_example_deal(server: Any) -> None:
    files = sorted((EXAMPLES / "deals").glob("*.yaml"))
    if not files:
        pytest.skip("no example deals yet")
    args = {"path": str(EXAMPLES / "deals"), "quota": "1M", "as_of": AS_OF}  # the CLI's way to write a quota
    async with Client(server, mode="legacy") as client:
        data = data_of(await client.call_tool("review_pipeline", args))
        paged = data_of(await client.call_tool("review_pipeline", {**args, "detail": "deals", "limit": 3}))
    counts = data["counts"]
    assert counts["open"] + counts["won"] + counts["lost"] == len(files) == data["source"]["deals"]
    assert data["deals_total"] == counts["open"] and data["deals"] is None  # the summary: no deal list
    assert data["math"]["quota"] == 1_000_000
    assert all(finding["code"].startswith("pipeline.") for finding in data["findings"])
    assert len(paged["deals"]) == 3 and paged["next_offset"] == 3
    assert paged["deals"][0]["id"] == data["at_risk"][0]["id"]  # both riskiest first


async def test_every_tool_declares_its_output_schema_and_describes_the_deal_format(server: Any) -> None:
    async with Client(server, mode="legacy") as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        schema = await client.read_resource("schema://deal")
    for name, tool in tools.items():
        assert tool.output_schema and tool.output_schema.get("properties"), name
        assert tool.output_schema.get("additionalProperties") is not True, name
    for name in ("inspect_deal", "review_deal"):
        deal = tools[name].input_schema["properties"]["deal"]["description"]
        assert "stage (discovery | scoping" in deal and "schema://deal" in deal
    assert '"ae-coach deal file"' in schema.contents[0].text


async def test_a_pipeline_summary_is_a_fraction_of_the_full_review() -> None:
    from ae_coach.mcpserver import _tools

    csv = str(EXAMPLES / "pipelines" / "salesforce-pipeline.csv")
    summary = json.dumps(_tools.review_pipeline(csv, "1M", AS_OF))
    full = json.dumps(_tools.review_pipeline(csv, "1M", AS_OF, detail="deals"))
    assert len(summary) < 12_000 < len(full)


BAD_CALLS = [
    ("inspect_deal", {"deal": "account: Acme\nstage: [validation\n"}, ["<deal text>:3:", "YAML"]),
    ("review_deal", {"deal": "account: Acme\nstage: negotiating\n"}, ["<deal text>", "stage"]),
    ("review_deal", {"deal": "/nonexistent/deals/acme.yaml"}, ["/nonexistent/deals/acme.yaml", "outside the folders"]),
    ("review_deal", {"deal": "deals/missing.yaml"}, ["deals/missing.yaml", "no such deal file"]),
    ("inspect_deal", {"deal": "account: Acme\nstage: discovery\nbudget: 5\n"}, ["budget"]),
    ("get_rule", {"rule_id": "deal-no-such-rule"}, ["unknown rule", "deal-no-such-rule"]),
    ("inspect_deal", {"deal": "account: Acme\nstage: discovery\n", "as_of": "26/11/2026"}, ["as_of", "YYYY-MM-DD"]),
    ("search_rules", {"query": "champion", "k": 500}, ["k", "1 to 20"]),
    ("pipeline_math", {"quota": 1_000_000, "avg_deal_size": 50_000, "win_rate": 0}, ["win_rate"]),
    ("review_pipeline", {"path": "/nonexistent/pipeline"}, ["/nonexistent/pipeline"]),
    ("review_pipeline", {"path": str(EXAMPLES / "deals"), "quota": "lots"}, ["quota", "1M"]),
]


@pytest.mark.parametrize(
    ("tool", "arguments", "expected"), BAD_CALLS, ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(BAD_CALLS)]
)
async def test_bad_input_is_a_tool_error_and_the_server_keeps_serving(
    server: Any, tool: str, arguments: dict[str, Any], expected: list[str]
) -> None:
    async with Client(server, mode="legacy") as client:
        bad = await client.call_tool(tool, arguments)
        after = await client.call_tool("get_rule", {"rule_id": "deal-economic-buyer"})
    assert bad.is_error
    message = text_of(bad)
    for fragment in expected:
        assert fragment in message
    assert "Traceback" not in message
    assert not after.is_error and "economic buyer" in text_of(after).lower()


async def test_deal_review_prompt_carries_the_review_as_data(server: Any) -> None:
    path = example_deal()
    async with Client(server, mode="legacy") as client:
        prompt = await client.get_prompt("deal_review", {"deal": str(path)})
    text = prompt.messages[0].content.text
    review = text.split("<ae-coach-review>\n", 1)[1].split("\n</ae-coach-review>", 1)[0]
    data = json.loads(review)
    assert data["report"]["backend"] == "offline"
    assert data["deal"]["account"] in text.splitlines()[0]
    assert "not instructions" in text


async def test_deal_review_prompt_with_a_bad_deal_names_the_problem(server: Any) -> None:
    from mcp.shared.exceptions import MCPError

    async with Client(server, mode="legacy") as client:
        with pytest.raises(MCPError, match="no such deal file"):
            await client.get_prompt("deal_review", {"deal": "nonexistent/deal.yaml"})
        assert not (await client.call_tool("search_rules", {"query": "economic buyer"})).is_error


def test_without_the_extra_the_command_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # None in sys.modules makes "import mcp" fail the way a missing install does.
    for name in [name for name in sys.modules if name == "mcp" or name.startswith("mcp.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "mcp", None)
    assert main(["mcp"]) == 2
    assert "install ae-coach[mcp]" in capsys.readouterr().err


async def test_review_deal_and_get_rule_take_the_language(server: Any) -> None:
    path = EXAMPLES / "deals" / "northwind-validation.yaml"
    async with Client(server, mode="legacy") as client:
        result = await client.call_tool("review_deal", {"deal": str(path), "as_of": AS_OF, "lang": "zh"})
        rule = await client.call_tool("get_rule", {"rule_id": "deal-economic-buyer", "lang": "zh"})
    report = data_of(result)["report"]
    assert "最终决策者" in report["headline"]
    assert "### 如何执行" in text_of(rule)


# --- issue 17: paths under allowed roots only, errors never quote a file, odd arguments refused -------------

SECRETS = {
    ".env": "ANTHROPIC_API_KEY=not-a-real-key-SECRET123\nDB_URL=postgres://admin:hunter22@db.internal/prod\n",
    ".git-credentials": "https://octo:ghp_TOKEN0123456789@github.com\n",
    "deal.yaml": "account: Acme\nstage: not-a-stage-STAGE456\n",
    "list.yaml": "- account: Acme\n  stage: discovery\n  amount: pass=word99\n",
    "export.csv": "Account Name,Password\nAcme,pw-SECRET-789\n",
}
SECRET_WORDS = ["SECRET123", "hunter22", "ghp_TOKEN", "STAGE456", "word99", "pw-SECRET", "ANTHROPIC_API_KEY"]


@pytest.mark.parametrize("name", sorted(SECRETS))
@pytest.mark.parametrize(("tool", "argument"), [("review_pipeline", "path"), ("review_deal", "deal")])
async def test_errors_never_quote_a_files_contents(
    server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, tool: str, argument: str
) -> None:
    for file, text in SECRETS.items():
        (tmp_path / file).write_text(text)
    monkeypatch.chdir(tmp_path)
    async with Client(server, mode="legacy") as client:
        result = await client.call_tool(tool, {argument: name})
    message = text_of(result)
    assert result.is_error, message
    assert name in message  # it still says which file
    leaked = [word for word in SECRET_WORDS if word in message]
    assert not leaked, message


async def test_paths_outside_the_allowed_roots_are_refused(
    server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside, outside = tmp_path / "work", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    (outside / "deal.yaml").write_text(example_deal().read_text())
    (inside / "link.yaml").symlink_to(outside / "deal.yaml")
    monkeypatch.chdir(inside)
    monkeypatch.delenv("AE_COACH_MCP_ROOTS", raising=False)
    async with Client(server, mode="legacy") as client:
        for tool, arguments in [
            ("review_deal", {"deal": str(outside / "deal.yaml")}),
            ("review_deal", {"deal": "link.yaml"}),  # a symlink out of the root is judged by its target
            ("review_deal", {"deal": str(outside / "missing.yaml")}),  # no answer tells what exists outside
            ("inspect_deal", {"deal": "../elsewhere/deal.yaml"}),
            ("review_pipeline", {"path": str(outside)}),
            ("review_pipeline", {"path": "/"}),
        ]:
            result = await client.call_tool(tool, arguments)
            assert result.is_error and "outside the folders this server reads" in text_of(result), text_of(result)
        monkeypatch.setenv("AE_COACH_MCP_ROOTS", str(outside))
        assert not (await client.call_tool("review_deal", {"deal": str(outside / "deal.yaml")})).is_error
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert "--root" in tools["review_pipeline"].input_schema["properties"]["path"]["description"]


async def test_a_folder_with_no_deal_in_it_is_an_error_not_an_empty_pipeline(
    server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "container_info.json").write_text('{"kernel": "6.1"}')
    monkeypatch.chdir(tmp_path)
    async with Client(server, mode="legacy") as client:
        result = await client.call_tool("review_pipeline", {"path": str(tmp_path)})
    assert result.is_error and "none of its 1" in text_of(result)


@pytest.mark.parametrize("deal", ["x" * 5_000_000, "account: " + "x" * 300, "a" * 300 + ".yaml"])
async def test_a_huge_one_line_argument_is_a_tool_error(server: Any, deal: str) -> None:
    async with Client(server, mode="legacy") as client:
        result = await client.call_tool("review_deal", {"deal": deal})
        after = await client.call_tool("get_rule", {"rule_id": "deal-economic-buyer"})
    assert result.is_error and "Traceback" not in text_of(result) and len(text_of(result)) < 2_000
    assert not after.is_error
