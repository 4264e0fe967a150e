"""Group commit: the commands of one process that save at about the same moment share one transaction.

Every insert into the events table is a transaction of its own, and on PostgreSQL it also takes the
table's EXCLUSIVE lock (so that positions in the log are in commit order): concurrent commands queue
for it one at a time. Here a command hands its encoded events to the writer instead. The first to
find no write under way writes everything queued by then, after waiting up to ``window`` seconds
for the commands still computing in this process to queue theirs; commands that queue while it
writes go together in the next write. A command alone (no other computing) writes at once, so a
single client's latency does not grow.

A transaction is all or nothing. If the store refuses a group because one of its events takes a
version someone else has (a conflict), nothing of the group is saved and each command's events are
written again in a transaction of their own: the conflicting command is refused alone, the others
are saved. Any other failure of the group (the store unreachable or busy) is each member's failure,
nothing saved. Every caller gets its own recordings (its events' positions in the log) or its own
error, and only once its events are committed, so reading one's own writes after a command holds.
"""

from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from threading import Condition
from time import monotonic
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, IntegrityError, Mapper, Notification, Recording

from domain.errors import InvalidValue

WINDOW_VARIABLE = "KAMPUNG_GROUP_COMMIT_MS"
DEFAULT_WINDOW_MS = 2.0
MAX_WINDOW_MS = 100.0


def window_of(env: Mapping[str, str]) -> float | None:
    """Seconds the writer waits for computing commands (``$KAMPUNG_GROUP_COMMIT_MS``); None: ``off``,
    each command writes alone."""
    value = (env.get(WINDOW_VARIABLE) or "").strip().lower()
    if value == "off":
        return None
    try:
        milliseconds = float(value) if value else DEFAULT_WINDOW_MS
    except ValueError:
        milliseconds = -1.0
    if not 0 <= milliseconds <= MAX_WINDOW_MS:
        raise InvalidValue("KAMPUNG_GROUP_COMMIT_MS must be milliseconds from 0 to 100, or off", WINDOW_VARIABLE)
    return milliseconds / 1000


@dataclass
class _Pending:
    events: Sequence[Any]
    stored: list[Any]
    recordings: list[Recording] = field(default_factory=list)
    error: BaseException | None = None
    written: bool = False
    done: bool = False


class _Command:
    """A command running in this process, counted as computing until its first save is queued."""

    __slots__ = ("writer", "computing", "token")

    def __init__(self, writer: "GroupCommit"):
        self.writer = writer
        self.computing = True

    def __enter__(self) -> None:
        self.writer._count_computing(1)
        self.token = _command.set(self)

    def __exit__(self, *exc_info: object) -> None:
        _command.reset(self.token)
        if self.computing:  # it ended without saving (refused, or it only read)
            self.writer._count_computing(-1)


_command: ContextVar[_Command | None] = ContextVar("kampung_group_commit_command", default=None)


class GroupCommit:
    def __init__(self, mapper: Mapper, recorder: ApplicationRecorder, window: float | None):
        """``window`` None: every command is written alone, in its own thread."""
        self.mapper = mapper
        self.recorder = recorder
        self.window = window
        self._changed = Condition()
        self._queue: list[_Pending] = []
        self._writing = False
        self._computing = 0  # commands running in this process that have not queued a save yet

    def command(self) -> _Command:
        """Around a command (``with``): the writer may wait for it while it computes."""
        return _Command(self)

    def record(self, events: Sequence[Any]) -> list[Recording]:
        """Store ``events`` (one command's, in one transaction with whatever else is queued)."""
        if not events:
            return []
        pending = _Pending(events, [self.mapper.to_stored_event(event) for event in events])
        if self.window is None:
            self._write([pending])
        else:
            self._join(pending)
        if pending.error is not None:
            raise pending.error
        return pending.recordings

    def _count_computing(self, change: int) -> None:
        with self._changed:
            self._computing += change
            self._changed.notify_all()

    def _join(self, pending: _Pending) -> None:
        command = _command.get()
        with self._changed:
            self._queue.append(pending)
            if command is not None and command.computing:
                command.computing = False
                self._computing -= 1
                self._changed.notify_all()
            while not pending.done:
                if self._writing:
                    self._changed.wait()
                else:
                    self._lead()

    def _lead(self) -> None:
        """Write the queue (lock held on entry and exit, released while writing)."""
        self._writing = True
        if self._computing and self.window:
            deadline = monotonic() + self.window
            while self._computing > 0 and (left := deadline - monotonic()) > 0:
                self._changed.wait(left)
        group, self._queue = self._queue, []
        self._changed.release()
        try:
            self._write(group)
        finally:
            self._changed.acquire()
            self._writing = False
            self._changed.notify_all()

    def _write(self, group: list[_Pending]) -> None:
        try:
            if len(group) > 1 and self._written_together(group):
                return
            for pending in group:
                try:
                    self._insert([pending])
                except Exception as error:  # noqa: BLE001 - the caller's own outcome, raised in its thread
                    pending.error = error
        except BaseException as error:  # interrupted: whoever is not known to be written gets this too
            for pending in group:
                if not pending.written and pending.error is None:
                    pending.error = error
            raise
        finally:
            for pending in group:
                pending.done = True

    def _written_together(self, group: list[_Pending]) -> bool:
        """False when a conflict refused the group, so each must be written alone."""
        try:
            self._insert(group)
        except IntegrityError:
            return False
        except Exception as error:  # noqa: BLE001 - the group's failure is each member's
            for pending in group:
                pending.error = error
        return True

    def _insert(self, group: list[_Pending]) -> None:
        ids = self.recorder.insert_events([stored for pending in group for stored in pending.stored])
        position = iter(ids or ())
        for pending in group:
            pending.written = True
            pending.recordings = [] if not ids else [
                Recording(event, Notification(originator_id=stored.originator_id,
                                              originator_version=stored.originator_version, topic=stored.topic,
                                              state=stored.state, id=next(position)))
                for event, stored in zip(pending.events, pending.stored, strict=True)
            ]
