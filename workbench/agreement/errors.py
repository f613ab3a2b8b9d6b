"""The two ways a statistic can refuse its input: ratings it cannot read, and ratings on which it is undefined."""

from __future__ import annotations

from workbench.errors import WorkbenchError


class AgreementError(WorkbenchError, ValueError):
    """Ratings the statistics cannot read: not a coders × units table, labels where numbers are needed, an unknown category."""

    title = "Agreement"


class DegenerateRatings(AgreementError):
    """Ratings on which the statistic is undefined (a single coder, no pairable unit, one category only); `reason` says which."""

    def __init__(self, reason: str, statistic: str = "") -> None:
        super().__init__(f"{statistic} is undefined: {reason}" if statistic else reason)
        self.reason = reason
        self.statistic = statistic
