"""An interactive (or scripted) chat session: reads lines, runs slash commands, streams answers.

Piped stdin is a script: one question per line, answers written plainly with no prompts or banners,
so ``printf 'q1\\nq2\\n' | ae-coach chat deal.yaml`` gives just the answers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ae_coach._untrusted import terminal_safe
from ae_coach.coach._chat import ChatHistory, save_history
from ae_coach.errors import BackendError
from ae_coach.resources import ae_coach_home

if TYPE_CHECKING:
    from ae_coach.coach import Coach
    from ae_coach.deal import Deal
    from ae_coach.history import ChatLog

HELP = """Commands:
  /findings     what ae-coach found in this deal
  /rules        the rules the coach is using for this deal
  /save [FILE]  save the conversation (default: $AE_COACH_HOME/chats/)
  /help         this list
  /quit         leave (the conversation is saved)
Anything else is a question for the coach. Arrow keys edit the line and recall earlier questions;
Ctrl-C stops an answer (or clears the line) and keeps the conversation; Ctrl-D leaves."""

HISTORY_FILE = "chat-input-history"
"""Questions typed in interactive chats, for the up arrow (under $AE_COACH_HOME)."""
HISTORY_LENGTH = 1000


def prompt_lines(prompt: str = "you> ") -> Iterator[str]:
    """Questions typed at a terminal, with line editing and history (stdlib readline where the platform has
    it); Ctrl-C clears the line, Ctrl-D (end of input) ends the chat."""
    readline = _line_editing()
    try:
        while True:
            try:
                yield input(prompt)
            except KeyboardInterrupt:
                print()
            except EOFError:
                print()
                return
    finally:
        if readline is not None:
            with contextlib.suppress(OSError):
                readline.write_history_file(str(ae_coach_home() / HISTORY_FILE))


def _line_editing() -> Any:
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input() still works
        return None
    path = ae_coach_home() / HISTORY_FILE
    readline.set_history_length(HISTORY_LENGTH)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        readline.read_history_file(str(path))
    except OSError:
        pass
    return readline


class ChatSession:
    """One conversation about one deal.

    Args:
        coach: the coach (its backend answers).
        deal: the deal under discussion.
        out: where answers go.
        interactive: print prompts and a banner (a TTY); off for piped input.
        as_of: the review date.
        history: a conversation to continue (``chat --continue``).
        log: records each exchange in the history as it ends.
        autosave: write the transcript to ``$AE_COACH_HOME/chats/`` when the session ends (off with
            ``--no-log``: nothing is kept unless the user asks with ``/save``).
    """

    def __init__(
        self,
        coach: Coach,
        deal: Deal,
        out: TextIO,
        *,
        interactive: bool,
        as_of: dt.date | None = None,
        history: ChatHistory | None = None,
        log: ChatLog | None = None,
        autosave: bool = True,
    ):
        self.coach, self.deal, self.out = coach, deal, out
        self.interactive, self.as_of = interactive, as_of
        self.history = history if history is not None else ChatHistory()
        self.log, self.autosave = log, autosave
        self.saved_to: Path | None = None
        self._commands: dict[str, Callable[[str], bool]] = {
            "/findings": self._findings,
            "/rules": self._rules,
            "/save": self._save,
            "/help": self._help,
            "/quit": self._quit,
            "/exit": self._quit,
        }

    def run(self, lines: Iterable[str]) -> Path | None:
        """Process input lines until they run out or /quit; save the history; return where it went."""
        if self.interactive:
            self._write(
                f"Coaching on {self.deal.account} ({self.coach.backend}). /help for commands, /quit to leave.\n"
            )
        try:
            for line in lines:
                text = line.strip()
                if text and not self.handle(text):
                    break
        finally:  # Ctrl-C or a failed turn still keeps the conversation so far
            if self.autosave and self.history.turns and self.saved_to is None:
                self.saved_to = self._save_quietly()
        return self.saved_to

    def _save_quietly(self) -> Path | None:
        try:
            return save_history(None, self.deal, self.history.turns)
        except OSError as exc:  # an unwritable AE_COACH_HOME must not turn the end of a chat into a traceback
            print(
                f"warning: the conversation was not saved ({exc.strerror or exc}); check AE_COACH_HOME", file=sys.stderr
            )
            return None

    def handle(self, text: str) -> bool:
        """Run one line; False means the session is over."""
        if text.startswith("/"):
            name, _, arg = text.partition(" ")
            command = self._commands.get(name.lower())
            if command is None:
                self._write(f"unknown command {name}; /help lists the commands\n")
                return True
            return command(arg.strip())
        wrote = False
        try:
            for chunk in self.coach.chat(self.deal, text, self.history, as_of=self.as_of):
                self._write(chunk)
                wrote = True
        except KeyboardInterrupt:  # Ctrl-C stops this answer; the conversation goes on
            if not self.interactive:
                raise
            self._write("\n(answer stopped; the conversation so far is kept)\n")
            return True
        except BackendError as exc:
            if wrote:
                self._write("\n[answer incomplete: it broke off and was not kept]\n")
            if not self.interactive:
                raise
            self._write(f"\nerror: {exc}\n")
            return True
        if self.log is not None:
            self.log.record(self.history)
        self._write("\n" if self.interactive else "\n\n")
        return True

    def _write(self, text: str) -> None:
        # model answers, deal text in /findings: escape sequences never reach the terminal
        self.out.write(terminal_safe(text))
        self.out.flush()

    def _findings(self, _: str) -> bool:
        for f in self.coach.assess(self.deal, self.as_of).findings:
            self._write(f"{f.severity.value:>8}  {f.code}: {f.title}\n")
        return True

    def _rules(self, _: str) -> bool:
        selection = self.coach.selection_for(self.deal, self.as_of)
        for rule in selection.rules:
            form = "full" if rule.id in selection.full else "summary"
            why = selection.order_reasons.get(rule.id, "")
            self._write(f"{rule.id} ({form}): {rule.title}" + (f"  [{why}]" if why else "") + "\n")
        return True

    def _save(self, arg: str) -> bool:
        try:
            self.saved_to = save_history(Path(arg).expanduser() if arg else None, self.deal, self.history.turns)
        except OSError as exc:
            target = arg or "AE_COACH_HOME"
            self._write(f"not saved: cannot write {target} ({exc.strerror or exc})\n")
            return True
        self._write(f"saved to {self.saved_to}\n")
        return True

    def _help(self, _: str) -> bool:
        self._write(HELP + "\n")
        return True

    def _quit(self, _: str) -> bool:
        return False
