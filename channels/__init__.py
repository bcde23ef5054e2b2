"""Input channels registered by module path in credentials.yml."""
import rasa_speedups

rasa_speedups.apply()
