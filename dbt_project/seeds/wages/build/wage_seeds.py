"""Build the wage and level seeds from the published reference figures.

    .venv/bin/python dbt_project/seeds/wages/build/wage_seeds.py [--reference reference]

Writes, next to this folder (dbt_project/seeds/wages/), reading prefectures.csv and
occupations.csv of dbt_project/seeds/:

  design_labor_unit_price_national.csv          公共工事設計労務単価, national weighted average per FY
  design_labor_unit_price_occupations_2011_2015.csv   national simple average of six trades, FY2011-2015
  design_labor_unit_prices.csv                  FY2019-FY2026 x 47 prefectures x every occupation
  level_criteria.csv                            能力評価 criteria per occupation field and level 2-4
  level_multipliers.csv                         level multipliers and the 234-day basis
  level_income_2023.csv                         the published 2023 level-based annual incomes
  associations.csv                              the association codes the feeds carry

Every row says `certainty` = published (copied exactly from the reference file, with its
source_url) or modelled (with `method` saying how). The script is deterministic: running it
again over the same reference files rewrites the same bytes. Nothing here is downloaded.

The unit-price model (documented in design_labor_unit_prices.yml as well)
--------------------------------------------------------------------------
For every (fiscal year, prefecture, occupation) cell, the first rule that applies:

  1. published   a cell of design_labor_unit_price_tokyo_2026.csv, exactly.
  2. modelled    Tokyo FY2025 for an occupation published for FY2026:
                 round(FY2026 published / (1 + published change_pct / 100), -2)
                 (the same article gives the change from FY2025).
  3. modelled    national weighted average of the FY (design_labor_unit_price_national)
                 x regional factor of the prefecture x occupation factor, rounded to 100 yen.

  - National averages: published for FY2017, 2019-2021, 2023-2026; FY2018 and FY2022 are
    back-cast from the next year's published value and its published growth rate
    (FY2022 = 22,227 / 1.052).
  - Regional factors (REGION_FACTOR, PREFECTURE_FACTOR below) are modelled: nothing
    published here gives the all-occupation level of a prefecture. They encode the usual
    pattern of the official tables (metropolitan prefectures highest, Kanto above the
    national average, Shikoku/Kyushu-Okinawa lowest).
  - Occupation factors come from the published cells: for the 15 occupations published for
    Tokyo FY2026, factor = Tokyo FY2026 cell / (FY2026 national average x Tokyo's regional
    factor), so rule 3 reproduces the published Tokyo FY2026 cells; 普通作業員 (not published
    for Tokyo) = the 特殊作業員 factor x the mean FY2011-2015 ratio of the two trades'
    published national averages; a few occupations take the factor of an occupation of the
    same job family (ANALOGUE); every other occupation has factor 1.00 (the national
    average: nothing published tells it apart).
"""
from __future__ import annotations

import argparse
import csv
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

OUT = Path(__file__).resolve().parents[1]          # dbt_project/seeds/wages
SEEDS = OUT.parent                                 # dbt_project/seeds (prefectures, occupations)
REPO = SEEDS.parents[1]
DEFAULT_REFERENCE = REPO / "reference"

FISCAL_YEARS = range(2019, 2027)
TOKYO = "13"

# Regional level relative to the national weighted average (modelled; see the module doc).
REGION_FACTOR = {
    "北海道": Decimal("0.97"), "東北": Decimal("0.97"), "関東": Decimal("0.99"), "北陸": Decimal("0.97"),
    "中部": Decimal("0.98"), "近畿": Decimal("0.97"), "中国": Decimal("0.95"), "四国": Decimal("0.94"),
    "九州・沖縄": Decimal("0.94"),
}
# Metropolitan prefectures above their block (modelled).
PREFECTURE_FACTOR = {
    "13": Decimal("1.15"),  # 東京都
    "14": Decimal("1.10"),  # 神奈川県
    "11": Decimal("1.06"), "12": Decimal("1.06"),  # 埼玉県, 千葉県
    "27": Decimal("1.06"),  # 大阪府
    "23": Decimal("1.05"),  # 愛知県
    "26": Decimal("1.03"), "28": Decimal("1.03"),  # 京都府, 兵庫県
}
# Occupations without a published cell that take the factor of the same job family (modelled).
ANALOGUE = {
    "50-01": "51-01",  # 交通誘導警備員Ａ <- 交通誘導警備員Ｂ
    "48-01": "08-01",  # 建築ブロック工 <- ブロック工
    "17-01": "25-01",  # 潜かん世話役 <- 土木一般世話役
    "21-01": "25-01",  # トンネル世話役 <- 土木一般世話役
    "24-01": "25-01",  # 橋りょう世話役 <- 土木一般世話役
    "20-01": "01-01",  # トンネル作業員 <- 特殊作業員
}
FACTOR_PLACES = Decimal("0.0001")

# Level criteria of the fields without a published example (modelled on the 鉄筋 pattern:
# 215 work days a year; L2 3 years = 645 days; L3 7 years = 1,505 days with 3 years = 645
# foreman or subforeman days; L4 10 years = 2,150 days with 645 foreman days).
# field -> (field_en, {level: (required, any_of)})
_GENERIC = {3: ("SHOKUCHO_ANZEN",), 4: ("SHOKUCHO_ANZEN",)}
MODELLED_FIELDS: dict[str, tuple[str, dict[int, tuple[tuple[str, ...], tuple[str, ...]]]]] = {
    "土工": ("earthwork", {2: (("SHARYO_KENKI",), ()), 3: (("SHARYO_KENKI", "SHOKUCHO_ANZEN"), ()),
                          4: (("SHARYO_KENKI", "SHOKUCHO_ANZEN"), ("KIKAN_TOBI_DOKO", "MEIKO"))}),
    "電気工事": ("electrical work", {2: (("DENKI_KOJISHI_1",), ()), 3: (("DENKI_KOJISHI_1",), ()),
                                 4: (("DENKI_KOJISHI_1",), ())}),
    "鉄骨": ("steel frame", {}),
    "建設塗装": ("construction painting", {}),
    "溶接": ("welding", {}),
    "機械土工": ("machine earthwork", {2: (("SHARYO_KENKI",), ()), 3: (("SHARYO_KENKI", "KOGATA_CRANE"), ()),
                                  4: (("SHARYO_KENKI", "KOGATA_CRANE"), ())}),
    "型枠": ("formwork", {3: (("KATAWAKU_GINOSHI_1",), ()),
                         4: (("KATAWAKU_GINOSHI_1",), ("KIKAN_KATAWAKU", "MEIKO"))}),
    "建築大工": ("carpentry", {3: (("DAIKU_GINOSHI_1",), ()), 4: (("DAIKU_GINOSHI_1",), ())}),
    "左官": ("plastering", {3: (("SAKAN_GINOSHI_1",), ()), 4: (("SAKAN_GINOSHI_1",), ("KIKAN_SAKAN", "MEIKO"))}),
    "配管": ("plumbing", {}),
    "防水施工": ("waterproofing", {}),
    "タイル張り": ("tiling", {}),
    "屋根ふき": ("roofing", {}),
    "内装仕上": ("interior finishing", {}),
    "建具": ("fittings", {}),
    "ダクト": ("ductwork", {}),
    "保温保冷": ("thermal insulation", {}),
}
# とび level 4 is not in the published examples: modelled on the 鉄筋 level-4 row.
MODELLED_TOBI_L4 = (("TOBI_GINOSHI_1",), ("KIKAN_TOBI_DOKO", "MEIKO"))
PATTERN = {2: (645, 0, ""), 3: (1505, 645, "foreman|subforeman"), 4: (2150, 645, "foreman")}

MULTIPLIER_LEVELS = (1, 2, 3, 4)
WORKING_DAYS_BASIS = 234


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(name: str, header: list[str], rows: list[dict], out: Path = OUT) -> Path:
    path = out / f"{name}.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in header})
    return path


def round_to(value: Decimal, step: int) -> int:
    return int((value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step


def fmt_factor(value: Decimal) -> str:
    return str(value.quantize(FACTOR_PLACES, rounding=ROUND_HALF_UP))


# ------------------------------------------------------------------------ unit prices

def national_averages(ref: Path) -> list[dict]:
    published = {int(r["fiscal_year"]): r for r in read(ref / "design_labor_unit_price_national.csv")}
    rows = []
    for fy in range(min(published), max(published) + 1):
        if fy in published:
            r = published[fy]
            rows.append({"fiscal_year": fy, "effective_from": r["effective_from"],
                         "weighted_average_yen_per_day": int(r["weighted_average_yen_per_day"]),
                         "simple_average_growth_pct": r["simple_average_growth_pct"],
                         "certainty": "published", "method": "", "source_url": r["source_url"]})
            continue
        nxt = published[fy + 1]
        growth = Decimal(nxt["simple_average_growth_pct"])
        value = (Decimal(nxt["weighted_average_yen_per_day"]) / (1 + growth / 100)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP)
        rows.append({"fiscal_year": fy, "effective_from": f"{fy}-03-01",
                     "weighted_average_yen_per_day": int(value), "simple_average_growth_pct": "",
                     "certainty": "modelled",
                     "method": (f"back-cast: FY{fy + 1} published {int(nxt['weighted_average_yen_per_day']):,}"
                                f" / (1 + {growth}%)"),
                     "source_url": ""})
    return rows


def occupations_2011_2015(ref: Path, code_of: dict[str, str]) -> list[dict]:
    return [{"occupation_ja": r["occupation_ja"], "occupation_code": code_of[r["occupation_ja"]],
             "fiscal_year": int(r["fiscal_year"]),
             "national_simple_average_yen_per_day": int(r["national_simple_average_yen_per_day"]),
             "certainty": "published", "source_url": r["source_url"]}
            for r in read(ref / "design_labor_unit_price_main_occupations_2011_2015.csv")]


def region_factors(prefectures: list[dict]) -> dict[str, Decimal]:
    return {p["prefecture_code"]: PREFECTURE_FACTOR.get(p["prefecture_code"], REGION_FACTOR[p["region_block"]])
            for p in prefectures}


def occupation_factors(ref: Path, occupations: list[dict], national: dict[int, int],
                       region: dict[str, Decimal], code_of: dict[str, str]) -> dict[str, tuple[Decimal, str]]:
    """occupation_code -> (factor, basis)."""
    tokyo = [r for r in read(ref / "design_labor_unit_price_tokyo_2026.csv") if r["fiscal_year"] == "2026"]
    tokyo_level = Decimal(national[2026]) * region[TOKYO]
    factors: dict[str, tuple[Decimal, str]] = {}
    for r in tokyo:
        code = code_of[r["occupation_ja"]]
        factor = (Decimal(r["yen_per_day"]) / tokyo_level).quantize(FACTOR_PLACES, rounding=ROUND_HALF_UP)
        factors[code] = (factor, f"published Tokyo FY2026 {int(r['yen_per_day']):,} / "
                                 f"({national[2026]:,} x {region[TOKYO]})")
    # 普通作業員 from 特殊作業員 and the published FY2011-2015 national averages of both
    hist = read(ref / "design_labor_unit_price_main_occupations_2011_2015.csv")
    by = {(r["occupation_ja"], r["fiscal_year"]): Decimal(r["national_simple_average_yen_per_day"]) for r in hist}
    years = sorted({r["fiscal_year"] for r in hist})
    ratios = [by[("普通作業員", y)] / by[("特殊作業員", y)] for y in years]
    ratio = sum(ratios) / len(ratios)
    special = factors[code_of["特殊作業員"]][0]
    factors[code_of["普通作業員"]] = (
        (special * ratio).quantize(FACTOR_PLACES, rounding=ROUND_HALF_UP),
        f"特殊作業員 factor {special} x mean FY{years[0]}-{years[-1]} ratio 普通作業員/特殊作業員 "
        f"{ratio.quantize(FACTOR_PLACES, rounding=ROUND_HALF_UP)}")
    for occ in occupations:
        code = occ["occupation_code"]
        if code in factors:
            continue
        if code in ANALOGUE and ANALOGUE[code] in factors:
            f, _ = factors[ANALOGUE[code]]
            factors[code] = (f, f"same job family as {ANALOGUE[code]}")
        else:
            factors[code] = (Decimal("1.0000"), "no published cell: national average")
    return factors


def unit_prices(ref: Path, prefectures: list[dict], occupations: list[dict], national_rows: list[dict],
                code_of: dict[str, str]) -> list[dict]:
    national = {r["fiscal_year"]: r["weighted_average_yen_per_day"] for r in national_rows}
    region = region_factors(prefectures)
    occ_factor = occupation_factors(ref, occupations, national, region, code_of)
    published = {}
    for r in read(ref / "design_labor_unit_price_tokyo_2026.csv"):
        pref = next(p["prefecture_code"] for p in prefectures if p["name_ja"] == r["prefecture_name"])
        published[(int(r["fiscal_year"]), pref, code_of[r["occupation_ja"]])] = r
    rows = []
    for fy in FISCAL_YEARS:
        for p in prefectures:
            pref = p["prefecture_code"]
            for occ in occupations:
                code = occ["occupation_code"]
                row = {"fiscal_year": fy, "prefecture_code": pref, "occupation_code": code}
                cell = published.get((fy, pref, code))
                nxt = published.get((fy + 1, pref, code))
                if cell is not None:
                    row.update(yen_per_day=int(cell["yen_per_day"]), certainty="published", method="",
                               source_url=cell["source_url"])
                elif nxt is not None and nxt["change_pct"] != "":
                    chg = Decimal(nxt["change_pct"])
                    row.update(yen_per_day=round_to(Decimal(nxt["yen_per_day"]) / (1 + chg / 100), 100),
                               certainty="modelled",
                               method=(f"FY{fy + 1} published {int(nxt['yen_per_day']):,} / (1 + {chg}%), "
                                       f"to 100 yen"),
                               source_url=nxt["source_url"])
                else:
                    f_occ = occ_factor[code][0]
                    f_reg = region[pref]
                    row.update(yen_per_day=round_to(Decimal(national[fy]) * f_reg * f_occ, 100),
                               certainty="modelled", method="national x region x occupation, to 100 yen",
                               national_average_yen=national[fy], region_factor=fmt_factor(f_reg),
                               occupation_factor=fmt_factor(f_occ), source_url="")
                rows.append(row)
    return rows


# ------------------------------------------------------------------------ levels

def level_criteria(ref: Path, occupations: list[dict]) -> list[dict]:
    published = read(ref / "level_criteria_examples.csv")
    fields = []
    for occ in occupations:  # occupations order, first appearance
        f = occ["level_field_ja"]
        if f and f not in fields:
            fields.append(f)
    rows = []
    for field in fields:
        for level in (2, 3, 4):
            pub = next((r for r in published if r["field_ja"] == field and int(r["level"]) == level), None)
            if pub is not None:
                rows.append({**{k: pub[k] for k in ("field_ja", "field_en", "level", "min_work_days",
                                                   "min_foreman_days", "foreman_roles",
                                                   "required_qualification_codes",
                                                   "any_of_qualification_codes")},
                             "certainty": "published", "method": "", "source_url": pub["source_url"]})
                continue
            work_days, foreman_days, roles = PATTERN[level]
            if field == "とび" and level == 4:
                field_en = next(r["field_en"] for r in published if r["field_ja"] == field)
                required, any_of = MODELLED_TOBI_L4
                method = "鉄筋 level-4 pattern (2,150 days = 10 x 215; 645 foreman days), とび qualifications"
            elif field in MODELLED_FIELDS:
                field_en, quals = MODELLED_FIELDS[field]
                required, any_of = quals.get(level, (_GENERIC.get(level, ()), ()))
                method = (f"鉄筋 pattern: {work_days:,} days = {work_days // 215} years x 215"
                          + (f"; {foreman_days} {roles.replace('|', '/')} days" if foreman_days else ""))
            else:
                raise ValueError(f"no criteria model for field {field!r}")
            rows.append({"field_ja": field, "field_en": field_en, "level": level, "min_work_days": work_days,
                         "min_foreman_days": foreman_days, "foreman_roles": roles,
                         "required_qualification_codes": ";".join(required),
                         "any_of_qualification_codes": ";".join(any_of),
                         "certainty": "modelled", "method": method, "source_url": ""})
    return rows


def level_income(ref: Path) -> list[dict]:
    return [{**r, "certainty": "published"} for r in read(ref / "level_income_2023.csv")]


def level_multipliers(ref: Path) -> list[dict]:
    cells = {int(r["level"]): r for r in read(ref / "level_income_2023.csv")
             if r["field_ja"] == "全分野" and r["band"] == "middle"}
    anchor = Decimal(cells[3]["annual_income_yen"])
    rows = []
    for level in MULTIPLIER_LEVELS:
        cell = cells[level]
        income = Decimal(cell["annual_income_yen"])
        multiplier = (income / anchor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if level == 3:
            method = "anchor: level 3 = unit price x 234 x 1.00"
        else:
            method = (f"round(2023 all-fields middle L{level} {int(income):,} / L3 {int(anchor):,} = "
                      f"{(income / anchor).quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)}, 2)")
        rows.append({"level": level, "multiplier": str(multiplier),
                     "working_days_basis": int(cell["working_days_basis"]),
                     "certainty": "modelled", "method": method,
                     "source_url": cell["source_url"]})
    return rows


# ------------------------------------------------------------------------ associations

def associations() -> list[dict]:
    """The simulator's code list (the codes the feeds carry); the committed seed when the
    simulator package is not installed."""
    sys.path.insert(0, str(REPO))
    try:
        from simulator.reference import ASSOCIATIONS
    except ImportError:
        return read(OUT / "associations.csv")
    return [{"association_code": a.code, "name_ja": a.name_ja, "name_en": a.name_en,
             "certainty": "modelled",
             "method": "association code of the platform (codes the feeds carry); names are the bodies' own"}
            for a in ASSOCIATIONS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", type=Path,
                        default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write into (default: the seeds)")
    args = parser.parse_args(argv)
    ref, out = args.reference, args.out
    out.mkdir(parents=True, exist_ok=True)
    prefectures = read(SEEDS / "prefectures.csv")
    occupations = read(SEEDS / "occupations.csv")
    code_of = {o["name_ja"]: o["occupation_code"] for o in occupations}

    national_rows = national_averages(ref)

    def emit(name: str, header: list[str], rows: list[dict]) -> Path:
        return write(name, header, rows, out)

    written = [
        emit("design_labor_unit_price_national",
              ["fiscal_year", "effective_from", "weighted_average_yen_per_day", "simple_average_growth_pct",
               "certainty", "method", "source_url"], national_rows),
        emit("design_labor_unit_price_occupations_2011_2015",
              ["occupation_ja", "occupation_code", "fiscal_year", "national_simple_average_yen_per_day",
               "certainty", "source_url"], occupations_2011_2015(ref, code_of)),
        emit("design_labor_unit_prices",
              ["fiscal_year", "prefecture_code", "occupation_code", "yen_per_day", "certainty", "method",
               "national_average_yen", "region_factor", "occupation_factor", "source_url"],
              unit_prices(ref, prefectures, occupations, national_rows, code_of)),
        emit("level_criteria",
              ["field_ja", "field_en", "level", "min_work_days", "min_foreman_days", "foreman_roles",
               "required_qualification_codes", "any_of_qualification_codes", "certainty", "method",
               "source_url"], level_criteria(ref, occupations)),
        emit("level_multipliers",
              ["level", "multiplier", "working_days_basis", "certainty", "method", "source_url"],
              level_multipliers(ref)),
        emit("level_income_2023",
              ["field_ja", "field_en", "level", "band", "annual_income_yen", "working_days_basis",
               "certainty", "source_url"], level_income(ref)),
        emit("associations", ["association_code", "name_ja", "name_en", "certainty", "method"],
              associations()),
    ]
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
