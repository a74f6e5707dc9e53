"""Community search for the public: "was my community renovated, and what was done?"

Finding a community by part of its name in Chinese, or by the first letters of its pinyin
("xhxc" for 西湖新村), in the whole province or one county; and one community's card: batch,
status, dates, households, what was done, lifts, property management, money by source and
satisfaction. Everything comes from the communities the viewer's Reader returns: for the
public, published batch years with statuses as at the end of the last published year, and
satisfaction only where a community was completed by then. No personal data is held.

Pinyin initials: every reading of every character counts (乐 is "l" or "y"), so a search for
"yq" finds 乐清 whichever reading the reader has in mind. Initials come from pypinyin's
dictionary, character by character (cached): fast enough for 220,000 names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pandas as pd

from evalcore.labels import fmt_households, fmt_money_wan, fmt_number, fmt_pct, t
from evalcore.schema import FUNDING_SOURCES, ITEM_CATEGORIES
from evalcore.views.palette import STATUS_GLYPHS

ID_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,63}")
RESULT_LIMIT = 20
MAX_QUERY = 40  # characters of a search that are looked at


def normalise(query: str | None) -> str:
    """The search as matched: NFKC (full-width letters become ASCII), trimmed, lower case,
    without spaces, at most MAX_QUERY characters."""
    text = unicodedata.normalize("NFKC", query or "").strip().lower()
    return re.sub(r"\s+", "", text)[:MAX_QUERY]


@cache
def char_initials(char: str) -> str:
    """Every first letter a character's readings start with ('乐' → 'ly'); an ASCII letter or
    digit stands for itself; anything else has none."""
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    if not "\u3400" <= char <= "\u9fff":
        return ""
    try:
        from pypinyin import Style, pinyin
    except ImportError:  # the search by Chinese characters still works
        return ""
    readings = pinyin(char, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
    letters = {r[0].lower() for group in readings for r in group if r and r[0].isalpha()}
    return "".join(sorted(letters))


def name_initials(name: str) -> tuple[str, ...]:
    """The initials a name's characters may start with, one string per character."""
    return tuple(char_initials(c) for c in name)


def initials_match(initials: tuple[str, ...], query: str) -> int | None:
    """Where `query` (letters) first matches consecutive characters' initials, or None."""
    n = len(query)
    for start in range(len(initials) - n + 1):
        if all(query[j] in initials[start + j] for j in range(n)):
            return start
    return None


def search_index(communities: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """id, name, county_code, county, city, batch_year of every community the viewer sees."""
    names = regions.set_index("code")
    county = communities["county_code"]
    return pd.DataFrame({
        "id": communities["id"].to_numpy(), "name": communities["name"].to_numpy(),
        "county_code": county.to_numpy(), "county": county.map(names["name"]).to_numpy(),
        "city": county.map(names["parent_code"]).map(names["name"]).to_numpy(),
        "batch_year": communities["batch_year"].astype(int).to_numpy(),
    })


def search(index: pd.DataFrame, query: str | None, county: str | None = None,
           limit: int = RESULT_LIMIT) -> tuple[pd.DataFrame, int]:
    """(the best `limit` matches, how many matched). Best first: the whole name, its start,
    anywhere in it, then pinyin initials at the start, anywhere; then shorter names, id.
    No query lists a chosen county's communities (and nothing for the whole province)."""
    rows = index if county is None else index[index["county_code"] == county]
    text = normalise(query)
    if not text:
        return (rows.head(limit), len(rows)) if county else (rows.head(0), 0)
    names = rows["name"].str.lower()
    rank = pd.Series(pd.NA, index=rows.index, dtype="Int64")
    found = names.str.find(text)
    rank[found >= 0] = 2
    rank[found == 0] = 1
    rank[names == text] = 0
    if text.isascii() and text.isalnum():
        for i, name in rows.loc[rank.isna(), "name"].items():
            start = initials_match(name_initials(name), text)
            if start is not None:
                rank[i] = 3 if start == 0 else 4
    found_rows = rank.notna()
    hits = rows[found_rows].assign(_rank=rank[found_rows], _len=names[found_rows].str.len())
    hits = hits.sort_values(["_rank", "_len", "id"]).drop(columns=["_rank", "_len"])
    return hits.head(limit), len(hits)


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def plain(text: str) -> str:
    """Imported text (a community's name) shown through markdown as the text itself: every
    markdown character escaped, so a name cannot become a link, emphasis or a heading."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def result_label(row, lang: str) -> str:
    """'上城化工新村 · 上城区 · 2019年计划' for a result link (the name escaped)."""
    return " · ".join([plain(row.name), row.county,
                       t("progress_batch", lang).format(year=row.batch_year)])


def valid_id(value: str | None, ids) -> str | None:
    """A community id from the URL, if it is one this viewer may see (else None)."""
    if not value or not ID_PATTERN.fullmatch(value):
        return None
    return value if value in set(ids) else None


# -- one community's card -----------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    name: str
    place: str  # county · city
    status: str  # '● 已验收'
    facts: tuple[tuple[str, str], ...]  # (label, value) of the figures shown as metrics
    items: str
    management: str
    investment: str
    satisfaction: str | None  # None: not published for this community


def _date(value) -> str:
    return "–" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def community_card(row: pd.Series, regions: pd.DataFrame, lang: str) -> Card:
    names = regions.set_index("code")["name"]
    parent = regions.set_index("code")["parent_code"]
    county = row["county_code"]
    status = str(row["status"])
    facts = (
        (t("cm_batch", lang), t("progress_batch", lang).format(year=int(row["batch_year"]))),
        (t("cm_households", lang), fmt_households(float(row["households"]), lang)),
        (t("cm_started", lang), _date(row["start_date"])),
        (t("cm_completed", lang), _date(row["completion_date"])),
        (t("cm_lifts", lang), fmt_number(int(row["lifts_added"]), lang)),
        (t("cm_built", lang), "–" if pd.isna(row["built_year"]) else str(int(row["built_year"]))),
    )
    items = t("cm_items_text", lang).format(
        **{c: int(row[f"items_{c}"]) for c in ITEM_CATEGORIES})
    fund = t("cm_fund_yes" if bool(row["maintenance_fund"]) else "cm_fund_no", lang)
    management = f"{t('cm_pm_' + str(row['property_management']), lang)} · {fund}"
    investment = t("cm_investment_text", lang).format(
        planned=fmt_money_wan(float(row["planned_investment_wan"]), lang),
        completed=fmt_money_wan(float(row["completed_investment_wan"]), lang))
    satisfaction = None if pd.isna(row["satisfaction"]) else fmt_pct(float(row["satisfaction"]),
                                                                      lang)
    return Card(name=str(row["name"]), place=f"{names[county]} · {names[parent[county]]}",
                status=f"{STATUS_GLYPHS[status]} {t(status, lang)}", facts=facts, items=items,
                management=management, investment=investment, satisfaction=satisfaction)


def fact_line(label: str, text: str, lang: str) -> str:
    """'**改造内容**：基础类 8 项 …' (markdown; `text` is ours or a number, never user text
    that could carry markup: names are shown through st.header)."""
    return f"**{label}**{'：' if lang == 'zh' else ': '}{text}"


def funding_table(row: pd.Series, lang: str) -> pd.DataFrame:
    """Investment by source (万元 as stored, with each source's share), largest first;
    sources that gave nothing are left out."""
    amounts = pd.Series({s: float(row[f"fund_{s}_wan"]) for s in FUNDING_SOURCES})
    amounts = amounts[amounts > 0].sort_values(ascending=False)
    total = amounts.sum()
    return pd.DataFrame({
        t("cm_source", lang): [t(f"bonus_fund_{s}", lang) for s in amounts.index],
        t("cm_amount_wan", lang): amounts.round(1).to_numpy(),
        t("cm_share", lang): [fmt_pct(v / total, lang) if total else "–" for v in amounts],
    })
