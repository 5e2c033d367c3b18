"""The OneRoster 1.1 CSV roster import: schools, students, counselors, demographics and the
course records of catalogue classes, from a district's bulk (or delta) export.

    source.py    a zip or a folder, and the checks an upload must pass
    tables.py    one CSV file -> records (forgiving real exports' quirks)
    fields.py    one value -> its Python value, or why it is bad
    rows.py      one dataclass per kind of row, and how each is read
    manifest.py  which files the export holds
    export.py    the whole export -> typed rows by sourcedId
    plan.py      what will be written, and the rule for changing a record
    schools.py, people.py, demographics.py, records.py   the planners, file by file
    write.py     the plan -> bulk writes
    importer.py  import_roster(): read, check, write in one transaction if nothing is bad
    services.py  the ImportRun lifecycle (the task and the command call it)
"""
