"""Run the CLI in a child process that file permissions really apply to.

Root ignores permission bits only through the DAC capabilities, so as root the child
drops them from its bounding set (util-linux `setpriv`): the permission tests then
exercise the real kernel refusal instead of being skipped in CI, which runs as root.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CLI = Path(sys.executable).with_name("cleanup")


def run_cli(*args, cwd=None):
    cmd = [str(CLI), *map(str, args)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if not setpriv:
            pytest.skip("root without setpriv cannot drop its file-permission override")
        cmd = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=120)
