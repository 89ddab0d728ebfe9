"""The import kinds, in the order HR loads a year: units before positions before employees, trainings
before their participants."""

from __future__ import annotations

from portal.services.imports.employees import EmployeeImport
from portal.services.imports.enrollments import EnrollmentImport
from portal.services.imports.plan import Kind
from portal.services.imports.positions import PositionImport
from portal.services.imports.trainings import TrainingImport
from portal.services.imports.units import UnitImport

KINDS: dict[str, Kind] = {k.slug: k for k in (UnitImport(), PositionImport(), EmployeeImport(), TrainingImport(), EnrollmentImport())}
