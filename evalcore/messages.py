"""Messages for people (import problems, store errors, refusals): a code and its parameters,
rendered in the reader's language when shown, from one catalogue of Chinese and English texts.

Code that finds a problem says what it is, `Message("unknown_unit", {"value": "火星区"})`; the
page, the CLI or the log turns it into text with `render(message, lang)`. A parameter may be a
number, a text, a list (joined as the language joins lists), a `Label` (rendered through
evalcore.labels) or another `Message` (rendered in the same language). A test checks that
every code used in the source is here in both languages with the same placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Formatter
from types import MappingProxyType
from typing import Any

from evalcore.labels import t


@dataclass(frozen=True)
class Label:
    """A parameter shown as a display label (a role, a stage), in the message's language."""

    key: str


@dataclass(frozen=True)
class Message:
    """What to say, not how: a catalogue code and the values its text needs."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        frozen = {k: tuple(v) if isinstance(v, list) else v for k, v in self.params.items()}
        object.__setattr__(self, "params", MappingProxyType(frozen))

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params.items()))))

    def __str__(self) -> str:
        return render(self, "en")

    def __reduce__(self):
        # Picklable, as Streamlit's st.cache_data needs (an upload's problems are cached):
        # rebuilt from its code and plain parameters (a mappingproxy cannot be pickled).
        return Message, (self.code, dict(self.params))


class MessageError(Exception):
    """An error that carries a Message: `str()` is English (logs), `render(lang)` for people."""

    def __init__(self, message: Message) -> None:
        super().__init__(render(message, "en"))
        self.message = message

    def render(self, lang: str) -> str:
        return render(self.message, lang)


LIST_SEPARATORS = {"zh": "、", "en": ", "}


def _param(value: Any, lang: str) -> str:
    if isinstance(value, Message):
        return render(value, lang)
    if isinstance(value, Label):
        return t(value.key, lang)
    if isinstance(value, tuple):
        return LIST_SEPARATORS[lang].join(_param(v, lang) for v in value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return str(value)


def render(message: Message, lang: str) -> str:
    """The message's text in `lang` ('zh' or 'en'); an unknown code shows itself, visibly."""
    lang = "en" if lang == "en" else "zh"
    texts = MESSAGES.get(message.code)
    params = {k: _param(v, lang) for k, v in message.params.items()}
    if texts is None:
        return f"{message.code} {params}" if params else message.code
    return texts[lang == "en"].format(**params)


def placeholders(code: str) -> set[str]:
    """The parameter names a code's text uses (the same in both languages)."""
    return {name for _, name, _, _ in Formatter().parse(MESSAGES[code][1]) if name}


# code: (Chinese, English). Placeholders are the parameter names; both texts use the same set.
MESSAGES: dict[str, tuple[str, str]] = {
    # -- where a problem is (file, row, column), around its reason
    "problem_in_file": ("{file}：{reason}", "{file}: {reason}"),
    "problem_at_row": ("{file}，第 {row} 行：{reason}", "{file}, row {row}: {reason}"),
    "problem_at_column": ("{file}，“{column}”列：{reason}", "{file}, column {column}: {reason}"),
    "problem_at_cell": ("{file}，第 {row} 行，“{column}”列：{reason}",
                        "{file}, row {row}, column {column}: {reason}"),
    "import_refused_head": ("导入被拒绝，未写入任何数据（{n} 个问题）：",
                            "import refused, nothing was written ({n} problem(s)):"),
    "import_summary": ("已从 {file} 导入 {rows} 行：新增 {new}，修改 {changed}，未变 {unchanged}"
                       "（sha256 {sha}）",
                       "imported {rows} rows from {file}: {new} new, {changed} changed, "
                       "{unchanged} unchanged (sha256 {sha})"),
    "import_needs_round_stage": ("导入得分需要 --round 年度 和 --stage 阶段",
                                 "scores need --round YEAR and --stage STAGE"),
    # Transitional: English text from code not yet converted to codes (importer/rights.py).
    # Remove with Problem's str fallback once nothing passes text.
    # -- reading the file
    "file_not_found": ("找不到文件", "file not found"),
    "file_type": ("只能导入 .csv 或 .xlsx 文件", "only .csv and .xlsx files can be imported"),
    "file_empty": ("文件是空的", "the file is empty"),
    "file_utf16": ("文件是 UTF-16 文本；请另存为 CSV UTF-8 或 Excel 工作簿",
                   "is UTF-16 text; save it as CSV UTF-8 or as an Excel workbook"),
    "file_undecodable": ("无法按 UTF-8 或 GBK/GB18030 解码；请另存为 CSV UTF-8 或 Excel 工作簿",
                         "cannot be decoded as UTF-8 or GBK/GB18030; save it as CSV UTF-8 or "
                         "as an Excel workbook"),
    "xlsx_unreadable": ("不是可读取的 Excel 工作簿：文件可能已损坏、设有密码或不是 .xlsx 格式",
                        "is not a readable Excel workbook: it may be damaged, password-protected "
                        "or not an .xlsx file"),
    "row_too_wide": ("本行有 {cells} 个单元格，但表头只有 {width} 个",
                     "has {cells} cells but the header has {width}"),
    "cell_formula": ("单元格 {cell} 含有公式；请改为粘贴数值",
                     "cell {cell} holds a formula; paste values instead"),
    "no_data_rows": ("只有表头，没有数据行", "has a header but no data rows"),
    # -- limits and hostile files (evalcore/importer/limits.py, reading.py, workbook.py)
    "problems_omitted": ("另有 {n} 个问题未列出；请先改正以上问题后再上传",
                         "{n} more problem(s) not listed; fix those above and upload again"),
    "file_too_large": ("文件大小为 {size}，超过上限 {max}", "the file is {size}, above the limit of {max}"),
    "too_many_rows": ("数据超过 {max} 行的上限；请分成几个文件导入",
                      "has more than {max} data rows, the limit; import it as several files"),
    "too_many_columns": ("表头有 {columns} 列，超过上限 {max} 列",
                         "the header has {columns} columns, above the limit of {max}"),
    "too_many_cells": ("数据超过 {max} 个单元格（行数 × 列数）的上限；请分成几个文件导入",
                       "has more than {max} cells (rows × columns), the limit; import it as "
                       "several files"),
    "csv_unreadable": ("无法按 CSV 格式读取（第 {row} 行附近）：可能有未闭合的引号或过长的单元格",
                       "cannot be read as CSV (near row {row}): an unclosed quote or a cell too "
                       "long?"),
    "csv_is_workbook": ("这个 .csv 文件其实是 Excel 工作簿；请将其改名为 .xlsx，或另存为 CSV UTF-8",
                        "this .csv file is an Excel workbook: rename it .xlsx or save it as CSV "
                        "UTF-8"),
    "file_mixed_encoding": ("文件混用了不同的文字编码：第 {row} 行是 UTF-8，其他行不是；请将整个文件另存为 CSV UTF-8",
                            "mixes text encodings: row {row} is UTF-8 and other rows are not; "
                            "save the whole file as CSV UTF-8"),
    "bom_inside": ("本行含有字节顺序标记，可能是把两个文件拼接在了一起；请删除它",
                   "holds a byte-order mark (U+FEFF), as when two files are joined; remove it"),
    "header_missing": ("第一行（表头）是空的；请保留模板的表头行", "the first row (the header) is empty; keep "
                       "the template's header row"),
    "header_blank": ("这一列有数据，但没有表头", "this column has data but no header"),
    "xlsx_is_old_or_encrypted": ("这是旧版 Excel 格式或设有密码的工作簿；请另存为不设密码的 .xlsx 文件",
                                 "is an old Excel (.xls) or password-protected workbook: save it "
                                 "as .xlsx without a password"),
    "xlsx_unpacked_too_large": ("工作簿解压后为 {size}，超过上限 {max}；已在解压前拒绝",
                                "the workbook unpacks to {size}, above the limit of {max}; "
                                "refused before unpacking"),
    "xlsx_compression_ratio": ("工作簿中的 {part} 压缩比为 {ratio}:1，超过上限 {max}:1（疑似压缩炸弹）；"
                               "已在解压前拒绝",
                               "part {part} of the workbook is compressed {ratio}:1, above the "
                               "limit of {max}:1 (a decompression bomb?); refused before "
                               "unpacking"),
    "xlsx_too_many_parts": ("工作簿由 {n} 个部件组成，超过上限 {max}",
                            "the workbook has {n} parts, above the limit of {max}"),
    "sheet_hidden": ("工作表“{sheet}”是隐藏的；隐藏的工作表不会被导入，请取消隐藏或把数据放到可见的工作表中",
                     "sheet '{sheet}' is hidden; hidden sheets are never imported: unhide it or "
                     "put the data in a visible sheet"),
    "sheet_ambiguous": ("工作簿有多个可见的工作表（{sheets}），但没有名为“{sheet}”的；请把要导入的数据放在"
                        "名为“{sheet}”的工作表中",
                        "the workbook has several visible sheets ({sheets}) and none named "
                        "'{sheet}': put the data to import in a sheet named '{sheet}'"),
    "no_visible_sheet": ("工作簿中没有可见的工作表", "the workbook has no visible sheet"),
    "sheet_too_long": ("工作表“{sheet}”的已用区域 {range} 有 {rows} 行，超过上限 {max} 行；"
                       "请删除数据下方的空行",
                       "sheet '{sheet}' uses {range}: {rows} rows, above the limit of {max}; "
                       "delete the empty rows below the data"),
    "sheet_too_wide": ("工作表“{sheet}”的已用区域 {range} 有 {columns} 列，超过上限 {max} 列；"
                       "请删除数据右侧的空列",
                       "sheet '{sheet}' uses {range}: {columns} columns, above the limit of "
                       "{max}; delete the empty columns right of the data"),
    "merged_cells": ("单元格 {range} 是合并单元格；请取消合并，并在每一行填写",
                     "cells {range} are merged; unmerge them and fill in every row"),
    # -- columns
    "missing_column": ("缺少“{column}”列", "missing column '{column}'"),
    "unknown_column": ("未知的列“{column}”", "unknown column '{column}'"),
    "duplicate_column": ("“{column}”列出现了不止一次", "column '{column}' appears more than once"),
    "header_hint": ("“{column}”列应使用模板的表头“{code}”（第一行请保持模板原样）",
                    "column '{column}' should have the template's header '{code}' (keep the "
                    "template's first row as it is)"),
    "derived_indicator_column": ("指标“{code}”由小区数据计算得出，不能导入",
                                 "indicator '{code}' is computed from community data and "
                                 "cannot be imported"),
    # -- cell values
    "value_required": ("必须填写", "a value is required"),
    "above_maximum": ("{value} 超过最大值 {max}", "{value} is above the maximum {max}"),
    "below_minimum": ("{value} 低于最小值 {min}", "{value} is below the minimum {min}"),
    "not_a_number": ("“{value}”不是有效的数字", "'{value}' is not a valid number"),
    "not_a_date": ("“{value}”不是有效的日期（格式为 YYYY-MM-DD）",
                   "'{value}' is not a valid date (write YYYY-MM-DD)"),
    "not_a_yes_no": ("“{value}”不是是否值（请填 1 或 0）", "'{value}' is not a yes/no value (use 1 or 0)"),
    "not_a_whole_number": ("“{value}”不是有效的整数", "'{value}' is not a whole number"),
    "not_one_of": ("“{value}”不是可选值之一：{allowed}", "'{value}' is not one of: {allowed}"),
    "text_too_long": ("文字太长：最多 {max} 个字符", "the text is too long: at most {max} characters"),
    "text_too_short": ("文字太短：至少 {min} 个字符", "the text is too short: at least {min} characters"),
    "invalid_value": ("“{value}”不是有效的值", "'{value}' is not a valid value"),
    "completion_without_start": ("填写了竣工日期（completion_date），但没有开工日期（start_date）",
                                 "completion_date is given without start_date"),
    "completion_before_start": ("竣工日期（completion_date）早于开工日期（start_date）",
                                "completion_date is before start_date"),
    # -- units and communities
    "unit_empty": ("单位为空", "the unit is empty"),
    "unknown_unit": ("未知的单位“{value}”（请填写代码、全称或简称）",
                     "unknown unit '{value}' (give a code, full name or short name)"),
    "ambiguous_unit": ("“{value}”对应不止一个单位；请填写其代码",
                       "'{value}' names more than one unit; give its code"),
    "duplicate_unit_row": ("重复行：单位 {code} 已在第 {other_row} 行出现",
                           "duplicate row: unit {code} is also on row {other_row}"),
    "unit_code_name_mismatch": ("代码 {code} 是{code_name}，但单位名称写的是“{name}”（代码 {name_code}）；"
                                "请改正其中之一",
                                "code {code} is {code_name} but the unit name says '{name}' "
                                "(code {name_code}): correct one of them"),
    "no_scores": ("没有任何得分：所有指标单元格都是空的",
                  "no scores found: every indicator cell is empty"),
    "duplicate_id": ("重复的编号“{id}”（第 {other_row} 行也有）",
                     "duplicate id '{id}' (also on row {other_row})"),
    "point_in_other_unit": ("坐标点 ({lon}, {lat}) 不在{unit}境内（它位于{found}）",
                            "point ({lon}, {lat}) lies outside {unit} (it falls in {found})"),
    "point_outside_province": ("坐标点 ({lon}, {lat}) 不在{unit}境内（它在浙江省外）",
                               "point ({lon}, {lat}) lies outside {unit} (outside Zhejiang)"),
    # -- what was asked for
    "unknown_stage": ("未知的阶段“{stage}”（可用：{allowed}）",
                      "unknown stage '{stage}' (use one of {allowed})"),
    "unknown_crs": ("未知的坐标系“{crs}”（可用：{allowed}）",
                    "unknown coordinate system '{crs}' (use one of {allowed})"),
    "round_missing": ("{year} 年度考评不存在", "round {year} does not exist"),
    # -- rights (importer/rights.py); role and stage are Labels
    "communities_admin_only": ("只有管理员可以导入小区数据",
                               "only an administrator imports communities"),
    "rights_role_cannot_import": ("{role}不能导入得分", "the {role} role cannot import scores"),
    "rights_role_stage_only": ("{role}只能导入“{stage}”阶段的得分",
                               "the {role} role imports only the '{stage}' stage"),
    "rights_round_published": ("{year} 年度已发布；只有管理员可以修改",
                               "round {year} is published; only an administrator can change it"),
    "rights_unit_outside": ("单位 {unit} 不在您 {year} 年度的权限范围内",
                            "unit {unit} is outside your rights in round {year}"),
    # -- the store (evalcore/db.py)
    "store_missing": ("数据库 {path} 不存在", "database {path} does not exist"),
    "store_in_use": ("无法打开 {path}：它正被另一个进程（仪表盘或另一次导入）使用；请等其结束后再试",
                     "cannot open {path}: it is in use by another process (the dashboard or "
                     "another import); try again when it has finished"),
    "store_cannot_open": ("无法打开 {path}：{reason}", "cannot open {path}: {reason}"),
    "store_round_exists": ("{year} 年度考评已存在", "round {year} already exists"),
    "store_already_reverted": ("审计记录 {id} 已经撤销过", "entry {id} was already reverted"),
    "store_nothing_to_revert": ("审计记录 {id} 没有改动任何数据（无可撤销）",
                                "entry {id} changed no rows (nothing to revert)"),
    "store_changed_again": ("审计记录 {id} 改动的数据后来又被审计记录 {later} 改动；请先撤销后者",
                            "rows of entry {id} were changed again by entry {later}; revert that "
                            "one first"),
    "store_database_error": ("数据库拒绝了该操作，未写入任何数据：{reason}",
                             "the database refused the change; nothing was written: {reason}"),
    "store_account_gone": ("您的账号已不存在或已变更，操作未执行",
                           "your account no longer exists or has changed; nothing was written"),
    "store_not_allowed": ("您的账号此刻无权执行该操作（年度可能已发布或权限已变更），未写入任何数据",
                          "your account may not do this now (the round may have been published "
                          "or your rights changed); nothing was written"),
    "store_unknown_rubric": ("未知的评分标准版本 {version}", "unknown rubric version {version}"),
    "store_unknown_account": ("账号 {name} 不存在", "there is no account {name}"),
    "store_refused": ("操作被拒绝：您没有这项权限", "refused: you do not have the right to do this"),
    "store_read_only": ("本实例为只读部署，不能写入数据",
                        "this deployment is read-only: nothing can be written"),
}
