"""simlab."""
