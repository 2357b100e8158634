"""Rules of the routing area."""
