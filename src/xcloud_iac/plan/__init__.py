"""Offline planning and pictures of a stack: topology graphs (Mermaid, DOT, PNG/SVG)."""
