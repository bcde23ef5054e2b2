"""Tracker stores registered by module path in endpoints.yml."""
import rasa_patches

rasa_patches.apply()
