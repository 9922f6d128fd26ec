"""The inbox contract of shared/spec/feeds.md, as data.

Every other module (reader, validator, simulator, dbt sources) derives its behaviour from
these declarations, so the contract is written down once.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# Column kinds. Each kind has one parser/validator in validate.py.
ID14 = "id14"            # exactly 14 digits, kept as a string
BUSINESS_REF = "business_ref"  # 14 digits, or L + digits (unregistered business)
PERSON_REF = "person_ref"      # 14 digits, or P + digits (person without a CCUS id)
DATE = "date"            # YYYY-MM-DD or YYYY/MM/DD
TIMESTAMP = "timestamp"  # ISO 8601; no offset means Asia/Tokyo
BOOL = "bool"            # true/false, 1/0, はい/いいえ
INT = "int"              # integer >= 0
TEXT = "text"
ENUM = "enum"
LEVEL = "level"          # 1-4
PREFECTURE = "prefecture"  # 01-47
OCCUPATION = "occupation"  # NN-NN from the occupations seed
CODE_LIST = "code_list"    # ';'-separated codes
QUALIFICATION_LIST = "qualification_list"  # ';'-separated codes from the qualifications seed
YEAR_MONTH = "year_month"  # YYYY-MM
ORDERER_CODE = "orderer_code"  # 1-20 of 0-9, A-Z, a-z and '-' (an orderer's own code)

# File dates (feeds.md, "Partitions" and "Plausibility bounds"): a file dated outside
# FIRST_FILE_DATE (PARTITION_FIRST_DAY for the day-partitioned feeds) .. tomorrow, Japan time, is
# quarantined whole as date_out_of_range.
FIRST_FILE_DATE = dt.date(2019, 1, 1)      # the CCUS era
PARTITION_FIRST_DAY = dt.date(2019, 4, 1)  # CCUS started operating: the first daily partition
# File names (feeds.md, "What the inbox may hold besides feed files"): ASCII, at most this long.
NAME_MAX_CHARS = 120


@dataclass(frozen=True)
class Bound:
    """A plausibility bound of one column (feeds.md, "Plausibility bounds"): a value outside it is
    quarantined as out_of_range. `low`/`high` are dates (DATE, TIMESTAMP, YEAR_MONTH columns: a
    timestamp's date is compared) or integers (INT columns); `days_after_file` sets the upper end
    relative to the file's own date instead (0: the file's date, 1: the day after)."""
    low: dt.date | int | None = None
    high: dt.date | int | None = None
    days_after_file: int | None = None


CCUS_ERA = Bound(low=dt.date(2019, 1, 1), days_after_file=1)
NOT_AFTER_FILE = Bound(low=dt.date(2019, 1, 1), days_after_file=0)  # attendance work_date: no future record
BIRTH = Bound(low=dt.date(1900, 1, 1), days_after_file=0)
EXPERIENCE = Bound(low=dt.date(1940, 1, 1), days_after_file=0)
PROJECT_DATES = Bound(low=dt.date(1990, 1, 1), high=dt.date(2100, 12, 31))
DAYS_IN_MONTH = Bound(high=31)
MONTHLY_YEN = Bound(high=10**8)   # every yen amount of a wage or 建退共 row
# Not in feeds.md: 次数 is cast to INTEGER by the wage models, and no construction system has
# more than a handful of tiers (README, "Choices where the spec is silent").
TIERS = Bound(high=99)
# The attendance row rules of feeds.md (validate.py, ROW_RULES): entered_at on work_date or the
# day before, at most this long on site.
MAX_HOURS_ON_SITE = 24

INSURANCE_BUSINESS = (("enrolled", "加入"), ("not_enrolled", "未加入"), ("exempt", "適用除外"))
INSURANCE_PERSON = INSURANCE_BUSINESS + (("unknown", "不明"),)
ROLE = (("foreman", "職長"), ("subforeman", "班長"), ("general", "一般"))


@dataclass(frozen=True)
class Column:
    name: str
    ja: str
    kind: str
    nullable: bool = False      # an empty value is allowed
    optional: bool = False      # the column itself may be absent from the header
    personal: bool = False      # personal data: never stored past the raw zone
    values: tuple[tuple[str, str], ...] = ()  # ENUM: (code, Japanese label)
    bound: Bound | None = None  # plausibility bound: out_of_range outside it

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.values)


@dataclass(frozen=True)
class Feed:
    name: str
    period: str                 # "day" (YYYYMMDD in the file name) or "month" (YYYYMM)
    partitioned: bool           # daily Dagster partitions (attendance, rosters)
    columns: tuple[Column, ...]
    formats: tuple[str, ...] = ("csv",)
    # Columns that identify one row inside one file: a second row with the same key in the
    # same file is quarantined as duplicate_in_file.
    file_key: tuple[str, ...] = ()
    file_pattern: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # ASCII only (re.ASCII: no full-width digits, no Kelvin sign for k under IGNORECASE), matched
        # whole with fullmatch (a `$` would accept a trailing newline); the version has at most six
        # digits, so it fits the audit's int32.
        digits = 8 if self.period == "day" else 6
        exts = "|".join(self.formats)
        pattern = rf"{self.name}_([0-9]{{{digits}}})(?:_([0-9]{{1,6}}))?\.({exts})"
        object.__setattr__(self, "file_pattern", re.compile(pattern, re.IGNORECASE | re.ASCII))

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.optional)


def _insurance(ja_names: tuple[str, str, str], values) -> tuple[Column, ...]:
    names = ("health_insurance", "pension_insurance", "employment_insurance")
    return tuple(Column(n, j, ENUM, values=values) for n, j in zip(names, ja_names))


BUSINESSES = Feed(
    "businesses", "day", False,
    (
        Column("business_id", "事業者ID", ID14),
        Column("business_name", "事業者名", TEXT, nullable=True),
        Column("prefecture_code", "都道府県コード", PREFECTURE),
        Column("is_sole_proprietor", "一人親方", BOOL),
        Column("capital_yen", "資本金", INT, nullable=True, bound=Bound(high=10**15)),
        Column("employee_count", "従業員数", INT, bound=Bound(high=10**6)),
        Column("registered_on", "登録日", DATE, bound=CCUS_ERA),
        Column("association_codes", "所属団体", CODE_LIST, nullable=True),
        *_insurance(("健康保険", "厚生年金", "雇用保険"), INSURANCE_BUSINESS),
        Column("kentaikyo_contractor_no", "建退共共済契約者番号", TEXT, nullable=True),
        Column("updated_at", "更新日時", TIMESTAMP, bound=CCUS_ERA),
        Column("is_withdrawn", "退会", BOOL, nullable=True, optional=True),
    ),
)

WORKERS = Feed(
    "workers", "day", False,
    (
        Column("worker_id", "技能者ID", ID14),
        Column("worker_name", "氏名", TEXT, nullable=True, personal=True),
        Column("phone", "電話番号", TEXT, nullable=True, personal=True),
        Column("address", "住所", TEXT, nullable=True, personal=True),
        Column("birth_date", "生年月日", DATE, personal=True, bound=BIRTH),
        Column("employer_business_id", "所属事業者ID", ID14),
        Column("occupation_code", "職種コード", OCCUPATION),
        Column("registration_type", "登録区分", ENUM, values=(("simple", "簡略型"), ("detailed", "詳細型"))),
        Column("registered_on", "登録日", DATE, bound=CCUS_ERA),
        Column("level", "レベル", LEVEL),
        Column("level_judged_on", "レベル判定日", DATE, nullable=True, bound=CCUS_ERA),
        Column("qualifications", "保有資格", QUALIFICATION_LIST, nullable=True),
        Column("experience_start_on", "建設業従事開始日", DATE, bound=EXPERIENCE),
        *_insurance(("健康保険", "年金保険", "雇用保険"), INSURANCE_PERSON),
        Column("insurance_verified_on", "保険確認日", DATE, nullable=True, bound=CCUS_ERA),
        Column("kentaikyo_member_no", "建退共被共済者番号", TEXT, nullable=True, personal=True),
        Column("updated_at", "更新日時", TIMESTAMP, bound=CCUS_ERA),
    ),
)

SITES = Feed(
    "sites", "day", False,
    (
        Column("site_id", "現場ID", ID14),
        Column("site_name", "現場名", TEXT, nullable=True),
        Column("prefecture_code", "都道府県コード", PREFECTURE),
        Column("orderer_type", "発注者区分", ENUM, values=(
            ("mlit", "国交省直轄"), ("national_other", "その他国"), ("prefecture", "都道府県"),
            ("municipality", "市区町村"), ("public_corp", "公社・公団等"), ("private", "民間"))),
        Column("is_public_works", "公共工事", BOOL),
        Column("model_project_type", "モデル工事区分", ENUM, values=(
            ("none", "なし"), ("mandatory", "義務化モデル"), ("recommended", "活用推奨モデル"))),
        Column("contract_amount_yen", "請負金額", INT, bound=Bound(high=10**13)),
        Column("start_on", "工期開始", DATE, bound=PROJECT_DATES),
        Column("end_on", "工期終了", DATE, bound=PROJECT_DATES),
        Column("prime_business_id", "元請事業者ID", ID14),
        Column("kentaikyo_method", "建退共方式", ENUM, values=(
            ("electronic", "電子申請"), ("stamp", "証紙"), ("none", "なし"))),
        Column("card_reader_installed", "カードリーダー設置", BOOL),
        Column("two_days_off_type", "週休2日区分", ENUM, values=(
            ("none", "なし"), ("whole_period", "通期"), ("monthly", "月単位"))),
        Column("registered_on", "登録日", DATE, bound=CCUS_ERA),
        Column("updated_at", "更新日時", TIMESTAMP, bound=CCUS_ERA),
        # the ordering body (a 6-digit local-government code, an office code such as mlit-kanto);
        # its sites' pages go to its own location. Empty: the site's orderer_type stands for it.
        Column("orderer_code", "発注機関コード", ORDERER_CODE, nullable=True, optional=True),
    ),
)

SITE_CONTRACTS = Feed(
    "site_contracts", "day", False,
    (
        Column("site_id", "現場ID", ID14),
        Column("business_ref", "事業者", BUSINESS_REF),
        Column("is_ccus_registered", "CCUS登録", BOOL),
        Column("upper_business_ref", "直近上位", BUSINESS_REF, nullable=True),
        Column("tier", "次数", INT, bound=TIERS),
        Column("joined_on", "入場", DATE, bound=PROJECT_DATES),
        Column("left_on", "退場", DATE, nullable=True, bound=PROJECT_DATES),
        Column("stamp_exception", "証紙例外", BOOL),
    ),
    file_key=("site_id", "business_ref"),
)

ROSTERS = Feed(
    "rosters", "day", True,
    (
        Column("site_id", "現場ID", ID14),
        Column("work_date", "就業日", DATE, bound=CCUS_ERA),
        Column("business_ref", "所属事業者", BUSINESS_REF),
        Column("person_ref", "作業員", PERSON_REF),
        Column("is_ccus_registered", "CCUS登録", BOOL),
        Column("role", "立場", ENUM, values=ROLE),
        Column("occupation_code", "職種コード", OCCUPATION),
        Column("insurance_check", "保険確認方法", ENUM, values=(
            ("ccus", "CCUS"), ("document", "書類"), ("none", "未確認"))),
        *_insurance(("健康保険", "年金保険", "雇用保険"), INSURANCE_PERSON),
        Column("admitted", "入場可否", BOOL),
    ),
    file_key=("site_id", "work_date", "person_ref"),
)

ATTENDANCE = Feed(
    "attendance", "day", True,
    (
        Column("record_id", "履歴ID", TEXT),
        Column("site_id", "現場ID", ID14),
        Column("worker_id", "技能者ID", ID14),
        Column("employer_business_id", "所属事業者ID", ID14),
        Column("work_date", "就業日", DATE, bound=NOT_AFTER_FILE),
        Column("entered_at", "入場時刻", TIMESTAMP, bound=CCUS_ERA),
        Column("exited_at", "退場時刻", TIMESTAMP, nullable=True, bound=CCUS_ERA),
        Column("role", "立場", ENUM, values=ROLE),
        Column("occupation_code", "職種コード", OCCUPATION),
        Column("input_method", "登録方法", ENUM, values=(
            ("card_reader", "カードリーダー"), ("face_recognition", "顔認証"),
            ("smartphone_app", "スマートフォンアプリ"), ("worker_direct", "技能者直接入力"),
            ("employer_proxy", "事業者代行入力"), ("api", "API連携"))),
        Column("device_id", "端末ID", TEXT, nullable=True),
        Column("received_at", "受信日時", TIMESTAMP, bound=CCUS_ERA),
    ),
    formats=("csv", "jsonl"),
    file_key=("record_id",),
)

# feeds.md gives no Japanese headers for wages and kentaikyo; these are the names a payroll
# export would use (documented in the README).
WAGES = Feed(
    "wages", "month", False,
    (
        Column("year_month", "年月", YEAR_MONTH, bound=CCUS_ERA),
        Column("business_id", "事業者ID", ID14),
        Column("worker_id", "技能者ID", ID14),
        Column("days_worked", "就業日数", INT, bound=DAYS_IN_MONTH),
        Column("base_pay_yen", "基本給", INT, bound=MONTHLY_YEN),
        Column("allowances_yen", "手当", INT, bound=MONTHLY_YEN),
        Column("overtime_pay_yen", "時間外手当", INT, bound=MONTHLY_YEN),
        Column("bonus_yen", "賞与", INT, bound=MONTHLY_YEN),
    ),
    file_key=("year_month", "business_id", "worker_id"),
)

KENTAIKYO = Feed(
    "kentaikyo", "month", False,
    (
        Column("year_month", "年月", YEAR_MONTH, bound=CCUS_ERA),
        Column("site_id", "現場ID", ID14),
        Column("business_id", "事業者ID", ID14),
        Column("worker_id", "技能者ID", ID14),
        Column("method", "充当方法", ENUM, values=(("electronic", "電子申請"), ("stamp", "証紙"))),
        Column("days_reported", "報告日数", INT, bound=DAYS_IN_MONTH),
        Column("amount_yen", "掛金額", INT, bound=MONTHLY_YEN),
    ),
    file_key=("year_month", "site_id", "business_id", "worker_id", "method"),
)

FEEDS: dict[str, Feed] = {f.name: f for f in (
    BUSINESSES, WORKERS, SITES, SITE_CONTRACTS, ROSTERS, ATTENDANCE, WAGES, KENTAIKYO)}

# Columns that carry a CCUS worker id (or a roster person reference): they are replaced by a
# keyed hash at the door of bronze (metrics.md §8). Output column name beside each.
PSEUDONYMISED = {
    "worker_id": "worker_key",
    "person_ref": "person_key",
}
