"""Tracker stores registered by module path in endpoints.yml."""
