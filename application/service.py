"""The programme's application service: one method per use case, in a module per aggregate.

Each command loads the aggregates it needs, asks them to act (they check the rules), and saves
every resulting event in one transaction (``application/base.py``). Nothing is recorded when a
rule refuses. All of them share one event store, so the notification log orders every event of
the programme.
"""

from application.accounts import Accounts
from application.activities import Activities
from application.claims import Claims
from application.rts import RTs


class KampungBahagia(Accounts, RTs, Activities, Claims):
    """RTs, activities, claims and accounts over one store."""
