"""Data Master (/data-master, HR): the lists of master data (`lists`), employees (`people`), units and
positions (`organisation`), the imports from spreadsheets (`imports`, /data-master/impor) and the employees' correction requests
(`corrections`, /data-master/koreksi)."""

from portal.web.master import corrections, imports, lists, organisation, people

CONTROLLERS = [
    lists.MasterHomeController,  # /data-master
    people.EmployeeController,  # /data-master/pegawai
    organisation.UnitController,  # /data-master/unit
    organisation.PositionController,  # /data-master/jabatan
    lists.CompetencyListController,  # /data-master/kompetensi
    lists.TrainingListController,  # /data-master/pelatihan
    imports.ImportController,  # /data-master/impor
    corrections.CorrectionController,  # /data-master/koreksi
]
