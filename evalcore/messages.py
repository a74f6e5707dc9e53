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
    # -- the annual notice and the meeting pack (evalcore/notice.py, evalcore/pack.py)
    "notice_no_round": ("没有 {year} 年度的考评", "there is no round {year}"),
    "notice_draft_refused": ("{year} 年度考评尚未发布：通报只针对已发布的年度（管理员和领导可生成带"
                             "“草稿”标记的版本）",
                             "round {year} is not published: notices are for published rounds "
                             "(administrators and leaders may make one marked DRAFT)"),
    "notice_no_scores": ("{year} 年度尚无评分数据，无法生成通报",
                         "round {year} has no scores yet: there is nothing to report"),
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
    # -- round setup (evalcore/rounds_setup.py, evalcore/actions.py, evalcore/cli/round.py)
    "setup_group_own_city": ("第 {group} 组由{city}牵头，不能检查本市",
                                "group {group} is led by {city} and cannot inspect its own city"),
    "setup_group_not_a_city": ("第 {group} 组：“{value}”不是设区市", "group {group}: '{value}' is not a city"),
    "setup_group_number_invalid": ("组号“{value}”无效：组号为 1 至 {n} 的整数",
                             "group number '{value}' is invalid: groups are numbered 1 to {n}"),
    "setup_group_number_duplicate": ("第 {group} 组出现了不止一次", "group {group} appears more than once"),
    "setup_groups_count": ("检查组应有 {n} 个（每个设区市牵头一个），现有 {found} 个",
                     "there must be {n} groups (one led by each city); there are {found}"),
    "setup_city_leads_no_group": ("{city}没有牵头任何检查组", "{city} leads no group"),
    "setup_city_leads_twice": ("{city}牵头了不止一个检查组（第 {groups} 组）",
                         "{city} leads more than one group (groups {groups})"),
    "setup_city_not_inspected": ("{city}没有被任何检查组检查", "no group inspects {city}"),
    "setup_city_inspected_twice": ("{city}被不止一个检查组检查（第 {groups} 组）",
                             "{city} is inspected by more than one group (groups {groups})"),
    "setup_group_text_too_long": ("第 {group} 组的“{column}”太长：最多 {max} 个字符",
                            "group {group}: the {column} is too long (at most {max} characters)"),
    "setup_deadline_missing": ("{stage}：缺少截止日期", "{stage}: the closing date is missing"),
    "setup_deadline_reversed": ("{stage}：开始日期 {opens} 晚于截止日期 {closes}",
                          "{stage}: it opens on {opens}, after it closes on {closes}"),
    "setup_deadline_out_of_range": ("{stage}：日期 {date} 不在 {first} 至 {last} 之间（考评年度前后一年内）",
                              "{stage}: {date} is outside {first} to {last} (the round's year, "
                              "one year either side)"),
    "setup_deadline_self_after_cross": ("市县自评截止日期 {due} 应早于交叉互查开始日期 {opens}",
                                  "the self-evaluation is due on {due}, which must be before the "
                                  "cross inspection opens on {opens}"),
    "setup_deadline_third_before_cross": ("第三方评价开始日期 {third} 早于交叉互查开始日期 {cross}",
                                    "the third-party window opens on {third}, before the cross "
                                    "inspection opens on {cross}"),
    "setup_deadline_none_given": ("没有给出任何日期：请至少填写一个阶段的日期",
                            "no date given: set at least one stage"),
    "setup_deadline_bad_window": ("“{value}”不是日期区间（格式为 YYYY-MM-DD:YYYY-MM-DD）",
                            "'{value}' is not a date window (write YYYY-MM-DD:YYYY-MM-DD)"),
    "setup_refused": ("未保存任何内容（{n} 个问题）：{problems}",
                      "nothing was saved ({n} problem(s)): {problems}"),
    "setup_nothing_changed": ("没有需要保存的修改", "nothing changed: there is nothing to save"),
    "setup_target_blank_stored": ("{unit}已有目标任务，不能清空；如无任务请填 0",
                            "{unit} has a stored target, which cannot be cleared here; enter 0 "
                            "for none"),
    "setup_round_no_targets": ("{year} 年度尚无目标任务：导入之前，所有单位的开工率均得 0 分",
                         "round {year} has no targets yet: until they are set, the start rate "
                         "scores 0 for every unit"),
    "setup_round_no_previous_targets": ("{previous} 年尚无目标任务：{year} 年度所有单位的上年完工率均得 0 分",
                                  "{previous} has no targets: the completion rate of round "
                                  "{year} scores 0 for every unit"),
    "setup_round_no_groups": ("{year} 年度尚未分配检查组：检查组账户在该年度不能查看或填报任何单位",
                        "round {year} has no inspection groups yet: group accounts can neither "
                        "see nor score any unit in it"),
    "setup_round_created": ("已创建 {year} 年度考评（评分标准 {rubric}），审计编号 {id}",
                              "round {year} created (rubric {rubric}); audit entry {id}"),
    "setup_groups_saved": ("已保存 {year} 年度的 {n} 个检查组，审计编号 {id}",
                     "saved the {n} inspection groups of round {year}; audit entry {id}"),
    "setup_deadlines_saved": ("已保存 {year} 年度的考评时间安排，审计编号 {id}",
                        "saved the deadlines of round {year}; audit entry {id}"),
    "setup_no_targets_given": ("没有任何目标任务：每一行的数值都是空的", "no targets found: every row's values are empty"),
    "setup_duplicate_stage_row": ("重复行：阶段“{stage}”已在第 {other_row} 行出现",
                            "duplicate row: the stage {stage} is also on row {other_row}"),
    "rights_cannot_import_setup": ("您的账号无权导入{kind}", "your account may not import {kind}"),
    "setup_import_needs_round": ("导入{kind}需要 --round 年度", "importing {kind} needs --round YEAR"),
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
    "store_broken_rubric": ("评分标准 {version} 的文件有误，不能用于考评年度：{reason}",
                            "rubric {version} cannot be used for a round: {reason}"),
    "store_unknown_account": ("账号 {name} 不存在", "there is no account {name}"),
    # -- problems and rectification (整改, issue 11): evalcore/rectification.py,
    # actions_problems.py, importer/problem_rows.py; field is a Label
    "problem_refused": ("未保存任何内容（{n} 个问题）：{problems}",
                        "nothing was saved ({n} problem(s)): {problems}"),
    "problem_text_empty": ("{field}不能为空", "the {field} must not be empty"),
    "problem_text_too_long": ("{field}太长：最多 {max} 个字符",
                              "the {field} is too long: at most {max} characters"),
    "problem_deadline_missing": ("缺少整改期限（日期，格式 YYYY-MM-DD）",
                                 "the deadline is missing (a date, YYYY-MM-DD)"),
    "problem_deadline_out_of_range": ("整改期限 {date} 不在 {year} 年至 {last} 年之间（不能早于考评年度）",
                                      "the deadline {date} is not between {year} and {last} "
                                      "(it cannot be before the round's year)"),
    "problem_unknown_community": ("小区“{value}”不存在或不属于{unit}",
                                  "community '{value}' does not exist or is not in {unit}"),
    "problem_unknown_indicator": ("指标“{value}”不在本年度的评分标准中",
                                  "indicator '{value}' is not in this round's rubric"),
    "problem_not_inspected": ("您的检查组在 {year} 年度不检查{unit}，不能为其记录问题，未写入任何数据",
                              "your inspection group does not inspect {unit} in {year}: you "
                              "cannot record problems for it; nothing was written"),
    "problem_missing": ("问题 {id} 不存在", "there is no problem {id}"),
    "problem_changed": ("问题 {id} 刚刚被修改过；请刷新后再试，未写入任何数据",
                        "problem {id} was changed meanwhile; reload and try again; nothing "
                        "was written"),
    "problem_not_answerable": ("问题 {id} 的状态为“{status}”，不能报送整改情况",
                               "problem {id} is {status}: it cannot be answered"),
    "problem_not_reviewable": ("问题 {id} 的状态为“{status}”：只有已报送整改情况的问题可以销号或退回",
                               "problem {id} is {status}: only an answered problem can be "
                               "signed off or sent back"),
    "problem_not_your_unit": ("问题 {id} 属于{unit}：您只能报送本单位问题的整改情况，未写入任何数据",
                              "problem {id} belongs to {unit}: you may answer only your own "
                              "unit's problems; nothing was written"),
    "problem_not_finder": ("只有发现问题 {id} 的账号（{finder}）或管理员可以销号或退回，未写入任何数据",
                           "only the account that found problem {id} ({finder}) or an "
                           "administrator may sign it off or send it back; nothing was "
                           "written"),
    "evidence_empty": ("{file}：文件为空", "{file}: the file is empty"),
    "evidence_too_large": ("{file}：文件超过 {limit_mb} MB", "{file}: the file is over {limit_mb} MB"),
    "evidence_type": ("{file}：只接受以下类型的佐证材料：{allowed}（按文件内容判断，与扩展名无关）",
                      "{file}: evidence must be one of {allowed} (judged by the content, not "
                      "the file name)"),
    "evidence_damaged": ("{file}：文件已损坏，无法读取", "{file}: the file is damaged"),
    "evidence_bomb": ("{file}：文件解压后过大（疑似压缩炸弹），已拒绝",
                      "{file}: the file would inflate too far (a decompression bomb); refused"),
    "evidence_quota": ("{file}：本单位本年度的佐证材料将超过 {limit_mb} MB",
                       "{file}: this unit's evidence for the round would exceed {limit_mb} MB"),
    # -- online entry, submissions, evidence (evalcore/actions_entry.py); stage is a Label
    "entry_locked": ("{unit}的“{stage}”已提交并锁定，不能再修改；如需修改，请管理员重新开放",
                     "{unit}: the '{stage}' stage was submitted and is locked; an "
                     "administrator can reopen it"),
    "entry_window_before": ("“{stage}”的填报时间为 {opens} 至 {closes}，尚未开始（今天是 {today}）",
                            "the '{stage}' stage is open from {opens} to {closes}: not yet "
                            "(today is {today})"),
    "entry_window_after": ("“{stage}”的填报已于 {closes} 截止（今天是 {today}）；如需补录，请联系管理员",
                           "the '{stage}' stage closed on {closes} (today is {today}); ask "
                           "an administrator"),
    "submit_nothing": ("{unit}的“{stage}”还没有任何得分，不能提交",
                       "{unit}: the '{stage}' stage has no points entered; nothing to submit"),
    "reopen_reason_required": ("重新开放须填写理由", "reopening needs a reason"),
    "reopen_not_submitted": ("{unit}的“{stage}”尚未提交，无需重新开放",
                             "{unit}: the '{stage}' stage is not submitted; there is nothing "
                             "to reopen"),
    "evidence_not_allowed": ("您的账号无权为{unit}的这一项上传佐证材料，未写入任何数据",
                             "your account may not attach evidence to this item of {unit}; "
                             "nothing was written"),
    "evidence_bad_subject": ("佐证材料所属对象无效：{subject} “{key}”（可选：{allowed}）",
                             "not something evidence can be attached to: {subject} '{key}' "
                             "(one of {allowed})"),
    "evidence_not_found": ("找不到该佐证材料，或您无权查看", "no such evidence file, or you may not see it"),
    "store_refused": ("操作被拒绝：您没有这项权限", "refused: you do not have the right to do this"),
    "store_read_only": ("本实例为只读部署，不能写入数据",
                        "this deployment is read-only: nothing can be written"),
    # -- schema versions and migrations (evalcore/migrations/)
    "store_schema_newer": ("{path} 的数据结构版本为 {found}，比本程序支持的版本 {supported} 新：请升级本程序"
                           "后再打开。文件未被改动",
                           "{path} has schema version {found}, newer than this program's "
                           "{supported}: upgrade the program to open it. The file was not changed"),
    "store_schema_older": ("{path} 的数据结构版本为 {found}，本程序需要版本 {supported}；只读打开时无法升级，"
                           "请先运行 {command}",
                           "{path} has schema version {found} and this program needs {supported}; "
                           "it cannot be migrated when opened read-only: run {command} first"),
    "store_schema_unknown": ("{path} 记录的数据结构版本“{found}”无法识别",
                             "{path} records a schema version that is not a number: '{found}'"),
    "store_schema_no_path": ("没有从数据结构版本 {found} 升级到 {supported} 的步骤",
                             "there are no migration steps from schema version {found} to "
                             "{supported}"),
    "store_migration_backup_failed": ("升级 {path}（版本 {found} → {supported}）前无法写入备份，未作任何改动："
                                      "{reason}",
                                      "could not write the backup before migrating {path} (schema "
                                      "version {found} to {supported}); nothing was changed: "
                                      "{reason}"),
    "store_migration_failed": ("{path} 从数据结构版本 {found} 升级到 {supported} 失败，文件保持原样"
                               "（升级前的备份：{backup}）：{reason}",
                               "migrating {path} from schema version {found} to {supported} "
                               "failed; the file is as it was (backup taken before: {backup}): "
                               "{reason}"),
    "store_migrated": ("{path} 已从数据结构版本 {found} 升级到 {supported}；升级前的文件保留为 {backup}",
                       "{path} migrated from schema version {found} to {supported}; the file as "
                       "it was is kept as {backup}"),
    "store_schema_current": ("{path} 已是当前数据结构版本 {supported}，无需升级",
                             "{path} is at the current schema version {supported}; nothing to do"),
    # -- backup and restore (evalcore/backup.py); {file} may be the manifest's own name
    "store_backup_done": ("备份已写入 {dir}：{files} 个文件，共 {size} 字节，数据结构版本 {version}",
                          "backup written to {dir}: {files} file(s), {size} bytes, schema version "
                          "{version}"),
    "store_backup_in_use": ("无法备份 {path}：另一个进程（通常是仪表盘）正以读写方式打开它，数据库引擎不允许"
                            "其他进程同时读取。请短暂停止仪表盘后再备份",
                            "cannot back up {path}: another process (the dashboard, usually) "
                            "holds it read-write, and DuckDB lets no other process read it "
                            "meanwhile. Stop the dashboard for the backup"),
    "store_backup_not_ours": ("{path} 不是考评数据库（没有数据结构版本）",
                              "{path} is not an evaluation database (it records no schema "
                              "version)"),
    "store_backup_incomplete": ("{dir} 不是完整的备份（缺少 {file}），可能是一次中断的备份",
                                "{dir} is not a complete backup (it has no {file}): an "
                                "interrupted backup, perhaps"),
    "store_backup_manifest_unreadable": ("{dir} 中的 {file} 无法读取：{reason}",
                                         "the {file} of {dir} cannot be read: {reason}"),
    "store_backup_file_missing": ("备份已损坏：缺少文件 {file}，未恢复任何内容",
                                  "the backup is damaged: {file} is missing; nothing was "
                                  "restored"),
    "store_backup_file_damaged": ("备份已损坏：{file} 的大小或校验值与备份清单不符，未恢复任何内容",
                                  "the backup is damaged: {file} does not match its manifest "
                                  "(size or SHA-256); nothing was restored"),
    "store_backup_version_mismatch": ("备份已损坏：备份清单记录的数据结构版本 {manifest} 与数据库文件中的 "
                                      "{found} 不符，未恢复任何内容",
                                      "the backup is damaged: its manifest says schema version "
                                      "{manifest} but its database file has {found}; nothing "
                                      "was restored"),
    "store_backup_schema_newer": ("该备份的数据结构版本为 {found}，比本程序支持的版本 {supported} 新：请先"
                                  "升级本程序。未恢复任何内容",
                                  "the backup has schema version {found}, newer than this "
                                  "program's {supported}: upgrade the program first. Nothing "
                                  "was restored"),
    "store_restore_in_use": ("无法恢复 {path}：另一个进程（仪表盘或导入）正打开它。请先停止仪表盘",
                             "cannot restore {path}: another process (the dashboard or an "
                             "import) has it open. Stop the dashboard first"),
    "store_restored": ("已从 {dir} 恢复 {path}；原来的文件保留为 {before}",
                       "restored {path} from {dir}; the previous file is kept as {before}"),
    "store_restored_new": ("已从 {dir} 恢复 {path}", "restored {path} from {dir}"),
    "store_evidence_restored": ("证据文件夹 {evidence} 已恢复；原来的文件夹保留为 {before}",
                                "evidence folder {evidence} restored; the previous one is kept "
                                "as {before}"),
    "store_evidence_restored_new": ("证据文件夹 {evidence} 已恢复", "evidence folder {evidence} restored"),
    # -- bonus cases and deductions (evalcore/actions_bonus.py, evalcore/importer/bonus.py)
    "bonus_unknown_category": ("本年度评分标准中没有加分类别“{category}”（可选：{allowed}）",
                               "the round's rubric has no bonus category '{category}' (choose "
                               "from {allowed})"),
    "bonus_title_missing": ("请填写案例名称", "give the case a title"),
    "bonus_amount_invalid": ("筹集金额“{value}”无效：应为不小于 0 的数（万元）",
                             "the amount raised '{value}' is invalid: a number ≥ 0 (¥10k)"),
    "store_changed_meanwhile": ("数据刚被他人修改，请刷新后重试；未写入任何数据",
                                "the data changed meanwhile: reload and try again; nothing was "
                                "written"),
    "bonus_case_missing": ("单位 {unit} 没有加分案例 {category}-{case_no}",
                           "unit {unit} has no bonus case {category}-{case_no}"),
    "bonus_case_reviewed": ("加分案例 {category}-{case_no} 已经核验，不能再修改或撤回",
                            "bonus case {category}-{case_no} has been reviewed: it can no "
                            "longer be edited or withdrawn"),
    "bonus_case_no_evidence": ("加分案例 {category}-{case_no} 没有佐证材料：至少上传一个文件才能申报"
                               "（形成机制并有实例）",
                               "bonus case {category}-{case_no} has no evidence: attach at "
                               "least one file to claim it (a mechanism with a real case)"),
    "bonus_review_note_missing": ("请填写核验意见（认定或不予认定的理由）",
                                  "give a reason for the verdict (why the case is accepted "
                                  "or rejected)"),
    "bonus_wrong_stage": ("加分类别 {category} 由“{verifying}”阶段核验，不能在“{stage}”阶段核验",
                          "bonus category {category} is verified at the '{verifying}' stage, "
                          "not at '{stage}'"),
    "deduction_unknown_code": ("本年度评分标准中没有扣分项或否决项“{item}”（可选：{allowed}）",
                               "the round's rubric has no deduction item or veto '{item}' "
                               "(choose from {allowed})"),
    "deduction_veto_points": ("否决项 {item} 不扣分（分值应为 0）：一票否决定为最低等次并排在最后",
                              "veto {item} carries no points (give 0): a veto sets the lowest "
                              "grade and ranks the unit last"),
    "deduction_out_of_range": ("扣分项 {item} 的分值 {points} 不在 {low}–{high} 之间：已拒绝（不会自动截断）",
                               "deduction item {item}: {points} points is outside its range "
                               "{low}–{high}: refused (never clipped)"),
    "deduction_reason_missing": ("请填写扣分或否决的理由", "give the reason for the deduction or veto"),
    "evidence_unknown_subject": ("未知的佐证对象“{subject}”", "unknown evidence subject '{subject}'"),
    "bonus_verdict_invalid": ("核验结论“{value}”无效：填 accepted（认定）或 rejected（不予认定）",
                              "verdict '{value}' is invalid: accepted or rejected"),
    "bonus_self_has_verdict": ("市县自评行不填核验结论", "a self-evaluation row has no verdict"),
    "bonus_review_needs_verdict": ("核验行需要核验结论", "a review row needs a verdict"),
    "bonus_review_without_claim": ("单位 {unit} 没有可核验的加分案例 {category}-{case_no}（文件和已存数据中均无申报）",
                                   "unit {unit} has no claimed case {category}-{case_no} to "
                                   "review (neither in the file nor stored)"),
    "bonus_duplicate_row": ("与第 {other_row} 行重复", "repeats row {other_row}"),
}
