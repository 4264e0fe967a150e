"""Who did it: every event carries the acting user and the role they acted in."""

from dataclasses import dataclass

from domain.errors import InvalidValue

ROLES = ("admin", "ketua_rt", "claim_officer", "auditor", "integrator", "system")


@dataclass(frozen=True)
class Actor:
    user_id: str
    role: str
    # The RT a Ketua RT acts for: their authority ends at its boundary. Events recorded before
    # accounts existed carry no RT, hence the default.
    rt_code: str | None = None

    def __post_init__(self) -> None:
        if not self.user_id or len(self.user_id) > 64 or not self.user_id.isprintable():
            raise InvalidValue("actor user id must be 1–64 printable characters", "actor")
        if self.role not in ROLES:
            raise InvalidValue(f"unknown role {self.role!r}; one of {', '.join(ROLES)}", "actor")
        if self.rt_code is not None and self.role != "ketua_rt":
            raise InvalidValue("only a Ketua RT acts for an RT", "actor")

    def __str__(self) -> str:
        return f"{self.user_id} ({self.role})"


SYSTEM = Actor("system", "system")
