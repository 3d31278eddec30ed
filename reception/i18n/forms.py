"""Messages of the form mechanism and of the store's state on the status line."""

MESSAGES = {
    "form.key.save": ("保存", "Save"),
    "form.key.close": ("返回", "Back"),
    "form.choose": ("请选择", "Choose"),
    "form.draft_restored": ("已恢复上次未完成的内容(Ctrl+D 清除)",
                            "Your unfinished entry is back (Ctrl+D clears it)"),
    "form.cleared": ("已清除,恢复为打开时的内容(Ctrl+R 找回)",
                     "Cleared back to how it opened (Ctrl+R brings it back)"),
    "form.no_draft": ("没有保存的草稿", "No draft kept"),
    "form.saving": ("正在保存…", "Saving…"),
    "store.busy": ("数据库正被其他程序占用:输入内容已保留,空闲后自动保存",
                   "The store is busy (another program holds it): your typing is kept and "
                   "saved when it is free"),
    "store.problem": ("数据库出错:{problem}。输入内容已保留", "Store problem: {problem}. "
                      "Your typing is kept"),
    "store.unexpected": ("出现意外错误:{error}", "Something went wrong: {error}"),
    "db.vanished": ("数据库文件不见了(被移动或删除):{path}",
                    "The database file has gone (moved or deleted): {path}"),
}
