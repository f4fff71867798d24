"""The classifier's pieces on texts written for these tests (none from the corpus or the sample):
the features, the safety symptom rules, and the committed model on clear cases of each hard kind."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints.domain import cues, lexicon
from complaints.domain.classification import Category, Classifier, Severity, classify, default_classifier
from complaints.domain.features import features
from complaints.domain.hanzi import to_simplified
from complaints.domain.text import WORD, normalise

PQ, SERVICE, LOGISTICS, CONTRACT, OTHER = (
    Category.PRODUCT_QUALITY, Category.AFTER_SALES_SERVICE, Category.LOGISTICS_DELIVERY,
    Category.CONTRACT_DISPUTE, Category.OTHER,
)


def _features(text: str) -> dict:
    return features(normalise(text))


def _rules(text: str) -> set[str]:
    normal = normalise(text)
    return {what for what, _ in cues.read(normal, list(WORD.finditer(normal.matchable))).safety}


# ---------------------------------------------------------------- features


def test_chinese_is_read_in_runs_of_one_to_three_characters_as_simplified():
    found = _features("煞車失靈")
    assert {"c:煞", "c:煞车", "c:煞车失", "c:车失灵"} <= found.keys()
    assert "c:煞车失灵" not in found and "c:煞車" not in found
    assert found["c:车失灵"] == (1, 4)  # where it is in the text as written


def test_english_is_read_in_words_and_neighbouring_pairs():
    found = _features("The wheel nuts were LOOSE.")
    assert {"w:wheel", "w:wheel nuts", "w:loose", "w:were loose"} <= found.keys()
    assert "w:the wheel nuts" not in found


def test_a_denied_word_is_also_counted_as_denied():
    found = _features("不是顾问的问题，而是变速箱顿挫。")
    assert "¬c:顾问" in found and "c:顾问" in found
    assert "¬c:变速箱" not in found and "»c:变速箱" in found  # after the turn: the point
    english = _features("It isn't the advisor, it's the gearbox that jerks.")
    assert "¬w:advisor" in english and "¬w:gearbox" not in english and "»w:gearbox" in english


def test_the_word_lists_are_cues():
    found = _features("服务顾问态度很差，等了三个小时没人接待。")
    assert "cue:after_sales_service:2" in found and "cue:best:after_sales_service" in found
    assert "cue:safety" not in found
    assert {"cue:low", "cue:high"} & _features("小问题，不着急，下次保养顺便看看。").keys() == {"cue:low"}


# ---------------------------------------------------------------- safety: symptoms, not failure words


@pytest.mark.parametrize("text, rule", [
    ("周六刚在你们店换的四条新胎，上了环路开到八十，方向盘就一直晃。", "steering+wobbles+moving"),
    ("The tyre place here did my winter wheels; on the motorway the car started to wobble badly.",
     "wheel+wobbles+moving"),
    ("回家一看，右后轮的螺丝有三颗用手就能拧动。", "wheel_nut+loosened"),
    ("Two of the lug nuts on the front left had come loose by the time I got home.", "wheel_nut+loosened"),
    ("开到六十的时候引擎盖突然弹起来，挡住了挡风玻璃。", "lid+flies_open"),
    ("On the ring road the bonnet flew up and smashed into the windscreen.", "lid+flies_open"),
    ("换完刹车油以后，刹车踩下去软绵绵的，要踩到底才停得住。", "brakes+sinks"),
    ("Since the brake fluid change the pedal feels spongy and sinks to the floor at lights.", "pedal+sinks"),
    ("The steering has a lot of play now; I turn the wheel and nothing happens for a moment.",
     "steering+steering_play"),
    ("刹车的时候有铁磨铁的声音，师傅说刹车片已经磨到底了。", "brakes+metal"),
    ("Pads worn down to the metal, grinding every time I brake.", "brakes+metal"),
    ("仪表上刹车警告灯一直亮着。", "brakes+warning_light"),
    ("The airbag warning light came on this morning and stays on.", "airbag+airbag_trouble"),
    ("司机位的安全带扣不上，插进去又弹出来。", "restraint+belt_fails"),
    ("My seat belt won't latch any more.", "restraint+belt_fails"),
    ("车库里闻到很重的汽油味。", "fuel+smell"),
    ("电池包底部鼓包了，还发烫。", "traction_battery+battery_trouble"),
    ("仪表台下面有烧焦的塑料味，还冒烟。", "burning"),
    ("There's a burning smell from behind the dashboard.", "burning"),
    ("高速上行驶中突然熄火，方向盘也打不动。", "engine_dies+moving"),
    ("The engine cut out in the fast lane of the motorway.", "engine_dies+moving"),
    ("停车场里车子自己往前窜了一下，撞到了柱子。", "surges"),
    ("左前减震弹簧断了，车身明显往左边倾斜。", "chassis+chassis_sags"),
])
def test_a_symptom_of_a_safety_system_fires_its_rule(text, rule):
    assert rule in _rules(text)


@pytest.mark.parametrize("text", [
    "刹车的时候有点吱吱响，刹车本身很好用。",
    "The tyre pressure light came on after I pumped the tyres up.",
    "车门关起来声音有点大，门缝看着也不太均匀。",
    "方向盘加热不热了，只有左边是温的。",
    "Please send me the invoice for the brake pads I bought.",
])
def test_a_harmless_mention_of_a_safety_part_fires_no_symptom_rule(text):
    assert not _rules(text) - {"afraid"}


def test_a_denied_symptom_is_no_symptom():
    assert not _rules("刹车没有发软，方向盘也没有抖，就是空调不凉。")


def test_terms_inside_a_longer_term_keep_their_groups():
    """The matcher takes the longest term at a place: "warning light" must still count as an
    airbag's trouble, as "warn*" and "light*" do."""
    assert "airbag+airbag_trouble" in _rules("Airbag warning light on since Tuesday.")


def test_the_word_lists_are_simplified_and_lower_case():
    """A term written in traditional characters or capitals would never match."""
    for terms in (*lexicon.CATEGORY_TERMS.values(), lexicon.SAFETY_TERMS, lexicon.HIGH_TERMS, lexicon.LOW_TERMS,
                  *lexicon.SAFETY_GROUPS.values()):
        for term in terms:
            assert to_simplified(term) == term and term == term.lower(), term
    for rule in (*lexicon.SAFETY_RULES, *lexicon.SAFETY_CONTEXT_RULES):
        assert set(rule) <= lexicon.SAFETY_GROUPS.keys(), rule


# ---------------------------------------------------------------- the committed model on clear cases


@pytest.mark.parametrize("text, category", [
    ("中控屏经常黑屏重启，倒车影像也用不了，车才买了三个月。", PQ),  # a feature stops working
    ("The panel gap between the bonnet and the wing is uneven and the paint is bubbling on the door.", PQ),
    ("这是第三个水泵了，两个月就漏一次，零件质量太差。", PQ),  # a part that fails again and again
    ("上周在你们店做完保养，机油加少了，发动机缺机油报警。", SERVICE),  # the workshop caused it
    ("Your technician left a rag in the engine bay after the service.", SERVICE),
    ("服务顾问态度很差，我等了三个小时也没人理。", SERVICE),
    ("预约今天上午换刹车片，到店才说刹车片没到货，白请了半天假。", LOGISTICS),  # part missing for the appointment
    ("I ordered two mirrors, only one arrived and the other is on back order for five weeks.", LOGISTICS),
    ("只换了个空气滤芯，工时费收了两百，明显多收。", SERVICE),  # the labour charged: the workshop's doing
    ("变速箱漏油，店里说不在质保范围内，要我自费四千，凭什么？", CONTRACT),  # warranty cover disputed
    ("I paid a deposit of 5,000 and the dealer refuses to refund it after I cancelled.", CONTRACT),
    ("休息室的咖啡机坏了一个月了，建议修一下。", OTHER),
    ("Please stop sending me marketing text messages.", OTHER),
])
def test_the_model_reads_the_category_of_clear_cases(text, category):
    result = classify(text)
    assert result.category is category, result
    assert result.terms and 0 < result.confidence <= 1


@pytest.mark.parametrize("text, severity", [
    ("后视镜上的装饰条有点翘，小问题，不着急，下次保养顺便看看。", Severity.LOW),
    ("Small thing, no rush: the badge on the boot is slightly crooked. Whenever convenient.", Severity.LOW),
    ("同一个问题第三次进店还没修好，再不解决我就去12315投诉，找媒体曝光。", Severity.HIGH),
    ("If this is not fixed by Friday my lawyer will take it to court.", Severity.HIGH),
    ("昨天刚在你们店换的四条胎，今天上高速开到八十，方向盘抖得厉害，我现在停在服务区不敢走。", Severity.CRITICAL),
    ("Since you changed my brake fluid the pedal sinks almost to the floor. I nearly hit the car in front.",
     Severity.CRITICAL),
])
def test_the_model_reads_the_severity_of_clear_cases(text, severity):
    assert classify(text).severity is severity


def test_a_calm_safety_complaint_is_still_critical_and_says_why():
    result = classify("不急哈，就是跟你们说一声：早上出门发现左前轮的螺丝松了两颗，下次保养顺便看看。")
    assert result.severity is Severity.CRITICAL and result.safety_related
    assert any("螺丝" in term or "松" in term for term in result.severity_terms), result.severity_terms


def test_the_terms_are_shown_as_the_customer_wrote_them():
    result = classify("結帳時多收了一筆工時費，發票上也沒有寫清楚，要求退還。")
    assert any("工時費" in term or "發票" in term for term in result.terms), result.terms
    assert not any("工时费" in term or "发票" in term for term in result.terms)
    assert result.reasons  # the features behind it, for people


def test_an_unsure_reading_is_for_review_and_keeps_its_best_guess():
    result = classify("你好")
    assert result.needs_review(below=default_classifier().review_below)
    assert result.category in Category and result.confidence < default_classifier().review_below


@given(st.text(max_size=300))
def test_any_text_gets_a_classification(text):
    result = classify(text)
    assert result.category in Category and result.severity in Severity
    assert 0 <= result.confidence <= 1 and 0 <= result.safety_score <= 1
    assert all(term for term in result.terms)


def test_a_model_whose_weights_do_not_fit_its_classes_is_refused():
    with pytest.raises(ValueError):
        Classifier({"categories": ["other"], "severities": ["low"], "safety_threshold": 0.5, "review_below": 0.5,
                    "trained_on": {}, "bias": {"category": [0.0], "severity": [0.0], "safety": 0.0},
                    "features": {"c:a": [1.0, 0.1]}})


def test_traditional_characters_become_simplified_one_for_one():
    assert to_simplified("煞車失靈，安全氣囊沒有彈出") == "煞车失灵，安全气囊没有弹出"
    assert to_simplified("Brakes 刹车 🙂") == "Brakes 刹车 🙂"
