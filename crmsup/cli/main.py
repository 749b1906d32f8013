"""Entry point of `crmsup-admin`: run one command and map its outcome to an exit code."""

from __future__ import annotations

import logging
import os
import sys

from crmsup.cli.context import Context, UsageError
from crmsup.cli.parser import build_parser
from crmsup.records.errors import CrmsupError, exit_code_for
from crmsup.settings import Settings

log = logging.getLogger("crmsup.cli")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(args=args, settings=Settings.load(args.db))
    try:
        code: int = args.handler(ctx)
        return code
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"crmsup-admin: error: {exc}", file=sys.stderr)
        return 2
    except CrmsupError as exc:
        print(f"crmsup-admin: {exc}", file=sys.stderr)
        return exit_code_for(exc)
    except KeyboardInterrupt:
        print("crmsup-admin: interrupted; nothing more was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`crmsup-admin associate list | head`): that is not an
        # error. Point stdout at nothing so that the interpreter's final flush is quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if os.environ.get("CRMSUP_DEBUG") == "1":
            raise
        # The message of an unexpected error might quote data: print only its kind.
        print(
            f"crmsup-admin: unexpected error ({type(exc).__name__}); "
            "run again with CRMSUP_DEBUG=1 to see the details",
            file=sys.stderr,
        )
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
