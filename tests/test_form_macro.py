"""The one form opening: method, action, hx-post and the CSRF field written by one macro."""

import re
from pathlib import Path

from flask import render_template_string

import portal

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



# A form opening written by hand: <form … method="post" … action=…> followed by its CSRF field.
# Forms that post back to their own page (no action) and WTForms forms opened with their
# hidden_tag() (which writes the form's hidden fields too) keep their openings; every other one
# goes through post_form.
HAND_WRITTEN = re.compile(
    r'<form\b(?=[^>]*\bmethod="post")(?=[^>]*\baction=)[^>]*>\s*'
    r'(?:<input type="hidden" name="csrf_token"|\{\{ *\w+\.csrf_token *\}\})', re.IGNORECASE)
# The page frame writes its two forms with the token as a hole (it is kept: page_frame).
WRITES_ITS_OWN = {Path("templates/_frame.html"), Path("templates/_macros/forms.html")}


def test_no_template_writes_a_csrf_form_opening_by_hand():
    root = Path(portal.__file__).parent
    templates = [p for p in root.rglob("*.html") if "templates" in p.parts]
    assert any("overtime" in p.parts for p in templates)
    offenders = [f"{path.relative_to(root)}: {m.group(0)[:90]}"
                 for path in templates if path.relative_to(root) not in WRITES_ITS_OWN
                 for m in HAND_WRITTEN.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == [], "use post_form from _macros/forms.html:\n" + "\n".join(offenders)
