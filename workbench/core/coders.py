"""Who is working: the name an action is logged under when nobody says otherwise."""

from __future__ import annotations

import getpass
import os

#: The name used when neither $WORKBENCH_USER nor the login name is known (a container without a user entry).
FALLBACK_CODER = "coder"


def default_coder() -> str:
    """$WORKBENCH_USER, else the login name, else "coder": the default of the CLI's --as and the TUI's coder."""
    name = os.environ.get("WORKBENCH_USER", "").strip()
    if name:
        return name
    try:
        name = getpass.getuser().strip()
    except (KeyError, OSError):
        # getpass raises when the uid has no passwd entry and no LOGNAME/USER is set, as in many containers.
        return FALLBACK_CODER
    return name or FALLBACK_CODER
