"""Marshmallow schemas: the shape of every command and query coming in, shared by the web forms
and the JSON API, so both validate the same way and speak the same field names."""
