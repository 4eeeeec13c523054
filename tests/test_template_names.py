"""Modules register their template names one way: on their blueprint, for the whole app
(app_template_global / app_template_filter), so a home panel or a PDF rendered outside the
module's own views sees them too."""

from datetime import date
from pathlib import Path

from flask import render_template_string

import portal

MODULES = ("canteen", "repairs", "tasks")


def test_module_names_reach_a_template_rendered_outside_the_module(app):
    with app.test_request_context():
        html = render_template_string(
            "{{ CANTEEN.MEALS['lunch'] }}|{{ day|menu_day }}|{{ day|menu_month }}|"
            "{{ 'nuts'|allergen_label }}|{{ repair_labels.statuses['submitted'] }}|"
            "{{ task_statuses|length > 0 }}", day=date(2026, 12, 7))
    assert html.split("|")[2] == "2026年12月" and html.endswith("True")
    assert "{{" not in html and "午餐" in html


def test_no_module_edits_the_jinja_environment_or_injects_names_per_render():
    for name in MODULES:
        for path in (Path(portal.__file__).parent / "blueprints" / name).glob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert "jinja_env" not in source, path
            assert "app_context_processor" not in source, path
