"""Entities and value objects, as frozen dataclasses that storage maps rows into."""
