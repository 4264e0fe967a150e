"""Ways in: the web app, the JSON API, the event feed and the ``kampung`` CLI."""
