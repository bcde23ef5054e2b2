"""Tracker stores registered by module path in endpoints.yml."""
import rasa_speedups

rasa_speedups.apply()
