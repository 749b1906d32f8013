"""What reads across every area: an associate's whole file at once (`file`), and the inbox of
what is due or overdue in the actor's scope (`inbox`).

The one package that imports the areas' faces side by side; no area imports it.

Face: `file` and `inbox`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("file", "inbox")
