"""simlab's user configuration: ``$SIMLAB_CONFIG`` or ``~/.config/simlab/config.toml``.

Only settings live there, never a secret: a key in the file is refused (the API key comes
from the environment alone)::

    [claude]
    model = "claude-sonnet-4-6"
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from simlab.errors import PlanError

CONFIG_ENV = "SIMLAB_CONFIG"
SECRET_KEYS = re.compile(r"key|token|secret|password", re.IGNORECASE)


def config_path() -> Path:
    """Where the configuration is read from (it need not exist)."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "simlab" / "config.toml"


def read_config(path: Path | None = None) -> dict[str, Any]:
    """The configuration as a dict ({} if there is no file); PlanError on a bad file."""
    target = path or config_path()
    if not target.is_file():
        return {}
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"cannot read the configuration: {exc}", file=str(target)) from None
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise PlanError(
            f"the configuration is not valid TOML: {exc}",
            file=str(target),
            line=int(line.group(1)) if line else None,
            hint='write e.g.\n[claude]\nmodel = "claude-sonnet-4-6"',
        ) from None
    for section, values in data.items():
        names = values if isinstance(values, dict) else {section: values}
        for name in names:
            if SECRET_KEYS.search(name):
                raise PlanError(
                    f"the configuration holds '{name}': secrets never go in a file",
                    file=str(target),
                    section=section,
                    hint="remove it; set ANTHROPIC_API_KEY in the environment instead",
                )
    return data


def claude_setting(name: str) -> Any:
    """``[claude] name`` from the configuration, or None."""
    section = read_config().get("claude", {})
    if not isinstance(section, dict):
        raise PlanError("[claude] in the configuration must be a table", file=str(config_path()))
    return section.get(name)
