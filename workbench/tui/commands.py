"""Every action of the current screen in Textual's command palette, found by its name."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenActions(Provider):
    """The actions the current screen binds to keys, so each can also be run by name (ctrl+p)."""

    def _commands(self) -> list[tuple[str, str, str]]:
        """(name, help, action) of every binding with a description; quitting is in the palette already."""
        seen: set[str] = set()
        commands = []
        for binding in type(self.screen).BINDINGS:
            if not isinstance(binding, Binding) or not binding.description or binding.action in ("app.quit", "quit"):
                continue
            if binding.action in seen:
                continue
            seen.add(binding.action)
            keys = binding.key_display or binding.key.split(",")[0]
            commands.append((binding.description, binding.tooltip or f"key: {keys}", binding.action))
        return commands

    async def discover(self) -> Hits:
        """List the screen's actions when nothing is typed yet."""
        for name, help_text, action in self._commands():
            yield DiscoveryHit(name, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """The screen's actions whose name matches what was typed."""
        matcher = self.matcher(query)
        for name, help_text, action in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.screen.run_action, action), help=help_text)
