"""mda: maritime domain awareness for the Taiwan Strait."""

__version__ = "0.1.0"
