"""The ``kampung`` command line: ``main.py`` is the group; a module per area of commands."""
