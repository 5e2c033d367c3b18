"""Models of the pathways app arrive with its issue; see the app's docstring for its scope."""
