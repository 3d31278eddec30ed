"""Customer sheets as a clinic brings them to `reception import customers`: the tests' and
the import benchmark's (tests/bench/import_speed.py) one way to write them."""

import csv

HEADER_ZH = ["姓名", "手机", "性别", "首次到店", "病历号", "咨询师", "治疗项目", "未成交原因",
             "微信"]


def write_csv(path, rows, header=HEADER_ZH, encoding="utf-8-sig"):
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def many_customers(count: int) -> list[list[str]]:
    """``count`` distinct customers, each with a phone, a sex, a first visit and a note."""
    return [[f"顾客{n}", f"139{n:08d}", "女男"[n % 2], f"2025-{n % 12 + 1}-{n % 28 + 1}", "",
             "", "", "备注" * (n % 5), ""] for n in range(count)]
