"""Who acts in the demo's history, and the accounts to try it with."""

from datetime import date

from application.demo.timeline import FIRST_RT, at
from domain.actor import Actor
from domain.rt import rt_code

ADMIN = Actor("admin.dpmppa", "admin")
# One account per role to try the demo with (README, "Try it"): user name, role, RT, password. The
# admin, the claim officer and the Ketua RT of RT 014 Kenali Asam are people of the demo's history.
# Published passwords: a demo store only, never production.
DEMO_ACCOUNTS = (
    ("admin.dpmppa", "admin", None, "demo-admin-2025"),
    ("ketua.1571071012.rt014", "ketua_rt", rt_code(*FIRST_RT), "demo-ketua-2025"),
    ("petugas.klaim.1", "claim_officer", None, "demo-petugas-2025"),
    ("auditor.inspektorat", "auditor", None, "demo-auditor-2025"),
    ("integrasi.bpjstk", "integrator", None, "demo-integrator-2025"),
)
# After the RTs are registered (28 July 2025), before they are enrolled.
ACCOUNTS_OPENED_AT = at(date(2025, 7, 31), 9)
