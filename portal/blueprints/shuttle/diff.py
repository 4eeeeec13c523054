"""What changed between two versions of a route: stops added, removed, times moved, vehicle."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from portal.blueprints.shuttle.models import Stop, Version


@dataclass
class Moved:
    stop: Stop
    old: str
    new: str


@dataclass
class Diff:
    added: list = field(default_factory=list)  # StopTime of the newer version
    removed: list = field(default_factory=list)  # StopTime of the older version
    moved: list[Moved] = field(default_factory=list)
    vehicle: tuple | None = None  # ((plate, seats), (plate, seats))
    driver: bool = False  # the name or phone changed (the diff never shows the phone)
    weekdays: tuple | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.moved or self.vehicle or self.driver
                    or self.weekdays)


def diff(old: Version | None, new: Version) -> Diff:
    """The changes from `old` to `new` (everything is added when there is no `old`)."""
    result = Diff()
    before = {t.stop_id: t for t in old.times} if old else {}
    after = {t.stop_id: t for t in new.times}
    result.added = [t for t in new.times if t.stop_id not in before]
    result.removed = [t for t in (old.times if old else []) if t.stop_id not in after]
    result.moved = [Moved(t.stop, before[t.stop_id].time, t.time) for t in new.times
                    if t.stop_id in before and before[t.stop_id].time != t.time]
    if old is None:
        return result
    if (old.plate, old.seats) != (new.plate, new.seats):
        result.vehicle = ((old.plate, old.seats), (new.plate, new.seats))
    result.driver = (old.driver_name, old.driver_phone) != (new.driver_name, new.driver_phone)
    if old.weekdays != new.weekdays:
        result.weekdays = (old.weekdays, new.weekdays)
    return result


def change_at_stop(changes: Diff, stop: Stop, new: Version) -> str:
    """One sentence, in the current language, on what the change means at `stop`."""
    for moved in changes.moved:
        if moved.stop.id == stop.id:
            return _("Your stop %(stop)s: %(old)s → %(new)s.", stop=stop.name, old=moved.old,
                     new=moved.new)
    if any(t.stop_id == stop.id for t in changes.removed):
        return _("Your stop %(stop)s is no longer served by this route.", stop=stop.name)
    if any(t.stop_id == stop.id for t in changes.added):
        return _("Your stop %(stop)s is now served, at %(new)s.", stop=stop.name,
                 new=new.time_at(stop.id))
    time = new.time_at(stop.id)
    if time:
        return _("Your stop %(stop)s keeps its time, %(new)s.", stop=stop.name, new=time)
    return _("Your stop %(stop)s is not on this route.", stop=stop.name)
