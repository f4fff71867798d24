"""The classifier on texts written for these tests, none of them from the labelled sample."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints.domain import lexicon
from complaints.domain.classification import Category, Severity, classify
from complaints.domain.hanzi import to_simplified

PQ, SERVICE, LOGISTICS, CONTRACT, OTHER = (
    Category.PRODUCT_QUALITY, Category.AFTER_SALES_SERVICE, Category.LOGISTICS_DELIVERY,
    Category.CONTRACT_DISPUTE, Category.OTHER,
)


@pytest.mark.parametrize("text, category", [
    # simplified Chinese
    ("新车开了不到两千公里，变速箱换挡时有明显顿挫，仪表盘还跳出故障灯。", PQ),
    ("服务顾问态度很差，我问了三遍什么时候能修好，他都不耐烦地说等通知。", SERVICE),
    ("订的原厂轮毂说一周到货，现在三周了物流信息还停在上海仓库。", LOGISTICS),
    ("买车时销售口头承诺送三次保养，合同里却没写，现在保养要我自费。", CONTRACT),
    ("建议在休息区加几个插座，等车的时候手机没电很不方便。", OTHER),
    # traditional Chinese
    ("天窗下雨會漏水，車頂內襯都濕了，才買半年。", PQ),
    ("師傅保養完把車停在路邊，服務專員也不回電話。", SERVICE),
    ("訂購的輪胎說三天到貨，已經兩個星期了還在等件。", LOGISTICS),
    ("結帳時多收了一筆工時費，發票上也沒有寫清楚。", CONTRACT),
    # English
    ("The infotainment screen keeps rebooting and the Bluetooth drops every few minutes.", PQ),
    ("I booked an appointment for 9am and nobody looked at my car until after lunch. "
     "The advisor never called me back.", SERVICE),
    ("The replacement mirror I ordered was shipped to the wrong branch and the tracking "
     "hasn't been updated for ten days.", LOGISTICS),
    ("I was charged a documentation fee that was never in the quote, and the invoice doesn't list it.", CONTRACT),
    ("Please take me off your newsletter and stop the marketing calls.", OTHER),
    # mixed scripts, emoji, full-width letters
    ("4S店的 service advisor 态度 really rude 😡😡", SERVICE),
    ("🚗 CVT变速箱 judder at low speed, 抖得厉害", PQ),
    ("配件 on backorder 已经一个月了 📦❓", LOGISTICS),
])
def test_it_reads_the_category(text, category):
    result = classify(text)
    assert result.category is category, result
    assert result.terms and 0 < result.confidence <= 1


def test_the_terms_are_shown_as_the_customer_wrote_them():
    result = classify("天窗下雨會漏水，車頂內襯都濕了")
    assert "漏水" in result.terms  # same characters in both scripts
    result = classify("結帳時多收了一筆工時費")
    assert "工時費" in result.terms and "工时费" not in result.terms


def test_nothing_recognised_is_other_with_no_confidence():
    for text in ("你好", "Hello?", "🙂🙂🙂", "12345", "\u200b\x00"):
        result = classify(text)
        assert (result.category, result.confidence, result.terms) == (OTHER, 0.0, ()), text
        assert result.severity is Severity.NORMAL


def test_more_evidence_is_more_confidence():
    one_word = classify("有异响")
    several = classify("发动机异响、抖动，还漏油，质量问题太多")
    assert one_word.category is several.category is PQ
    assert one_word.confidence < several.confidence


def test_a_denied_symptom_does_not_count():
    result = classify("车子没有异响，也没有漏油，就是收费太贵了，多收了两百块。")
    assert result.category is CONTRACT
    assert "异响" not in result.terms


@pytest.mark.parametrize("text", [
    "高速上开着开着突然熄火，方向盘也变得很沉，差点追尾。",
    "行駛中儀表顯示安全氣囊故障，氣囊燈一直亮。",
    "剎車踩下去沒反應，差一點撞到前面的車！",
    "车库地上有一滩汽油，闻着汽油味很重。",
    "排气管上方有漏油，一滴一滴往下滴。",
    "Smoke started coming out from under the bonnet while I was waiting at the lights.",
    "The brake pedal went to the floor and the car barely slowed down.",
    "Engine cut out on the motorway doing 70 mph, I had no power steering at all.",
    "The airbag warning light has been on since the recall work 🚨",
    "技师换完刹车片螺栓没拧紧，开出去刹车就跑偏。",
])
def test_safety_terms_force_critical(text):
    result = classify(text)
    assert result.severity is Severity.CRITICAL, result
    assert result.safety_related and result.severity_terms


@pytest.mark.parametrize("text", [
    "发动机打不着火，早上要打好几次才能启动。",  # 打不着火: will not start, not a fire
    "火花塞换了以后怠速还是有点抖。",
    "车子没有冒烟，也没有异味，就是空调不制冷。",
    "No smoke, no warning lights, just a squeak from the rear door.",
    "The technician was smoking in my car and now it stinks of cigarettes.",
    "Still waiting for the airbag module we ordered three weeks ago.",  # on order is not a failure
    "一打着火就有异响，过几分钟就好了。",
])
def test_look_alikes_and_denials_are_not_critical(text):
    assert classify(text).severity is not Severity.CRITICAL


@pytest.mark.parametrize("text, severity", [
    ("这是第三次因为同一个问题进店了，再修不好我就去12315投诉。", Severity.HIGH),
    ("If this isn't resolved by Friday my lawyer will be in touch.", Severity.HIGH),
    ("車子在路上拋錨，只能叫拖車送回店裡。", Severity.HIGH),
    ("Minor thing: the coffee machine in the lounge has been out of order for a week.", Severity.LOW),
    ("建议周末延长营业时间。", Severity.LOW),
    ("保养后发现车内脚垫上有泥脚印。", Severity.NORMAL),
])
def test_severity_below_critical(text, severity):
    assert classify(text).severity is severity


def test_a_long_text_is_read_quickly():
    text = ("客户反映刹车有异响，服务顾问说正常。The advisor was rude. " * 100)[:5000]
    started = time.perf_counter()
    result = classify(text)
    assert time.perf_counter() - started < 0.5
    assert result.category is SERVICE


@given(st.text(max_size=300))
def test_any_text_gets_a_classification(text):
    result = classify(text)
    assert result.category in Category and result.severity in Severity
    assert 0 <= result.confidence <= 1
    assert all(term for term in result.terms)


def test_traditional_characters_become_simplified_one_for_one():
    assert to_simplified("煞車失靈，安全氣囊沒有彈出") == "煞车失灵，安全气囊没有弹出"
    assert to_simplified("Brakes 刹车 🙂") == "Brakes 刹车 🙂"


def test_the_word_lists_are_simplified_and_weighted():
    """A term written in traditional characters, or weighted outside 1..3, would never count."""
    for terms in (*lexicon.CATEGORY_TERMS.values(), lexicon.SAFETY_TERMS, lexicon.HIGH_TERMS,
                  lexicon.LOW_TERMS):
        for term, weight in terms.items():
            assert to_simplified(term) == term and term == term.lower(), term
            assert weight is None or 1 <= weight <= 3, term
    for group in lexicon.SAFETY_GROUPS.values():
        assert all(to_simplified(term) == term and term == term.lower() for term in group)
