"""Use cases: every business rule and permission, the same for a form, a bulk action or a test."""
