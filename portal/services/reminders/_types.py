"""The shapes of the reminders area: who owes what (Recipient, Item), what HR's button reaches (Target),
what a run would do (Plan) and what it did (BatchResult)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.services.reports.filters import Filters

# the kinds HR's button sends, by the monitoring list's `jenis` and the JP report
L1_SURVEY = "l1_survey"
L3_RATING = "l3_rating"
AKPK_SELF = "akpk_self"
AKPK_TEAM = "akpk_team"
JP_TARGET = "jp_target"
# the daily job (`portal reminders send`): every kind of pending task; never the JP target, which HR
# sends from its report when it chooses to (a reminder every few days about a yearly figure is noise)
JOB_KINDS = (L1_SURVEY, L3_RATING, AKPK_SELF, AKPK_TEAM)


@dataclass(frozen=True)
class Item:
    """One thing a reminder names. L1: a training's survey (`target_id` the invitation); L3: the rating of
    an alumnus (`person`) after a training (`target_id` the enrollment), `late` when past its window;
    AKPK self: the cycle; AKPK team: a direct report (`person`) in the cycle (`title`)."""

    title: str
    due: date | None = None
    person: str = ""
    target_id: int | None = None
    late: bool = False


@dataclass(frozen=True)
class Recipient:
    """One person and one kind of reminder, with everything of that kind they have pending (not only
    what the scope of HR's button selected them by: the e-mail is their reminder of that kind for the
    next days). JP: `jp` credited in `year`, `items` empty."""

    employee_id: int
    nip: str
    name: str
    email: str | None
    kind: str
    items: tuple[Item, ...] = ()
    jp: int = 0
    year: int = 0

    @property
    def count(self) -> int:
        """What the record keeps: how many items the reminder named (1 for the JP target)."""
        return len(self.items) if self.items else 1


@dataclass(frozen=True)
class Target:
    """What HR's button reminds of and whom: a kind (l1_survey, l3_rating or jp_target) and the people
    of a report's period and unit (`filters`), or of one training (`training_id`, any period)."""

    kind: str
    filters: Filters | None = None
    training_id: int | None = None


@dataclass
class Plan:
    """Who would get a reminder now (`to_send`, at most `limit` of them: the rest are `deferred` to
    the next run or press), who is skipped because reminded of that kind within the interval
    (`recent`) or for lack of an e-mail address (`no_email`)."""

    to_send: list[Recipient] = field(default_factory=list)
    recent: list[Recipient] = field(default_factory=list)
    no_email: list[Recipient] = field(default_factory=list)
    deferred: list[Recipient] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.to_send or self.recent or self.no_email or self.deferred)


@dataclass(frozen=True)
class Failure:
    recipient: Recipient
    code: str  # portal.mail.SendResult.code
    reason: str


@dataclass
class BatchResult:
    """What a run did. `not_configured`: SMTP is not set up, nothing was sent or recorded. `recent`
    includes those another sender claimed while this run went on."""

    plan: Plan
    sent: list[Recipient] = field(default_factory=list)
    recent: list[Recipient] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    not_configured: bool = False
    dry_run: bool = False

    @property
    def no_email(self) -> list[Recipient]:
        return self.plan.no_email

    @property
    def deferred(self) -> list[Recipient]:
        return self.plan.deferred

    def counts(self) -> str:
        """For the audit log and the command's output: counts only, never names or content."""
        return (
            f"sent={len(self.sent)} skipped_recent={len(self.recent)} skipped_no_email={len(self.no_email)} "
            f"failed={len(self.failed)} deferred={len(self.deferred)}"
        )
