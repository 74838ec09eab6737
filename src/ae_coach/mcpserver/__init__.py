"""ae-coach over the Model Context Protocol (needs the ``mcp`` extra: ``pip install 'ae-coach[mcp]'``).

``build_server()`` returns the configured server (tests connect the SDK's client to it in memory);
``serve()`` runs it over stdio, which is what ``ae-coach mcp`` does. Importing this package does not
import ``mcp``; calling either function does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from mcp.server import MCPServer

TOOL_NAMES = ("inspect_deal", "review_deal", "review_pipeline", "pipeline_math", "search_rules", "get_rule")
"""The tools the server offers, in the order a host lists them."""

PROMPT_NAMES = ("deal_review",)


class MissingExtraError(ImportError):
    """The ``mcp`` package is not installed."""


def _require_mcp() -> None:
    try:
        import mcp.server  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError(str(exc)) from exc


def build_server() -> MCPServer:
    """The ae-coach MCP server with its tools, resources and prompt.

    Raises:
        MissingExtraError: the ``mcp`` extra is not installed.
    """
    _require_mcp()
    from ae_coach.mcpserver._server import build_server as build

    return build()


def serve(log_level: str = "WARNING") -> None:
    """Serve over stdio until the client closes the connection.

    Args:
        log_level: Threshold for log lines, all of which go to stderr (stdout carries the protocol).
    """
    import logging
    import sys

    # Configured before the SDK's own basicConfig call, which then leaves it alone: plain lines on
    # stderr, no rich console to import. The level sits on the handler too, because bm25s sets its own
    # logger to DEBUG when it is imported.
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(log_level)
    handler.setFormatter(logging.Formatter("ae-coach mcp %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=log_level, handlers=[handler])
    build_server().run("stdio")


__all__ = ["PROMPT_NAMES", "TOOL_NAMES", "MissingExtraError", "build_server", "serve"]
