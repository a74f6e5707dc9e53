"""evalcore.messages: a code and its parameters, rendered in the reader's language."""

from __future__ import annotations

import pickle

import pytest

from evalcore.importer.problems import Problem
from evalcore.messages import Label, Message, MessageError, placeholders, render


@pytest.mark.parametrize(("message", "lang", "expected"), [
    (Message("round_missing", {"year": 2031}), "zh", "2031 年度考评不存在"),
    (Message("round_missing", {"year": 2031}), "en", "round 2031 does not exist"),
    (Message("unknown_stage", {"stage": "peer", "allowed": ["self", "cross"]}), "zh",
     "未知的阶段“peer”（可用：self、cross）"),
    (Message("unknown_stage", {"stage": "peer", "allowed": ("self", "cross")}), "en",
     "unknown stage 'peer' (use one of self, cross)"),
    (Message("above_maximum", {"value": "4.5", "max": 4.0}), "en", "4.5 is above the maximum 4"),
    (Message("point_outside_province", {"lon": 116.4, "lat": 39.9, "unit": "西湖区"}), "en",
     "point (116.4, 39.9) lies outside 西湖区 (outside Zhejiang)"),
    (Message("rights_role_cannot_import", {"role": Label("role_leader")}), "zh", "领导不能导入得分"),
    (Message("problem_in_file", {"file": "s.csv", "reason": Message("file_empty")}), "zh",
     "s.csv：文件是空的"),
    (Message("file_empty"), "fr", "文件是空的"),  # like labels.t: anything but en is Chinese
])
def test_render(message, lang, expected) -> None:
    assert render(message, lang) == expected


def test_an_unknown_code_shows_itself_with_its_parameters() -> None:
    assert render(Message("no_such_code", {"n": 3}), "zh") == "no_such_code {'n': '3'}"
    assert render(Message("no_such_code"), "en") == "no_such_code"


def test_messages_are_frozen_hashable_values() -> None:
    params = {"stage": "peer", "allowed": ["self"]}
    message = Message("unknown_stage", params)
    params["stage"] = "changed"
    assert message.params["stage"] == "peer"  # a copy: later changes to the dict don't leak
    with pytest.raises(TypeError):
        message.params["stage"] = "x"
    same = Message("unknown_stage", {"allowed": ("self",), "stage": "peer"})
    assert message == same and hash(message) == hash(same) and len({message, same}) == 1
    assert str(message) == "unknown stage 'peer' (use one of self)"


def test_message_error_is_english_in_logs_and_localised_for_people() -> None:
    error = MessageError(Message("store_round_exists", {"year": 2024}))
    assert str(error) == "round 2024 already exists"
    assert error.render("zh") == "2024 年度考评已存在"
    with pytest.raises(MessageError, match="round 2024 already exists"):
        raise error


def test_placeholders() -> None:
    assert placeholders("problem_at_cell") == {"file", "row", "column", "reason"}
    assert placeholders("file_empty") == set()



def test_messages_and_problems_survive_pickling() -> None:
    # Streamlit's st.cache_data pickles what it caches (the data page caches an upload's
    # validation, problems included).
    nested = Message("problem_at_cell", {"file": "f.csv", "row": 3, "column": "A1",
                                         "reason": Message("unknown_stage", {
                                             "allowed": ("self",), "stage": Label("cross")})})
    again = pickle.loads(pickle.dumps(nested))
    assert again == nested and render(again, "zh") == render(nested, "zh")
    problem = Problem("f.csv", Message("file_empty"), row=2)
    again = pickle.loads(pickle.dumps(problem))
    assert again == problem and again.render("zh") == problem.render("zh")
