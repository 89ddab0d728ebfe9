"""Data Master (/data-master, HR): the lists of master data (`lists`) and the imports from spreadsheets
(`imports`, /data-master/impor)."""

from portal.web.master import imports, lists

CONTROLLERS = [
    lists.MasterHomeController,  # /data-master
    lists.EmployeeListController,  # /data-master/pegawai
    lists.UnitListController,  # /data-master/unit
    lists.CompetencyListController,  # /data-master/kompetensi
    lists.TrainingListController,  # /data-master/pelatihan
    imports.ImportController,  # /data-master/impor
]
