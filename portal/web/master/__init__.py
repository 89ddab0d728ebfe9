"""Data Master (/data-master, HR): the lists of master data (`lists`), employees (`people`), units and
positions (`organisation`), the imports from spreadsheets (`imports`, /data-master/impor), the employees' correction requests
(`corrections`, /data-master/koreksi) and one-time links into the accounts (`activation`, /data-master/aktivasi)."""

from portal.web.master import activation, corrections, imports, lists, organisation, people

CONTROLLERS = [
    lists.MasterHomeController,  # /data-master
    people.EmployeeController,  # /data-master/pegawai
    organisation.UnitController,  # /data-master/unit
    organisation.PositionController,  # /data-master/jabatan
    lists.CompetencyListController,  # /data-master/kompetensi
    lists.TrainingListController,  # /data-master/pelatihan
    imports.ImportController,  # /data-master/impor
    corrections.CorrectionController,  # /data-master/koreksi
    activation.PersonLinkController,  # /data-master/pegawai/{id}/aktivasi
    activation.UnitLinksController,  # /data-master/aktivasi
]
