"""Rules of the shape area."""
