"""`python -m crmsup` opens the desktop app."""

from crmsup.app import main

if __name__ == "__main__":
    raise SystemExit(main())
