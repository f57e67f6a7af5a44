"""Dialogs. Each has an ``ask(...)`` classmethod that runs it and returns the answer."""
