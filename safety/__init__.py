"""Safety checks shared by the Rasa server (NLU component) and the action server."""
