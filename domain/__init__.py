"""Atelier's rules: entities, services, policies, events, errors and the ports they need.

Plain Python only: no outer layer and no third-party library is imported here
(an import-linter contract in pyproject.toml keeps it so).
"""
