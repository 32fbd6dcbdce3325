"""What serving the project on a network needs beyond the corpus itself.

One module per concern, each wired in by the settings (their section "Serving on a network") or the
URLs, each saying in its docstring why it is there.
"""
