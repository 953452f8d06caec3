"""ui.server.check_abc: the server logs, once, the run that finds a plain list taken for a Mapping."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT
from ui import server

BROKEN = """
import logging
from collections.abc import Mapping
from ui import server
records = []
logging.getLogger("glassbox").addHandler(type("H", (logging.Handler,), {"emit": lambda self, r: records.append(r)})())
assert server.check_abc()  # healthy: nothing logged
assert not records
Mapping.register(list)  # the broken state, made on purpose in this throwaway process
assert not server.check_abc() and not server.check_abc()
assert len(records) == 1, records  # once, not once per run
print(records[0].getMessage())
"""


def test_a_healthy_process_passes() -> None:
    assert server.check_abc()


def test_a_list_taken_for_a_mapping_is_logged_once_with_the_caches_that_say_why() -> None:
    out = subprocess.run([sys.executable, "-c", BROKEN], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    message = out.stdout
    assert "isinstance([], Mapping) is True" in message
    registry = message.split("Mapping {'registry': [", 1)[1].split("]", 1)[0]
    assert "'builtins.list'" in registry  # the dump names how list got in
