"""Personal data typed into free text is masked for roles that may not see it; names too."""

from __future__ import annotations

import pytest

from complaints.domain.privacy import mask_name, mask_personal_data


@pytest.mark.parametrize("text, masked", [
    ("电话13812341234，请回电", "电话*******1234，请回电"),
    ("call +86 138 1234 5678 after 5", "call +** *** **** 5678 after 5"),
    ("手机：138-1234-5678。", "手机：***-****-5678。"),
    ("0086-13812341234", "****-*******1234"),
    ("座机010-12345678", "座机***-****5678"),
    ("(0755)1234567 店里", "(****)***4567 店里"),
    ("身份证11010519491231002X号", "身份证**************002X号"),
    ("id 11010519491231002x.", "id **************002x."),
    ("老证号110105491231002", "老证号***********1002"),
    ("电话１３８１２３４１２３４", "电话*******１２３４"),  # typed with full-width digits
])
def test_phone_and_id_numbers_in_the_text_are_masked(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize("text", [
    "VIN LSVAU2180N2183294，里程12000公里",
    "索赔单 WC-2026-0001，零件号 45022-T2A-A01",
    "维修工单 RO20261204001 费用 1380 元",
    "2026-12-04 16:00 来店",
])
def test_other_numbers_are_left_alone(text):
    assert mask_personal_data(text) == text


def test_the_customers_name_in_the_text_is_masked_too():
    assert mask_personal_data("张伟说张伟的车刹车异响", ["张伟"]) == "张*说张*的车刹车异响"
    assert mask_personal_data("王先生来电", ["王先生", None]) == "王**来电"
    assert mask_personal_data(None, ["张伟"]) is None


@pytest.mark.parametrize("name, masked", [("张伟", "张*"), ("王先生", "王**"), ("欧阳娜娜", "欧***"), ("张", "*"),
                                          (" 张伟 ", "张*"), ("Li Wei", "L*****"), ("", ""), (None, None)])
def test_short_names_are_not_left_readable(name, masked):
    assert mask_name(name) == masked
