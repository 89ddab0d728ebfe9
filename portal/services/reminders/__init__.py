"""Reminders that reach people who do not log in (issue 15): e-mails through SMTP (`portal.mail`) about
pending L1 surveys, due L3 ratings (to the supervisor), the open AKPK self-assessment and a supervisor's
missing AKPK assessments, from the daily job (`portal reminders send`) and from HR's "Kirim pengingat"
(also the JP target, from the JP report); and WhatsApp click-to-chat numbers for HR's follow-up list.

Modules:
- `_types`: Recipient, Item, Target, Plan, BatchResult and the kinds;
- `pending`: who owes what now, one set-based query per kind (`for_job`, `for_target`);
- `batch`: `plan` (skip who was reminded of that kind within PORTAL_REMINDER_INTERVAL_DAYS, or has no
  e-mail address) and `deliver` (claim the record row, send, give it back on failure);
- `messages`: the words of each e-mail (`compose`), with absolute links (PORTAL_BASE_URL);
- `jobs`: the scheduled run (`send_reminders`);
- `hr`: HR's button (`preview`, `send`);
- `whatsapp`: the number a wa.me link needs (`whatsapp_number`).

Recorded per reminder: person, kind, day, number of items (table `remindersend`); per run: an audit
event with counts. Never the text, the address or what it named. Only people who have NOT done a task
are ever reminded of it; nothing here reads survey responses (docs/anonymity.md).
Takes a Session, returns dataclasses; never imports the web layer.
"""

from portal.services.reminders._types import (
    AKPK_SELF,
    AKPK_TEAM,
    JOB_KINDS,
    JP_TARGET,
    L1_SURVEY,
    L3_RATING,
    BatchResult,
    Failure,
    Item,
    Plan,
    Recipient,
    Target,
)
from portal.services.reminders.batch import deliver, plan, recently_reminded
from portal.services.reminders.hr import WEB_LIMIT, Preview, preview, send, training_title
from portal.services.reminders.jobs import send_reminders
from portal.services.reminders.messages import Message, compose
from portal.services.reminders.whatsapp import whatsapp_number

__all__ = [
    "AKPK_SELF",
    "AKPK_TEAM",
    "JOB_KINDS",
    "JP_TARGET",
    "L1_SURVEY",
    "L3_RATING",
    "WEB_LIMIT",
    "BatchResult",
    "Failure",
    "Item",
    "Message",
    "Plan",
    "Preview",
    "Recipient",
    "Target",
    "compose",
    "deliver",
    "plan",
    "preview",
    "recently_reminded",
    "send",
    "send_reminders",
    "training_title",
    "whatsapp_number",
]
