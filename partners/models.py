"""Models of the partners app arrive with its issue; see the app's docstring for its scope."""
