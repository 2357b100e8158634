"""Rules of the dns area."""
