"""The business domain: plain Python entities, enums, money and rules (no Qt, no SQL)."""
