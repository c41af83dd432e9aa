"""Image providers: the adapters behind domain.ports.ImageProvider."""
