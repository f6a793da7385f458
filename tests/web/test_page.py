"""The page at / as a person uses it: search, a title and its recommendations, Mi lista, statistics.

What the page shows is checked against what the API answers in the same run (the one oracle); the
page must not reach beyond the stack (see conftest.py).
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.stack import Stack

pytestmark = pytest.mark.e2e

SEARCH = "Buscar un título"


def api(stack: Stack, path: str, **params: Any) -> Any:
    response = httpx.get(f"{stack.url}{path}", params=params, timeout=10.0)
    assert response.status_code == 200, (path, response.text)
    return response.json()


def first_result(stack: Stack, q: str) -> dict[str, Any]:
    result: dict[str, Any] = api(stack, "/buscar", q=q, por_pagina=1)["resultados"][0]
    return result


def choose_suggestion(page: Page, typed: str, option: str) -> None:
    """Type into the search box, walk the suggestions with the arrow keys, press Enter on ``option``."""
    box = page.get_by_role("combobox", name=SEARCH)
    box.press_sequentially(typed, delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option", name=option)).to_be_visible()
    names = listbox.get_by_role("option").all_inner_texts()
    for _ in range(names.index(option) + 1):
        box.press("ArrowDown")
    expect(listbox.get_by_role("option", name=option)).to_have_attribute("aria-selected", "true")
    box.press("Enter")


def recommendation_items(page: Page) -> list[tuple[str, str, str]]:
    """(linked title, score, reason) of each recommendation shown."""
    items = page.locator("ol.recomendaciones > li")
    return [
        (
            item.locator("a").inner_text(),
            item.locator(".puntuacion data").get_attribute("value") or "",
            item.locator(".razon").inner_text(),
        )
        for item in items.all()
    ]


def label(title: dict[str, Any]) -> str:
    return f"{title['titulo']} ({title['anio']})" if title.get("anio") else str(title["titulo"])


def test_search_toy_story_then_follow_a_recommendation(page: Page, healthy_stack: Stack) -> None:
    toy_story = first_result(healthy_stack, "Toy Story")
    expected = api(healthy_stack, f"/titulos/{toy_story['id']}/recomendaciones", k=5)
    page.goto("/")
    choose_suggestion(page, "toy sto", "Toy Story (1995)")

    expect(page).to_have_url(re.compile(rf"#/movies/titulo/{toy_story['id']}$"))
    expect(page.get_by_role("heading", level=2)).to_have_text("Toy Story (1995)")
    expect(page.get_by_role("heading", level=2)).to_be_focused()
    expect(page.locator("article.ficha dd").first).to_be_visible()
    expect(page.locator("ol.recomendaciones > li")).to_have_count(5)
    shown = recommendation_items(page)
    assert [name for name, _, _ in shown] == [label(r) for r in expected["recomendaciones"]]
    assert [float(score) for _, score, _ in shown] == [
        r["score"] for r in expected["recomendaciones"]
    ]
    assert all(reason.strip() for _, _, reason in shown)

    followed = expected["recomendaciones"][0]
    page.get_by_role("link", name=label(followed), exact=True).click()
    expect(page).to_have_url(re.compile(rf"#/movies/titulo/{followed['id']}$"))
    expect(page.get_by_role("heading", level=2)).to_have_text(label(followed))
    expect(page.locator("ol.recomendaciones > li")).to_have_count(5)
    # The view has its own link: opened directly, it shows the same title.
    page.goto(f"/#/movies/titulo/{followed['id']}")
    expect(page.get_by_role("heading", level=2)).to_have_text(label(followed))


def test_a_typo_still_suggests_the_title_and_404s_offer_links(
    page: Page, healthy_stack: Stack
) -> None:
    collection = api(healthy_stack, "/franquicia/Toy Story Collection")
    page.goto("/")
    page.get_by_role("combobox", name=SEARCH).press_sequentially("toy strory", delay=30)
    expect(page.get_by_role("option", name="Toy Story (1995)")).to_be_visible()
    box = page.get_by_role("combobox", name=SEARCH)
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")

    # A statistic's "no encontrado" lists the API's suggestions as links that answer.
    page.goto("/#/estadisticas")
    form = page.locator("#form-franquicia")
    form.get_by_label("Franquicia").fill("toy stroy")
    form.get_by_role("button", name="Consultar").click()
    expect(form.get_by_role("alert")).to_contain_text("No encontrado")
    form.get_by_role("link", name="Toy Story Collection").click()
    expect(form.locator(".respuesta strong data")).to_have_attribute(
        "value", str(collection["cantidad"])
    )
    expect(form.locator(".respuesta")).to_contain_text(collection["franquicia"])


def test_enter_without_a_suggestion_lists_every_match(page: Page, healthy_stack: Stack) -> None:
    expected = api(healthy_stack, "/buscar", q="love", por_pagina=20)
    assert expected["total_paginas"] > 1
    page.goto("/")
    box = page.get_by_role("combobox", name=SEARCH)
    box.fill("love")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"#/movies/buscar/love$"))
    results = page.locator("ol.resultados > li > a")
    expect(results).to_have_count(20)
    assert results.first.inner_text().startswith(expected["resultados"][0]["titulo"])
    page.get_by_role("link", name="Siguiente →").click()
    expect(page).to_have_url(re.compile(r"#/movies/buscar/love/2$"))
    second = api(healthy_stack, "/buscar", q="love", por_pagina=20, pagina=2)
    expect(results.first).to_contain_text(second["resultados"][0]["titulo"])
    page.goto("/#/movies/buscar/zzqqxxjj")
    expect(page.get_by_role("status")).to_contain_text("No encontrado")


def test_unknown_title_id_says_not_found(page: Page) -> None:
    page.goto("/#/movies/titulo/999999999")
    expect(page.get_by_role("heading", level=2)).to_have_text("Título no encontrado")
    expect(page.get_by_role("alert")).to_contain_text("No encontrado")


@pytest.mark.parametrize(
    ("form", "choices", "path"),
    [
        ("get_count_platform", {"Plataforma": "netflix"}, "/get_count_platform/netflix"),
        ("peliculas_mes", {"Mes": "septiembre"}, "/peliculas_mes/septiembre"),
        (
            "get_score_count",
            {"Plataforma": "amazon", "Puntaje mayor que": "3.5", "Año": "2020"},
            "/get_score_count/amazon/3.5/2020",
        ),
    ],
)
def test_a_statistic_form_answers_what_the_api_answers(
    page: Page, healthy_stack: Stack, form: str, choices: dict[str, str], path: str
) -> None:
    answer = api(healthy_stack, path)
    expected = answer["cantidad"] if isinstance(answer, dict) else answer
    page.goto("/#/estadisticas")
    card = page.locator(f"#form-{form}")
    for name, value in choices.items():
        control = card.get_by_label(name, exact=True)
        if control.evaluate("el => el.tagName") == "SELECT":
            expect(control.locator(f'option[value="{value}"]')).to_be_attached()
            control.select_option(value)
        else:
            control.fill(value)
    card.get_by_role("button", name="Consultar").click()
    expect(card.locator(".respuesta strong data")).to_have_attribute("value", str(expected))


def test_charts_are_drawn_from_the_api(page: Page, healthy_stack: Stack) -> None:
    page.goto("/#/estadisticas")
    charts = page.locator("svg.grafico")
    expect(charts).to_have_count(3)
    platforms = charts.nth(2).locator("g[data-etiqueta]")
    expect(platforms).to_have_count(4)
    for bar in platforms.all():
        name = bar.get_attribute("data-etiqueta")
        assert int(bar.get_attribute("data-valor") or "") == api(
            healthy_stack, f"/get_count_platform/{name}"
        )
    months = charts.nth(0).locator("g[data-etiqueta]")
    expect(months).to_have_count(12)
    assert months.nth(8).get_attribute("data-etiqueta") == "septiembre"
    september = api(healthy_stack, "/peliculas_mes/septiembre")["cantidad"]
    assert int(months.nth(8).get_attribute("data-valor") or "") == september
    expect(charts.nth(1).locator("g[data-etiqueta]")).to_have_count(7)


def test_every_statistic_has_a_labelled_form_with_choices_from_the_api(page: Page) -> None:
    page.goto("/#/estadisticas")
    forms = page.locator("form[id^='form-']")
    expect(forms).to_have_count(12)
    expect(page.locator("#form-get_contents select option")).not_to_have_count(0)
    expect(page.locator("#form-get_contents select option").first).not_to_have_text("Cargando…")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select')]
            .filter(el => el.type !== 'radio' && el.labels.length === 0 && !el.getAttribute('aria-label'))
            .map(el => el.id || el.name)"""
    )
    assert unlabelled == []
    weekdays = page.locator("#form-peliculas_dia select option").all_inner_texts()
    assert weekdays == ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


def test_closed_sets_prefer_the_documents_enum(page: Page, healthy_stack: Stack) -> None:
    """Once a parameter is declared as an enum in /openapi.json, the page offers it and sends no probe."""
    probe = httpx.get(f"{healthy_stack.url}/peliculas_dia/-", timeout=10.0)
    weekdays = probe.json()["detail"]["valid_values"]
    doc = api(healthy_stack, "/openapi.json")
    (parameter,) = [
        p for p in doc["paths"]["/peliculas_dia/{dia}"]["get"]["parameters"] if p["name"] == "dia"
    ]
    parameter["schema"] = {
        "type": "string",
        "enum": weekdays[::-1],
    }  # reversed: tells the sources apart
    page.route("**/openapi.json", lambda route: route.fulfill(json=doc))
    probes: list[str] = []
    page.on(
        "request", lambda r: probes.append(r.url) if r.url.endswith("/peliculas_dia/-") else None
    )
    page.goto("/#/estadisticas")
    options = page.locator("#form-peliculas_dia select option")
    expect(options).to_have_text(weekdays[::-1])
    assert probes == []


def test_mi_lista_keeps_three_titles(page: Page, healthy_stack: Stack) -> None:
    titles = [first_result(healthy_stack, q) for q in ("Toy Story", "Jumanji", "Heat")]
    for title in titles:
        page.goto(f"/#/movies/titulo/{title['id']}")
        expect(page.get_by_role("heading", level=2)).to_have_text(label(title))
        page.get_by_role("button", name="Añadir a Mi lista").click()
        expect(page.get_by_role("button", name="Quitar de Mi lista")).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(page.locator("#lista-cuenta")).to_have_text("3")
    page.get_by_role("link", name=re.compile("^Mi lista")).first.click()
    items = page.locator("ul.mi-lista > li > a")
    expect(items).to_have_text([label(t) for t in titles])
    page.reload()  # kept in localStorage
    expect(items).to_have_count(3)
    page.get_by_role("button", name=f"Quitar {titles[1]['titulo']} de Mi lista").click()
    expect(items).to_have_text([label(titles[0]), label(titles[2])])
    # Each catalogue has its own list.
    page.get_by_label("Streaming").check()
    expect(page.get_by_role("heading", level=2)).to_have_text("Mi lista (streaming)")
    expect(items).to_have_count(0)


def test_mi_lista_recommends_for_three_titles(page: Page, healthy_stack: Stack) -> None:
    titles = [first_result(healthy_stack, q) for q in ("Toy Story", "Jumanji", "Heat")]
    expected = api(
        healthy_stack,
        "/recomendaciones",
        titulos=[t["titulo"] for t in titles],
        anios=[str(t["anio"]) for t in titles],
        k=10,
        catalogo="movies",
    )
    for title in titles:
        page.goto(f"/#/movies/titulo/{title['id']}")
        page.get_by_role("button", name="Añadir a Mi lista").click()
    page.goto("/#/lista")
    page.get_by_role("button", name="Recomendar para mi lista").click()
    expect(page.locator("#lista-resultado ol.recomendaciones > li")).to_have_count(
        len(expected["recomendaciones"])
    )
    shown = recommendation_items(page)
    assert [name for name, _, _ in shown] == [label(r) for r in expected["recomendaciones"]]
    assert all(reason.strip() for _, _, reason in shown)
    assert not {name for name, _, _ in shown} & {label(t) for t in titles}


def test_streaming_switch_searches_the_streaming_catalogue(
    page: Page, healthy_stack: Stack
) -> None:
    streaming = api(healthy_stack, "/buscar", q="Dick Johnson Is Dead", catalogo="streaming")
    title = streaming["resultados"][0]
    page.goto("/")
    page.get_by_label("Streaming").check()
    option = f"{title['titulo']} ({title['anio']}, {title['plataforma']}, {title['tipo']})"
    choose_suggestion(page, "dick johnson", option)
    expect(page).to_have_url(re.compile(rf"#/streaming/titulo/{title['id']}$"))
    expect(page.get_by_role("heading", level=2)).to_have_text(label(title))
    expect(page.locator("article.ficha")).to_contain_text(str(title["plataforma"]))


def test_reports_are_linked_and_served(page: Page) -> None:
    page.goto("/")
    for edition, name in (("movies", "películas"), ("streaming", "plataformas de streaming")):
        link = page.locator("footer").get_by_role("link", name=name, exact=True)
        expect(link).to_have_attribute("href", f"/informes/{edition}")
        response = page.request.get(f"/informes/{edition}")
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("view", ["/", "/#/movies/titulo/862", "/#/estadisticas", "/#/lista"])
def test_readable_at_phone_width(page: Page, view: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(view)
    expect(page.get_by_role("heading", level=2)).not_to_have_text("Cargando…")
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 375
    font = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 16


def test_keyboard_reaches_search_and_shows_focus(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Saltar al contenido")).to_be_focused()
    box = page.get_by_role("combobox", name=SEARCH)
    for _ in range(12):
        if box.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(box).to_be_focused()
    outline = box.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"


def test_docs_render_offline_with_every_operation(page: Page, healthy_stack: Stack) -> None:
    paths = api(healthy_stack, "/openapi.json")["paths"]
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Cinemateca")
    expect(page.locator(".opblock-get")).to_have_count(len(paths))
    expect(page.locator(".opblock-summary-path", has_text="/buscar")).to_be_visible()
