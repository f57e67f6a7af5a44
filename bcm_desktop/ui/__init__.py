"""The Qt user interface: main window, workspaces, forms and dialogs."""
