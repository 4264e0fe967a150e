"""Read models built from the event stream (coverage, audit trail, claims board)."""
