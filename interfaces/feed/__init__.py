"""The event feed for integrators: the events as CloudEvents (paged and as a server-sent stream),
the catalogue of event types, and webhooks that push them to subscribers, signed per Standard
Webhooks."""
