"""Modules register their template names one way: on their blueprint, for the whole app
(app_template_global / app_template_filter), so a home panel or a PDF rendered outside the
module's own views sees them too."""

from datetime import date

from flask import render_template_string

from portal.modules import modules


def test_module_names_reach_a_template_rendered_outside_the_module(app):
    with app.test_request_context():
        html = render_template_string(
            "{{ CANTEEN.MEALS['lunch'] }}|{{ day|menu_day }}|{{ day|menu_month }}|"
            "{{ 'nuts'|allergen_label }}|{{ repair_labels.statuses['submitted'] }}|"
            "{{ task_statuses|length > 0 }}", day=date(2026, 12, 7))
    assert html.split("|")[2] == "2026年12月" and html.endswith("True")
    assert "{{" not in html and "午餐" in html


def test_the_newer_modules_names_reach_a_template_rendered_outside_them(app):
    with app.test_request_context():
        html = render_template_string(
            "{{ meeting_statuses|length > 0 }}|{{ meeting_responses|length > 0 }}|"
            "{{ meeting_equipment|length > 0 }}|{{ SHUTTLE.DIRECTIONS|length > 0 }}|"
            "{{ SHUTTLE.WEEKDAYS|length > 0 }}|{{ SHUTTLE.mask is callable }}|"
            "{{ suggestion_statuses|length > 0 }}|{{ suggestion_events|length > 0 }}|"
            "{{ category_name(None) == '' }}|{{ OVERTIME_STATUSES|length > 0 }}")
    assert html.split("|") == ["True"] * 10


def test_no_module_edits_the_jinja_environment_or_injects_names_per_render(app):
    found = modules()
    assert {"canteen", "meetings", "overtime", "shuttle", "suggestions"} <= {m.name for m in found}
    for module in found:
        for path in module.folder.rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert "jinja_env" not in source, path
            assert "app_context_processor" not in source, path
