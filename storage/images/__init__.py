"""Pillow: inspecting uploads, reading other tools' metadata, drawing procedural images."""
