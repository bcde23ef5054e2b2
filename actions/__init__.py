"""Custom actions of the therapist-tears guide, one module per concern.

Content (perspectives, suggestions, research, crisis lines) lives in data/; these modules only
choose and render it.
"""
