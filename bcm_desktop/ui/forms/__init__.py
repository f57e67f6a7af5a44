"""Record forms: separate windows with General, Details and History pages."""
