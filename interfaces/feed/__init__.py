"""The event feed for integrators: the events as CloudEvents, paged and as a server-sent stream, and
the catalogue of event types with their JSON Schemas. (The webhook deliveries and the relay to NATS,
which consume the log, live in ``projections/``.)"""
