"""`crmsup-admin … | head`: a reader that goes away early is not an error."""

from __future__ import annotations

import subprocess
import sys

# A command whose output is far longer than a pipe's buffer, run through the real `main`.
_SCRIPT = """
import argparse, sys
from crmsup.cli import main as cli

def _long(ctx):
    for n in range(200_000):
        print(f"line {n}")
    return 0

def _parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.set_defaults(handler=_long)
    return parser

cli.build_parser = _parser
sys.exit(cli.main([]))
"""


def test_a_closed_pipe_ends_quietly_with_exit_0() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", _SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == b"line 0\n"
    process.stdout.close()  # as `head -1` does
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert err == b""
