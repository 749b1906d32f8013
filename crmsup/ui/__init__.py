"""PySide6 lives here and nowhere else in crmsup."""
