"""Demo content for Portal Kompetensi ASN (pure data, no I/O).

A fictional but realistic slice of a city government modelled on Pemerintah Kota Tanjungpinang:
units, position classes, a competency dictionary with level descriptions, positions with their
technical standards, employees with a coherent supervisor tree, demo login accounts and a set of
development activities. All descriptions were written for this project (short paraphrases, not
regulation text). People are invented; any resemblance to real officials is coincidental.

The seeder (see portal/cli.py `portal demo`) consumes these constants; this module must stay free
of database or framework imports so it can be imported anywhere (tests, bench scripts).

Conventions:
- Unit codes are UPPER-CASE, position keys are lower-case slugs, so a training's `participants`
  list may mix both without ambiguity.
- Technical competency codes are T-<AREA>-<n>: KPG kepegawaian, DKP dukcapil, KES kesehatan,
  KOM kominfo, KEC kecamatan/pemerintahan.
- NIP: birth date YYYYMMDD + appointment YYYYMM + sex digit (1 male, 2 female) + 3-digit serial.
- Training dates are offsets in days relative to the day the demo is seeded.
"""

from __future__ import annotations

from portal.demo.content.competencies import COMPETENCIES
from portal.rules import MANAGERIAL_DEFAULT_LEVEL
from portal.demo.content.organisation import POSITION_CLASSES, POSITIONS, UNITS
from portal.demo.content.people import DEMO_ACCOUNTS, EMPLOYEES
from portal.demo.content.trainings import TRAININGS

__all__ = ["COMPETENCIES", "DEMO_ACCOUNTS", "EMPLOYEES", "MANAGERIAL_DEFAULT_LEVEL", "POSITIONS", "POSITION_CLASSES", "TRAININGS", "UNITS"]
