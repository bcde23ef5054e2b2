"""Reading what a message is about: the situation values (situation.py) and its scope (scope.py)."""
