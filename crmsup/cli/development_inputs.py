"""Inputs shared by the `development`, `coaching` and `scorecard` commands: a long text given
as an option or a file, and the short id of a record to link to."""

from __future__ import annotations

import argparse
from pathlib import Path

from crmsup.cli.review_template_commands import read_text


def text_options(parser: argparse.ArgumentParser, stem: str, *, required: bool = False) -> None:
    """`--STEM TEXT` or `--STEM-file F` (one of them when `required`)."""
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument(f"--{stem}", metavar="TEXT", help='"" clears it')
    group.add_argument(f"--{stem}-file", type=Path, metavar="F")


def text_option(args: argparse.Namespace, stem: str) -> str | None:
    """The text of `--STEM` or `--STEM-file` (None when neither was given)."""
    attr = stem.replace("-", "_")
    path: Path | None = getattr(args, f"{attr}_file")
    text: str | None = getattr(args, attr)
    return read_text(path) if path is not None else text


def link_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", metavar="ID", help='link a development plan ("" unlinks)')
    parser.add_argument("--discipline", metavar="ID", help='link a discipline record ("" unlinks)')
