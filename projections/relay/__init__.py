"""The relay: every event of the log published to a NATS JetStream stream, once and in order."""
