"""The one form opening: method, action, hx-post and the CSRF field written by one macro."""

from flask import render_template_string

SOURCE = """{% from "_macros/forms.html" import post_form %}
{% call post_form("/canteen/night/cancel", hx=True, class="form", hx_target="#night",
                  data_outbox=True, data_closed_text="Closed at 17:30 & <later>",
                  novalidate=False, id=None) %}<button>Cancel</button>{% endcall %}"""


def test_a_post_form_carries_its_action_hx_post_csrf_and_attributes(app):
    with app.test_request_context():
        html = render_template_string(SOURCE)
    opening = html[html.index("<form"):html.index(">", html.index("<form")) + 1]
    assert opening == ('<form method="post" action="/canteen/night/cancel" '
                       'hx-post="/canteen/night/cancel" class="form" hx-target="#night" '
                       'data-outbox data-closed-text="Closed at 17:30 &amp; &lt;later&gt;">')
    assert html.count('name="csrf_token"') == 1
    assert "<button>Cancel</button>" in html and html.rstrip().endswith("</form>")

