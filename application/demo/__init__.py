"""The demo data set: the 67 pilot RTs of Program Kampung Bahagia with their activities and claims,
from the pilot's start in 2025 up to a given today and on into the weeks after it.

``plan`` draws the history as data (``rts``, ``activities``, ``claims``, ``claim_steps`` and the
``people`` and ``timeline`` they use); ``steps`` turns it into the service's commands and
``loader`` runs them into a store.
"""
