"""The Kampung Bahagia domain: RT, Activity and Claim aggregates, their events and rules.

Pure Python on ``eventsourcing.domain``: no I/O, no web framework, no SQL.
"""
