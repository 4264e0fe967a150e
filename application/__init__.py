"""Use cases of the Kampung Bahagia programme: the commands, the rule data, the store."""
