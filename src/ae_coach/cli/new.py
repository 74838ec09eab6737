"""``ae-coach new``: a first deal file from a few questions, with no key and no model.

The questions go to stderr and the answers come from stdin, one a line, so the same command works at a
terminal and with answers piped in (``printf 'Acme\\nvalidation\\n...' | ae-coach new -o acme.yaml``). The
file is checked by the deal loader before it is written: what ``new`` writes, ``review`` reads.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from ae_coach.cli._io import parse_date, write_output
from ae_coach.errors import UsageError

OPEN_STAGES = ("discovery", "scoping", "validation", "proposal", "closing")
ROLES = ("economic_buyer", "champion", "technical_buyer", "user_buyer", "influencer", "blocker", "coach", "unknown")
TRIES = 3
"""Answers a question takes at a terminal before giving up; piped answers get one."""

HEADER = """\
# A deal file for ae-coach, written by `ae-coach new`. Review it with: ae-coach review {name}
# Every field is described in the deal format's JSON Schema: `ae-coach schema deal > deal.schema.json`, then
# make the first line `# yaml-language-server: $schema=deal.schema.json` for completion in your editor.
# Add what you know (meddpicc, more activities, a mutual action plan); what you leave out counts as unknown.
"""


def register(app: typer.Typer) -> None:
    """Add ``new`` to the root app."""
    app.command("new")(new)


def new(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the deal file here instead of stdout.")
    ] = None,
) -> None:
    """Write a first deal file by answering a few questions (no key needed); `ae-coach review` reads it."""
    from ae_coach.deal import loads_deal

    interactive = sys.stdin.isatty()
    deal = ask_deal(_Asker(_answers(interactive), interactive))
    text = HEADER.format(name=output or "deal.yaml") + _yaml(deal)
    loads_deal(text, output or "<new deal>")  # what review would refuse is never written
    write_output(text, output, then=f"review it with: ae-coach review {output}" if output else "")


def ask_deal(ask: _Asker) -> dict[str, Any]:
    """The deal the answers describe, as the deal file's fields (only those answered)."""
    from ae_coach.pipeline.math import parse_amount

    deal: dict[str, Any] = {"account": ask("Account (the buying company)", _required)}
    deal["stage"] = ask(f"Stage ({' | '.join(OPEN_STAGES)})", _choice(OPEN_STAGES), default="discovery")
    amount = ask("Amount (85000 or 85k; blank if not known)", lambda v: parse_amount(v, "amount"), default=None)
    if amount is not None:
        deal["amount"] = int(amount) if float(amount).is_integer() else amount
    close = ask("Expected close date (YYYY-MM-DD; blank if none)", _date, default=None)
    if close is not None:
        deal["close_date"] = close
    people = ask.many("Buyer-side people, one a line: name, title, role (blank line ends)", _person)
    if people:
        deal["stakeholders"] = people
    met = ask("Date of your last conversation with them (YYYY-MM-DD; blank to skip)", _date, default=None)
    if met is not None:
        summary = ask("What happened, in a line", _required)
        names = ask("Who from their side was in it (names, comma-separated; blank if not recorded)", _names, [])
        deal["activities"] = [
            {"date": met, "type": "meeting", "summary": summary, **({"with": names} if names else {})}
        ]
    action = ask("Agreed next step (blank if none)", str, default=None)
    if action:
        step: dict[str, Any] = {"action": action}
        due = ask("Its date (YYYY-MM-DD; blank if none)", _date, default=None)
        if due is not None:
            step["date"] = due
        deal["next_step"] = step
    return deal


class _Asker:
    """Asks one question at a time on stderr and checks each answer; a bad answer is asked again at a
    terminal and is a usage error when the answers are piped."""

    def __init__(self, answers: Iterator[str], interactive: bool) -> None:
        self.answers, self.interactive = answers, interactive

    def __call__(self, question: str, check: Callable[[str], Any], default: Any = ...) -> Any:
        for _ in range(TRIES if self.interactive else 1):
            if self.interactive:  # piped answers need no prompts on the screen
                print(f"{question}: ", end="", file=sys.stderr, flush=True)
            answer = next(self.answers, "").strip()
            if not answer and default is not ...:
                return default
            try:
                return check(answer)
            except (UsageError, ValueError) as exc:
                problem = str(exc).removeprefix("error: ")
                if not self.interactive:
                    raise UsageError(f"{question}: {answer!r}: {problem}") from None
                print(f"  {problem}", file=sys.stderr)
        raise UsageError(f"{question}: no usable answer after {TRIES} tries")

    def many(self, question: str, check: Callable[[str], Any]) -> list[Any]:
        if self.interactive:
            print(f"{question}:", file=sys.stderr)
        found = []
        while (item := self("  next", check, default=None)) is not None:
            found.append(item)
        return found


def _answers(interactive: bool) -> Iterator[str]:
    if not interactive:
        yield from (line.rstrip("\n") for line in sys.stdin)
        return
    while True:
        try:
            yield input()
        except EOFError:
            return


def _required(value: str) -> str:
    if not value:
        raise ValueError("an answer is needed")
    return value


def _choice(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        word = value.lower().replace(" ", "_")
        if word not in allowed:
            raise ValueError(f"one of {', '.join(allowed)}")
        return word

    return check


def _date(value: str) -> str:
    return parse_date(value, "date").isoformat()  # type: ignore[union-attr]  # a non-empty answer


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def _person(value: str) -> dict[str, str]:
    parts = [part.strip() for part in value.split(",")]
    if not parts[0]:
        raise ValueError("start with the person's name")
    person = {"name": parts[0]}
    if len(parts) > 1 and parts[1]:
        person["title"] = parts[1]
    if len(parts) > 2 and parts[2]:
        person["role"] = _choice(ROLES)(parts[2])
    if len(parts) > 3:
        raise ValueError("name, title, role: three parts at most (a title with a comma: leave the comma out)")
    return person


def _yaml(deal: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(deal, sort_keys=False, allow_unicode=True, width=110)
