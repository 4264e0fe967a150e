"""Wiring of the read models to the application's event log: the one place both meet."""

from application.config import read_model_url
from application.service import KampungBahagia
from projections.audit import AuditTrail
from projections.claims import ClaimsBoard
from projections.coverage import Coverage
from projections.engine import make_engine
from projections.runner import ProjectionRunner

MODELS = (Coverage, AuditTrail, ClaimsBoard)


def build_runner(service: KampungBahagia, page_size: int = 2000) -> ProjectionRunner:
    runner = ProjectionRunner(
        engine=make_engine(read_model_url(service.env)),
        log=service.recorder,
        mapper=service.mapper,
        models=[model() for model in MODELS],
        page_size=page_size,
    )
    runner.setup()
    return runner
