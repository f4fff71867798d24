from shared.testing import assert_api_answers_as_documented


def test_the_api_answers_as_documented(app, token):
    assert_api_answers_as_documented(app, token(["admin"]))
