"""Workspaces: lazy record tables over the read side, their views and reading panes."""
