"""Tracker stores registered by module path in endpoints.yml."""
import log_redaction
import rasa_patches

rasa_patches.apply()
log_redaction.register()
