"""Messages of the command line on a PostgreSQL server: branches, backup by pg_dump, the
check of a server's store, and moving a clinic from a file onto a server."""

MESSAGES = {
    "branch.single_on_sqlite": ("数据库文件只有一家分店(main),不能添加分店;多家分店请用 "
                                "PostgreSQL 服务器(reception move-store):{path}",
                                "a database file is a single branch (main): branches are "
                                "added on a PostgreSQL server (see reception move-store): "
                                "{path}"),
    "branch.bad_code": ("分店代码应为 1 到 20 个小写字母、数字、- 或 _(且不能是 all):{code}",
                        "a branch code is 1 to 20 lower-case letters, digits, - or _ (and "
                        "not 'all'): {code}"),
    "branch.code_taken": ("已有代码为 {code} 的分店", "a branch with code {code} exists "
                          "already"),
    "branch.bad_name": ("分店名称应为 1 到 100 个字符", "a branch name is 1 to 100 "
                        "characters"),
    "branch.added": ("已添加分店 {code}({name})", "Branch {code} ({name}) added"),
    "branch.list_header": ("代码\t名称\t创建于", "code\tname\tcreated"),
    "cli.single_branch": ("数据库文件只有一家分店(main),没有分店 {code}:{path}",
                          "a database file is a single branch (main); there is no branch "
                          "{code}: {path}"),
    "cli.pg_dump_missing": ("找不到 pg_dump:请安装 PostgreSQL 客户端(apt install "
                            "postgresql-client),或自行运行:pg_dump -Fc -f {target} {address}",
                            "pg_dump is not installed: install the PostgreSQL client (apt "
                            "install postgresql-client), or run: pg_dump -Fc -f {target} "
                            "{address}"),
    "cli.backup_counter_role": ("服务器上的备份包含所有分店的数据,请用连锁的所有者角色({owner})"
                                "运行;{role} 是分店 {codes} 的前台角色,只能读到本店的数据,"
                                "备份会不完整,未备份:{path}",
                                "a backup on a server holds every branch: run it as the "
                                "chain's owner role ({owner}); {role} is a counter's role for "
                                "branch {codes} and would copy only that branch's rows, so "
                                "nothing was backed up: {path}"),
    "cli.pg_dump_failed": ("pg_dump 未能备份 {path}:{reason}",
                           "pg_dump could not back up {path}: {reason}"),
    "check.server_clean": ("没有发现问题:服务器上的数据库版本正确,每张表都能读取,分店隔离、"
                           "只追加日志和搜索结构都在",
                           "No problems: the server's database is at the right schema, every "
                           "table can be read, and branch isolation, the append-only logs and "
                           "the search structures are in place"),
    "check.server_revision": ("数据库版本是 {revision},程序需要 {head}",
                              "The database is at schema {revision}; the program needs {head}"),
    "check.server_table": ("无法读取表 {table}:{reason}", "Table {table} cannot be read: "
                           "{reason}"),
    "check.server_no_isolation": ("表 {table} 没有启用分店隔离(行级安全)",
                                  "Table {table} has no branch isolation (row-level security "
                                  "is off)"),
    "check.server_no_trigger": ("缺少触发器 {name}(只追加日志或最近到店时间)",
                                "The trigger {name} is missing (append-only logs or last "
                                "visits)"),
    "check.server_no_index": ("缺少搜索索引 {name}", "The search index {name} is missing"),
    "check.server_paused": ("顾客搜索的维护被暂停于 {since}(一次批量导入没有完成?)",
                            "The search upkeep has been paused since {since} (a bulk load "
                            "that did not finish?)"),
    "move.done": ("已把 {source} 的 {rows} 行复制到 {target}(共 {tables} 张表,逐表核对行数一致)",
                  "Copied {rows} rows of {source} to {target} ({tables} tables, each "
                  "table's rows counted and compared)"),
    "move.target_not_empty": ("目标数据库不是空的(表 {table} 已有 {count} 行),未复制任何数据:"
                              "{target}",
                              "the target database is not empty (table {table} has {count} "
                              "rows); nothing was copied: {target}"),
    "move.target_foreign": ("目标数据库已有别的表({table}),不是空数据库,未复制任何数据,"
                            "目标未作改动:{target}",
                            "the target database has tables of its own ({table}), it is not "
                            "an empty database; nothing was copied or changed: {target}"),
    "move.target_revision": ("目标数据库已是版本 {revision} 的 reception 数据库(程序需要 {head}),"
                             "不是空数据库,未复制任何数据,目标未作改动:{target}",
                             "the target database is a reception store at schema {revision} "
                             "(the program needs {head}), not an empty database; nothing was "
                             "copied or changed: {target}"),
    "move.source_revision": ("源数据库的版本是 {revision},程序需要 {head}:请先用 reception "
                             "--db {source} 打开一次以升级,再迁移",
                             "the source is at schema {revision}, the program needs {head}: "
                             "open it once with reception --db {source} to upgrade it, then "
                             "move it"),
    "move.source_damaged": ("源数据库已损坏,未复制任何数据:{source};运行 reception check "
                            "查看详情",
                            "the source database is damaged; nothing was copied: {source}; "
                            "run 'reception check' for details"),
    "move.source_not_file": ("迁移的来源应是数据库文件,目标应是 postgresql:// 地址",
                             "move-store copies from a database file (--from) to a "
                             "postgresql:// address (--to)"),
    "move.count_mismatch": ("表 {table} 复制后行数不符(源 {source} 行,目标 {target} 行),"
                            "未复制任何数据",
                            "table {table} has {target} rows after the copy but {source} in "
                            "the source; nothing was copied"),
}
