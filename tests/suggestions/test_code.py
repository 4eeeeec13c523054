"""The follow-up code: read, reply and rate signed out; wrong codes are throttled and told
apart from nothing; every POST is CSRF-checked."""

import re

from sqlalchemy import select

from portal.blueprints.accounts.models import LoginThrottle
from portal.blueprints.suggestions import answers
from portal.blueprints.suggestions.models import SuggestionMessage
from portal.extensions import db
from tests.conftest import csrf_token_from
from tests.suggestions.conftest import submit


def test_the_code_reads_the_published_answer_without_signing_in(client, cast):
    suggestion, code = submit(cast, anonymous=True, published=True)
    page = client.post("/suggestions/code", data={"code": code})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "已调整晚餐时间到19:00。" in html and "食堂晚餐太早结束" in html
    assert page.headers["Cache-Control"] == "no-store"


def test_an_unpublished_answer_is_not_shown_yet(client, cast):
    suggestion, code = submit(cast, anonymous=True)
    answers.answer(suggestion, cast.office, "solved", "草稿答复")
    db.session.commit()
    html = client.post("/suggestions/code", data={"code": code}).get_data(as_text=True)
    assert "草稿答复" not in html and "食堂晚餐太早结束" in html


def test_a_wrong_code_and_a_malformed_code_get_the_same_answer(client, cast):
    submit(cast, anonymous=True)
    wrong = client.post("/suggestions/code", data={"code": "0000-0000-0000-0000"})
    malformed = client.post("/suggestions/code", data={"code": "hello"})
    assert wrong.status_code == malformed.status_code == 422
    message = "这个跟进码打不开任何建议"
    english = "This code does not open any suggestion"
    for response in (wrong, malformed):
        html = response.get_data(as_text=True)
        assert message in html or english in html


def test_wrong_codes_are_throttled_even_for_the_right_one_then(client, cast):
    suggestion, code = submit(cast, anonymous=True, published=True)
    for _ in range(5):
        client.post("/suggestions/code", data={"code": "0000-0000-0000-0000"})
    locked = client.post("/suggestions/code", data={"code": code})
    assert locked.status_code == 429
    assert "已调整" not in locked.get_data(as_text=True)
    rows = db.session.scalars(select(LoginThrottle)).all()
    assert rows and all(row.client.startswith("code:") for row in rows)


def test_the_submitter_replies_and_rates_with_the_code(client, cast):
    suggestion, code = submit(cast, anonymous=True, published=True)
    reply = client.post("/suggestions/code/reply", data={"code": code, "body": "谢谢，已经好多了"})
    assert reply.status_code == 200
    message = db.session.scalar(select(SuggestionMessage))
    assert message.from_submitter and message.author_id is None
    rated = client.post("/suggestions/code/rate", data={"code": code, "rating": "4",
                                                        "comment": "很快"})
    assert rated.status_code == 200
    db.session.refresh(suggestion)
    assert (suggestion.rating, suggestion.rating_comment) == (4, "很快")


def test_a_rating_needs_its_stars(client, cast):
    suggestion, code = submit(cast, anonymous=True, published=True)
    response = client.post("/suggestions/code/rate", data={"code": code, "comment": "很快"})
    assert response.status_code == 422
    assert "很快" in response.get_data(as_text=True)


def test_code_forms_need_the_csrf_token(csrf_app, client, cast):
    suggestion, code = submit(cast, anonymous=True, published=True)
    assert client.post("/suggestions/code", data={"code": code}).status_code == 400
    page = client.get("/suggestions/code")
    assert page.status_code == 200  # public: no sign-in
    token = csrf_token_from(page.get_data(as_text=True))
    opened = client.post("/suggestions/code", data={"code": code, "csrf_token": token})
    assert opened.status_code == 200
    html = opened.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    reply = client.post("/suggestions/code/reply",
                        data={"code": code, "body": "补充一点", "csrf_token": token})
    assert reply.status_code == 200
    assert client.post("/suggestions/code/reply", data={"code": code, "body": "x"}
                       ).status_code == 400
