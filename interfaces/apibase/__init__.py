"""The base of the JSON API's blueprints, below both the API's resources (``api/``) and the event feed
(``feed/``): bearer tokens, JSON bodies only, idempotent POSTs, problem documents."""
