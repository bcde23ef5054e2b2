"""Input channels registered by module path in credentials.yml."""
import log_redaction
import rasa_patches

rasa_patches.apply()
log_redaction.register()
