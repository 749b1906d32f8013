"""crmsup: encrypted personnel records for call-centre supervisors."""

__version__ = "0.1.0"
