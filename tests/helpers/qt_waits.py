"""How long the UI tests wait for the window's background work."""

#: For a database to open (creating one runs every migration): an upper bound for a loaded
#: machine, not a speed target — each wait ends as soon as the database is open.
OPENING_MS = 60_000
