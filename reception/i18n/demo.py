"""Messages of ``reception demo``."""

MESSAGES = {
    "demo.not_empty": ("数据库里已有数据;演示数据只能填入空数据库,请用 --db 指定一个新文件:{path}",
                       "The database already holds data; demo data goes only into an empty "
                       "database (give a new file with --db): {path}"),
    "demo.bad_number": ("{option} 的值太小", "{option} is too small"),
}
