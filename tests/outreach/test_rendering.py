import pytest

from outreach.rendering.html_text import html_to_text
from outreach.rendering.templates import MissingValue, TemplateError, parse, render, variables_of


def test_it_fills_variables_and_fallbacks():
    nodes = parse("Hi {{first_name|there}}, how is {{company}}?")
    assert (
        render(nodes, {"first_name": "Ada", "company": "Acme"}, seed="1") == "Hi Ada, how is Acme?"
    )
    assert (
        render(nodes, {"first_name": " ", "company": "Acme"}, seed="1") == "Hi there, how is Acme?"
    )


def test_it_refuses_a_missing_value_without_fallback():
    with pytest.raises(MissingValue) as exc:
        render(parse("{{slot1}} and {{company}}"), {"company": "Acme"}, seed="1")
    assert exc.value.names == ["slot1"]


def test_spintax_is_deterministic_per_seed_and_covers_every_option():
    nodes = parse("{Hi|Hello|Hey} there")
    assert render(nodes, {}, seed="7:3") == render(nodes, {}, seed="7:3")
    seen = {render(nodes, {}, seed=f"{n}:1") for n in range(60)}
    assert seen == {"Hi there", "Hello there", "Hey there"}


def test_spintax_nests_and_holds_variables():
    nodes = parse("{Hi {{first_name|you}}|{Hello|Hey} {{first_name|you}}}!")
    outputs = {render(nodes, {"first_name": "Ada"}, seed=str(n)) for n in range(80)}
    assert outputs == {"Hi Ada!", "Hello Ada!", "Hey Ada!"}


def test_lone_braces_stay_text():
    assert render(parse("a {b} c } {"), {}, seed="1") == "a {b} c } {"


def test_lead_data_is_never_interpreted():
    nodes = parse("Hi {{first_name}}")
    evil = "{{slot1}} {a|b} {% load x %} ${7*7}"
    assert render(nodes, {"first_name": evil, "slot1": "SECRET"}, seed="1") == f"Hi {evil}"


def test_html_escaping_applies_to_values_only():
    nodes = parse("<p>Hi <b>{{first_name}}</b></p>")
    out = render(
        nodes, {"first_name": "<script>x</script>"}, seed="1", escape=__import__("html").escape
    )
    assert out == "<p>Hi <b>&lt;script&gt;x&lt;/script&gt;</b></p>"


def test_it_lists_the_variables_of_a_template():
    names = [v.name for v in variables_of(parse("{{a}} {x {{b|y}}|z} {{custom.tier}}"))]
    assert names == ["a", "b", "custom.tier"]


@pytest.mark.parametrize("bad", ["{{first_name", "{{ }}", "{{first name}}"])
def test_it_refuses_malformed_templates(bad):
    with pytest.raises(TemplateError):
        parse(bad)


def test_it_makes_a_readable_text_part_from_html():
    text = html_to_text('<p>Hi Ada,</p><p>See <a href="https://x.test">this</a><br>Bye</p>')
    assert text == "Hi Ada,\n\nSee this (https://x.test)\nBye\n"
