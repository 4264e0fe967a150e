"""How many gunicorn workers and threads ``kampung serve`` starts when the operator names none."""

from interfaces.cli.server import sizing

SQLITE = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": "var/kampung.sqlite"}
POSTGRES = {"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": "kampung"}


def test_sqlite_is_served_by_one_process_whose_threads_queue_for_its_one_writer():
    assert sizing(SQLITE) == (1, 16)


def test_postgresql_is_served_by_several_processes():
    assert sizing(POSTGRES) == (2, 8)


def test_workers_and_threads_the_operator_names_win():
    assert sizing(SQLITE, workers=3) == (3, 16)
    assert sizing(POSTGRES, threads=4) == (2, 4)
