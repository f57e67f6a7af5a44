"""BCM Desktop: sales opportunities from first contact to won or lost."""

__version__ = "0.1.0"
