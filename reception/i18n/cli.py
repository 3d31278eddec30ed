"""Messages of the command line (report, export, backup) and the reasons the OS gives.

The older ``cli.*`` keys (error, demo_done, backup_done, bad_date, …) live in core.py.
"""

MESSAGES = {
    "cli.no_such_database": ("没有这个数据库:{path}", "no such database: {path}"),
    "cli.empty_database": ("数据库文件是空的:{path}", "the database file is empty: {path}"),
    "cli.older_schema": ("数据库来自旧版本的 reception(版本 {revision}),需要先升级才能读取;"
                         "请用 reception --db {path} 打开一次(会先保留一份副本)",
                         "the database is from an older reception (schema {revision}) and "
                         "must be upgraded before it can be read: open it once with "
                         "reception --db {path} (a copy is kept first)"),
    "cli.not_reception": ("不是 reception 的数据库(没有版本信息):{path}",
                          "not a reception database (it has no schema version): {path}"),
    "cli.no_such_date": ("没有这一天:{value}", "no such date: {value}"),
    "cli.date_out_of_range": ("日期应在 {first} 到 {last} 之间:{value}",
                              "the date must be from {first} to {last}: {value}"),
    "cli.cannot_use": ("无法使用 {path}:{reason}", "cannot use {path}: {reason}"),
    "cli.backup_same_file": ("备份文件不能是数据库本身:{path}",
                             "the backup cannot be the database itself: {path}"),
    "cli.exposed": ("注意:这台电脑上的其他用户可以读取 {path}(权限 {mode}),其中有顾客的姓名和电话;"
                    "请执行 chmod go-rwx {path}",
                    "warning: other users of this computer can read {path} (mode {mode}), "
                    "customers' names and phones included; run: chmod go-rwx {path}"),
    "check.clean": ("没有发现问题:数据库完整,记录之间的引用都对得上",
                    "No problems: the database is whole and its records refer to each other "
                    "correctly"),
    "check.unreadable": ("数据库文件已损坏,无法读取(SQLite:{reason})",
                         "The database file is damaged and cannot be read (SQLite: {reason})"),
    "check.cut_short": ("文件不完整:只有 {have} 页,文件头记录应有 {pages} 页(复制中断或磁盘已满?)",
                        "The file is cut short: {have} of its {pages} pages are there (a copy "
                        "stopped halfway, or the disk was full?)"),
    "check.pages_damaged": ("数据库文件已损坏:{count} 处数据页有问题",
                            "The database file is damaged: {count} problems in its pages"),
    "check.indexes_damaged": ("索引与数据不一致:{names}",
                              "Indexes do not match their data: {names}"),
    "check.detail": ("  SQLite:{text}", "  SQLite: {text}"),
    "check.restore": ("请用最近一次备份恢复(reception backup 会先检查备份是否完好)",
                      "Restore the latest backup (reception backup checks each copy it makes)"),
    "check.reindex": ("数据本身完好;请经理在所有终端退出后执行 REINDEX 重建索引",
                      "The data itself is whole: with every terminal closed, REINDEX rebuilds "
                      "the indexes"),
    "check.references": ("{table} 有 {count} 条记录指向不存在的 {parent}(行 {rows})",
                         "{count} {table} records refer to a {parent} that does not exist "
                         "(rows {rows})"),
    "cli.backup_damaged": ("备份的副本不完好,没有保留(源数据库可能已损坏,请运行 reception "
                           "check):{path}",
                           "the copy is not whole and was not kept (the database may be "
                           "damaged: run reception check): {path}"),
    "list_export.callbacks": ("回访汇总", "Callbacks"),
    "list_export.unknown": ("没有这个列表:{kind}", "no such list: {kind}"),
    "list_export.format": ("列表只能导出为 csv 或 xlsx:{fmt}",
                           "a list is exported as csv or xlsx: {fmt}"),
    "list_export.order": ("结束日期 {last} 早于开始日期 {first}",
                          "the end {last} is before the start {first}"),
    "list_export.xlsx_needs_file": ("xlsx 需要用 -o 指定文件", "xlsx needs a file: -o FILE.xlsx"),
    "list_export.no_consultant": ("这个月没有这位咨询师:{name}",
                                  "no such consultant this month: {name}"),
    "import.field.name": ("姓名", "name"),
    "import.field.phone": ("电话", "phone"),
    "import.field.gender": ("性别", "gender"),
    "import.field.first_visit": ("首次到店", "first visit"),
    "import.field.case_number": ("病案号", "case number"),
    "import.field.consultant": ("咨询师", "consultant"),
    "import.field.items": ("项目", "items"),
    "import.field.notes": ("备注", "notes"),
    "import.mapping": ("列:{mapping}", "columns: {mapping}"),
    "import.ignored": ("未使用的列:{headers}", "columns not used: {headers}"),
    "import.rejected": ("第 {row} 行:{reason}", "row {row}: {reason}"),
    "import.summary": ("共 {total} 行:{good} 行可导入,{rejected} 行不能导入",
                       "{total} rows: {good} fine, {rejected} rejected"),
    "import.dry_run": ("试运行:没有写入任何内容", "dry run: nothing was written"),
    "import.written": ("已导入 {count} 位顾客", "imported {count} customers"),
    "import.nothing_written": ("有不能导入的行,没有写入任何内容(加 --skip-bad 只导入可导入的行)",
                               "rows were rejected, so nothing was written (--skip-bad "
                               "imports the fine ones)"),
    "import.empty": ("文件里没有内容", "the file has no rows"),
    "import.no_columns": ("找不到姓名和电话两列(表头:{headers})",
                          "no name and phone columns found (headers: {headers})"),
    "import.encoding": ("文件编码无法识别(应为 UTF-8 或 GBK):{path}",
                        "the file's encoding is not UTF-8 or GBK: {path}"),
    "import.unreadable": ("无法读取 {path}:{reason}", "cannot read {path}: {reason}"),
    "import.not_a_sheet": ("不是可读取的 .xlsx 或 .csv 表格:{path}",
                           "not a readable .xlsx or .csv sheet: {path}"),
    "import.bad_date": ("日期应为 YYYY-MM-DD:{value}", "a date is YYYY-MM-DD: {value}"),
    "import.date_range": ("日期不能在今天之后:{value}", "the date is after today: {value}"),
    "import.phone_on_file": ("已有这个电话的顾客:{phone}", "a customer with this phone is on "
                             "file already: {phone}"),
    "import.phone_twice": ("电话 {phone} 与第 {row} 行重复", "phone {phone} is also on row {row}"),
    "import.bad_gender": ("性别应为 女/男/其他:{value}", "gender is F, M or other: {value}"),
    "import.bad_case": ("病案号格式应为日期加序号(如 2013110101):{value}",
                        "a case number is the day and a sequence (e.g. 2013110101): {value}"),
    "import.case_on_file": ("病案号已被使用:{value}", "the case number is in use: {value}"),
    "import.case_twice": ("病案号 {value} 与第 {row} 行重复",
                          "case number {value} is also on row {row}"),
    "import.no_consultant": ("没有这位咨询师:{name}(请先在员工中添加,或留空)",
                             "no consultant named {name} (add them in staff first, or leave "
                             "it empty)"),
    "cli.future_day": ("注意:{day} 是未来的日期(今天是 {today})",
                       "note: {day} is in the future (today is {today})"),
    "cli.signed_off_clean": ("没有问题。{at} 已由 {name} 签核(只读)。",
                             "No findings. Signed off by {name} at {at} (read-only)."),
    # Why the OS or SQLite refused a path (the raw text is shown only when none fits).
    "cli.reason.not_found": ("路径中的文件夹不存在", "a folder on the path does not exist"),
    "cli.reason.permission": ("没有权限", "permission denied"),
    "cli.reason.read_only_fs": ("所在磁盘是只读的", "the disk is read-only"),
    "cli.reason.disk_full": ("磁盘已满", "the disk is full"),
    "cli.reason.is_folder": ("这是一个文件夹", "it is a folder"),
    "cli.reason.not_folder": ("路径中有一段不是文件夹", "part of the path is not a folder"),
    "cli.reason.name_too_long": ("文件名太长", "the name is too long"),
    "cli.reason.cannot_open": ("无法打开这个文件", "the file cannot be opened"),
    "cli.reason.read_only_file": ("文件是只读的", "the file is read-only"),
}
