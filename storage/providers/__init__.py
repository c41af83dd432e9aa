"""Image providers: the adapters behind domain.studio.ports.ImageProvider."""
