"""Input channels registered by module path in credentials.yml."""
import rasa_patches

rasa_patches.apply()
