"""Webhook deliveries: the subscriptions' delivery state, the worker that POSTs each event to its subscribers
in order, the policy of which targets may be reached, signing and retention."""
