"""Reference data the simulator draws from.

Code lists (occupations, qualifications, prefectures, the published registration curve, the
level criteria) are read from the dbt seeds, the platform's single source; the published level
judgements from reference/. What neither holds and only the simulator needs (how common each
occupation is, association membership, prefecture shares of the prefectures the press did not
list, fake names) is declared here, once, and marked published or modelled.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

# The repository's own files (the package is installed in editable mode): the dbt seeds are the
# platform's single source of code lists; reference/ holds the published figures with their sources.
REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "dbt_project" / "seeds"
REFERENCE_DIR = REPO_ROOT / "reference"


# ---------------------------------------------------------------------------------------------
# Associations (所属団体). A small fixed list; dbt_project/seeds/wages/build/wage_seeds.py writes it
# into the associations seed.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Association:
    code: str
    name_ja: str
    name_en: str
    trades: tuple[str, ...] = ()   # occupation codes whose businesses typically join ("" = general contractors)


ASSOCIATIONS: tuple[Association, ...] = (
    Association("NIKKENREN", "一般社団法人日本建設業連合会", "Japan Federation of Construction Contractors (large general contractors)"),
    Association("ZENKEN", "一般社団法人全国建設業協会", "National General Contractors Association of Japan"),
    Association("ZENTEKKIN", "公益社団法人全国鉄筋工事業協会", "National Reinforcing Bar Contractors Association", ("10-01",)),
    Association("NIHONTOBI", "一般社団法人日本鳶工業連合会", "Japan Tobi (Scaffolding) Contractors Federation", ("06-01", "02-01")),
    Association("KATAWAKU", "一般社団法人日本型枠工事業協会", "Japan Formwork Contractors Association", ("33-01",)),
    Association("ZENKANREN", "全国管工事業協同組合連合会", "National Federation of Plumbing and Piping Contractors' Cooperatives", ("36-01",)),
    Association("NICHIDENKYO", "一般社団法人日本電設工業協会", "Japan Electrical Construction Association", ("09-01",)),
    Association("NISSAREN", "一般社団法人日本左官業組合連合会", "Japan Federation of Plastering Contractors' Unions", ("35-01",)),
)

ASSOCIATION_CODES: tuple[str, ...] = tuple(a.code for a in ASSOCIATIONS)


# ---------------------------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------------------------
def _seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Occupations:
    codes: tuple[str, ...]
    names: tuple[str, ...]
    fields: tuple[str, ...]         # level_field_ja, "" when none
    weights: np.ndarray             # share of registered workers (modelled)
    wage_factor: np.ndarray         # daily unit price relative to the national average (modelled)


# Modelled share of registered technicians per occupation (codes not listed get 0.2).
_OCCUPATION_WEIGHT = {
    "02-01": 12, "06-01": 10, "34-01": 9, "09-01": 9, "10-01": 8, "33-01": 8, "36-01": 7,
    "43-01": 6, "14-01": 5, "12-01": 4, "01-01": 4, "35-01": 3, "25-01": 3, "11-01": 2,
    "13-01": 2, "38-01": 2, "03-01": 1.5, "40-01": 1, "42-01": 1, "45-01": 1, "46-01": 1,
    "47-01": 1, "39-01": 1, "41-01": 1, "44-01": 0.8, "50-01": 1, "51-01": 1, "15-01": 1,
    "49-01": 0.8, "08-01": 0.8, "48-01": 0.5, "37-01": 0.5, "05-01": 0.5, "04-01": 0.5,
}
# Daily unit price relative to the national weighted average, read off the published Tokyo
# FY2026 cells (design_labor_unit_price_tokyo_2026.csv) where present; 1.0 elsewhere (modelled).
_WAGE_FACTOR = {
    "10-01": 1.12, "35-01": 1.12, "06-01": 1.10, "33-01": 1.09, "14-01": 1.03, "01-01": 1.02,
    "34-01": 1.01, "03-01": 0.62, "51-01": 0.62, "50-01": 0.68, "32-01": 1.6, "49-01": 0.93,
    "25-01": 1.14, "08-01": 1.07, "18-01": 1.39, "28-01": 1.6, "02-01": 0.90,
}
# Trades a general contractor (possible prime) lists as its main occupation.
GENERAL_TRADES = ("25-01", "01-01", "34-01", "02-01")


@lru_cache(maxsize=None)
def occupations() -> Occupations:
    rows = _seed("occupations")
    codes = tuple(r["occupation_code"] for r in rows)
    w = np.array([_OCCUPATION_WEIGHT.get(c, 0.2) for c in codes], dtype=float)
    f = np.array([_WAGE_FACTOR.get(c, 1.0) for c in codes], dtype=float)
    return Occupations(codes, tuple(r["name_ja"] for r in rows), tuple(r.get("level_field_ja", "") or "" for r in rows),
                       w / w.sum(), f)


@lru_cache(maxsize=None)
def qualification_codes() -> tuple[str, ...]:
    return tuple(r["qualification_code"] for r in _seed("qualifications"))


# Prefectures: JIS code and name from the seed; worker counts of 2023-08-31: the ten the press
# published (ccus_prefecture_workers_2023_08.csv) and, for the other 37, the remainder of the
# national total (1,261,944) split by population (modelled), kept between the published ones.
_PUBLISHED_PREF_WORKERS = {
    "東京都": 124172, "神奈川県": 91812, "大阪府": 90682, "埼玉県": 85218, "愛知県": 78552,
    "山梨県": 7315, "徳島県": 7171, "高知県": 6190, "和歌山県": 5010, "鳥取県": 4936,
}
_NATIONAL_2023_08 = 1261944
# 2020 census population in 10 000s (rounded): only used to split the unpublished remainder.
_POPULATION = {
    "北海道": 522, "青森県": 124, "岩手県": 121, "宮城県": 230, "秋田県": 96, "山形県": 107, "福島県": 183,
    "茨城県": 287, "栃木県": 193, "群馬県": 194, "千葉県": 628, "新潟県": 220, "富山県": 103, "石川県": 113,
    "福井県": 77, "長野県": 205, "岐阜県": 198, "静岡県": 363, "三重県": 177, "滋賀県": 141, "京都府": 258,
    "兵庫県": 547, "奈良県": 132, "島根県": 67, "岡山県": 189, "広島県": 280, "山口県": 134, "香川県": 95,
    "愛媛県": 133, "福岡県": 514, "佐賀県": 81, "長崎県": 131, "熊本県": 174, "大分県": 112, "宮崎県": 107,
    "鹿児島県": 159, "沖縄県": 147,
}
# Prefectural capital (or a central ward), for fake addresses, site names and municipal orderers:
# its name and its 5-digit code (JIS X 0402), in JIS prefecture order.
_CAPITAL = (
    ("札幌市", "01100"), ("青森市", "02201"), ("盛岡市", "03201"), ("仙台市", "04100"), ("秋田市", "05201"),
    ("山形市", "06201"), ("福島市", "07201"), ("水戸市", "08201"), ("宇都宮市", "09201"), ("前橋市", "10201"),
    ("さいたま市", "11100"), ("千葉市", "12100"), ("新宿区", "13104"), ("横浜市", "14100"), ("新潟市", "15100"),
    ("富山市", "16201"), ("金沢市", "17201"), ("福井市", "18201"), ("甲府市", "19201"), ("長野市", "20201"),
    ("岐阜市", "21201"), ("静岡市", "22100"), ("名古屋市", "23100"), ("津市", "24201"), ("大津市", "25201"),
    ("京都市", "26100"), ("大阪市", "27100"), ("神戸市", "28100"), ("奈良市", "29201"), ("和歌山市", "30201"),
    ("鳥取市", "31201"), ("松江市", "32201"), ("岡山市", "33100"), ("広島市", "34100"), ("山口市", "35203"),
    ("徳島市", "36201"), ("高松市", "37201"), ("松山市", "38201"), ("高知市", "39201"), ("福岡市", "40130"),
    ("佐賀市", "41201"), ("長崎市", "42201"), ("熊本市", "43100"), ("大分市", "44201"), ("宮崎市", "45201"),
    ("鹿児島市", "46201"), ("那覇市", "47201"),
)


@dataclass(frozen=True)
class Prefectures:
    codes: np.ndarray         # int 1..47
    names: tuple[str, ...]
    capitals: tuple[str, ...]
    capital_codes: tuple[str, ...]  # 5-digit 全国地方公共団体コード of each capital
    weights: np.ndarray       # share of registered workers
    wage_factor: np.ndarray   # regional level of the unit price (modelled)


@lru_cache(maxsize=None)
def prefectures() -> Prefectures:
    rows = _seed("prefectures")
    names = tuple(r["name_ja"] for r in rows)
    codes = np.array([int(r["prefecture_code"]) for r in rows])
    remainder = _NATIONAL_2023_08 - sum(_PUBLISHED_PREF_WORKERS.values())
    pop_total = sum(_POPULATION.get(n, 0) for n in names if n not in _PUBLISHED_PREF_WORKERS)
    counts = []
    for n in names:
        if n in _PUBLISHED_PREF_WORKERS:
            counts.append(_PUBLISHED_PREF_WORKERS[n])
        else:
            modelled = _POPULATION.get(n, 100) * remainder / pop_total
            counts.append(min(max(modelled, 7400.0), 78000.0))
    w = np.array(counts, dtype=float)
    metro = {"東京都": 1.12, "神奈川県": 1.06, "大阪府": 1.05, "愛知県": 1.04, "埼玉県": 1.04, "千葉県": 1.03,
             "京都府": 1.02, "兵庫県": 1.02}
    wf = np.array([metro.get(n, 0.95) for n in names])
    capitals = _CAPITAL[:len(names)]
    return Prefectures(codes, names, tuple(c for c, _ in capitals), tuple(k for _, k in capitals), w / w.sum(), wf)


@dataclass(frozen=True)
class PublishedPoint:
    as_of: dt.date
    workers: float
    businesses: float
    basis: str                # incl_sole_proprietors | excl_sole_proprietors


@lru_cache(maxsize=None)
def published_points() -> tuple[PublishedPoint, ...]:
    """Every row of the published registration series (seed published_registrations), both bases."""
    out = [PublishedPoint(dt.date.fromisoformat(r["as_of"]), float(r["registered_workers"]),
                          float(r["registered_businesses"]), r.get("businesses_basis") or "incl_sole_proprietors")
           for r in _seed("published_registrations")]
    return tuple(sorted(out, key=lambda p: p.as_of))


def _reference(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=None)
def level_judgements() -> tuple[dt.date, dict[int, int]]:
    """Cumulative level judgements per level and their date (level_judgements_2024_03.csv, published)."""
    rows = _reference("level_judgements_2024_03.csv")
    return dt.date.fromisoformat(rows[0]["as_of"]), {int(r["level"]): int(r["cumulative_judgements"]) for r in rows}


# Design labour unit price, national weighted average (design_labor_unit_price_national.csv).
UNIT_PRICE_NATIONAL = {2017: 18078, 2019: 19392, 2020: 20214, 2021: 20409, 2023: 22227,
                       2024: 23600, 2025: 24852, 2026: 25834}


def unit_price(fiscal_year: int) -> float:
    years = sorted(UNIT_PRICE_NATIONAL)
    if fiscal_year in UNIT_PRICE_NATIONAL:
        return float(UNIT_PRICE_NATIONAL[fiscal_year])
    lo = max((y for y in years if y < fiscal_year), default=years[0])
    hi = min((y for y in years if y > fiscal_year), default=years[-1])
    if lo == hi:
        return float(UNIT_PRICE_NATIONAL[lo]) * (1.04 ** (fiscal_year - lo))
    a, b = UNIT_PRICE_NATIONAL[lo], UNIT_PRICE_NATIONAL[hi]
    return a + (b - a) * (fiscal_year - lo) / (hi - lo)


# Level multipliers of metrics.md §3 (2023 level-based income, middle band, relative to level 3).
LEVEL_MULTIPLIER = np.array([0.0, 0.80, 0.91, 1.00, 1.13])

# 建退共 daily contribution (kentaikyo_daily_rate.csv).
KENTAIKYO_RATE_CHANGE = dt.date(2021, 10, 1)


def kentaikyo_daily_rate(day: dt.date) -> int:
    return 320 if day >= KENTAIKYO_RATE_CHANGE else 310


@dataclass(frozen=True)
class Criterion:
    """One row of the level_criteria seed: what level `level` of an occupation field asks for."""
    level: int
    min_work_days: int
    min_foreman_days: int
    foreman_roles: tuple[str, ...]          # roles whose days count as foreman days
    required: tuple[str, ...]               # qualifications all required
    any_of: tuple[str, ...]                 # at least one of these, when listed


@lru_cache(maxsize=None)
def level_criteria() -> dict[str, dict[int, Criterion]]:
    """The level criteria per occupation field (seed wages/level_criteria, the platform's own)."""
    out: dict[str, dict[int, Criterion]] = {}
    for r in _seed("wages/level_criteria"):
        codes = lambda text: tuple(c for c in (text or "").split(";") if c)   # noqa: E731
        out.setdefault(r["field_ja"], {})[int(r["level"])] = Criterion(
            int(r["level"]), int(r["min_work_days"]), int(r["min_foreman_days"]),
            tuple((r["foreman_roles"] or "foreman").split("|")), codes(r["required_qualification_codes"]),
            codes(r["any_of_qualification_codes"]))
    return out


WORK_DAYS_A_YEAR = 215      # metrics.md §2: experience before registration counts 215 work days a year


@lru_cache(maxsize=None)
def level_min_years() -> np.ndarray:
    """Years in construction a level asks for at least, in any field (index = level)."""
    years = np.zeros(5)
    for crit in level_criteria().values():
        for lv, c in crit.items():
            years[lv] = max(years[lv], np.ceil(c.min_work_days / WORK_DAYS_A_YEAR))
    return years


# Fake personal data: recognisable strings a privacy scan can look for.
SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田",
            "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水", "山崎", "森", "池田", "橋本",
            "阿部", "石川", "山下", "中島", "石井", "小川", "前田", "岡田", "長谷川", "藤田", "後藤", "近藤",
            "村上", "遠藤", "青木", "坂本")
GIVEN_MALE = ("太郎", "一郎", "健太", "翔太", "大輔", "浩", "誠", "隆", "修", "茂", "勇", "正樹", "和也",
              "達也", "拓也", "直樹", "健一", "浩二", "雄一", "博", "清", "実", "剛", "亮", "大樹", "翔",
              "蓮", "悠真", "陽翔", "湊")
GIVEN_FEMALE = ("花子", "美咲", "陽子", "恵子", "由美", "真由美", "愛", "さくら")
TOWNS = ("本町", "栄町", "緑町", "中央", "旭町", "幸町", "若葉", "東町", "西町", "南町", "北町", "桜台",
         "新町", "宮前", "大和町", "港町")
COMPANY_STEMS = ("山田", "三栄", "大和", "新和", "丸山", "東洋", "日興", "協和", "大成", "北斗", "昭和",
                 "太陽", "富士", "光", "中央", "共栄", "平和", "第一", "朝日", "信和")
TRADE_SUFFIX = {"10-01": "鉄筋", "06-01": "鳶", "33-01": "型枠", "09-01": "電設", "36-01": "設備",
                "12-01": "塗装", "43-01": "内装", "35-01": "左官", "34-01": "工務店", "02-01": "土木",
                "14-01": "重機", "25-01": "建設", "01-01": "建設"}
