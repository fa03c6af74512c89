"""API explorers: review endpoints as you type them, and watch offset pagination repeat and skip.

The reviewer parses the text box with :func:`sysdesign.api.parse_api` and shows
:func:`sysdesign.api.review`'s findings; the pagination explorer runs
:func:`sysdesign.sim.pagination.simulate` for offset and cursor paging with the same seed.
Neither computes anything itself.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from .. import api
from ..sim import pagination
from ._base import STYLE, Chart, Explorer, html_table, int_slider, view

_NOTE = "<span style='color:#555'>{}</span>"


def _severity_text(counts: dict[str, int]) -> str:
    names = {"error": "error", "warning": "warning", "info": "note"}
    return ", ".join(f"{n} {names[k]}{'' if n == 1 else 's'}" for k, n in counts.items())


def api_review_explorer(text: str = api.EXAMPLE_BAD_API) -> Explorer:
    """A text box of endpoints, one per line, and the review's findings for them.

    Views: ``sd-api-count`` (how many endpoints and findings), ``sd-api-findings`` (the findings
    table) and ``sd-api-endpoints`` (how each line was read). A line that does not parse shows
    its error in the status line.
    """
    box = widgets.Textarea(
        value=text,
        description="Endpoints",
        placeholder="GET /api/v1/chats/{chat_id}/messages?cursor=&limit=50",
        continuous_update=False,
        layout=widgets.Layout(width="100%", height="190px"),
        style=STYLE,
    )
    count = view("sd-api-count")
    findings = view("sd-api-findings")
    endpoints = view("sd-api-endpoints")

    def render(values: dict[str, Any]) -> None:
        count.value = _NOTE.format("(fix the line named above to see the review)")
        findings.value = ""
        parsed = api.parse_api(values["endpoints"], name="yours")
        found = api.review(parsed)
        n = len(parsed)
        head = f"{n} endpoint{'' if n == 1 else 's'}: "
        if found:
            plural = "" if len(found) == 1 else "s"
            severities = _severity_text(api.count_findings(found))
            count.value = f"<b>{head}{len(found)} finding{plural}</b> ({severities})"
            findings.value = html_table(api.findings_table(found), "sd-table sd-api-findings-table")
        else:
            count.value = f"<b>{head}no findings</b>, the sketch passes every rule"
            findings.value = ""
        endpoints.value = (
            "<details><summary>How each line was read</summary>"
            + html_table(parsed.table(), "sd-table")
            + "</details>"
            if n
            else _NOTE.format(
                "no endpoints yet: write one per line, like "
                + html.escape("GET /api/v1/chats?cursor=&limit=20")
            )
        )

    views = {"count": count, "findings": findings, "endpoints": endpoints}
    return Explorer("api", {"endpoints": box}, views, render, columns=1)


def pagination_explorer(
    page_size: int = 20,
    arrivals_per_page: int = 5,
    deletions_per_page: int = 0,
    pages: int = 5,
    seed: int = 0,
) -> Explorer:
    """Page size, arrivals and deletions per page read, pages read -> repeats and skips, offset vs cursor.

    Views: ``sd-pagination-result`` (a sentence and a table per strategy) and ``sd-pagination-chart``
    (bars of repeated and skipped messages; the title states the counts).
    """
    controls = {
        "page_size": int_slider("Page size", page_size, 5, 50, 5),
        "arrivals_per_page": int_slider("New messages per page read", arrivals_per_page, 0, 30),
        "deletions_per_page": int_slider("Deleted per page read", deletions_per_page, 0, 10),
        "pages": int_slider("Pages read", pages, 1, 20),
        "seed": int_slider("Seed", seed, 0, 50),
    }
    result = view("sd-pagination-result")
    settings = dict(
        page_size=page_size,
        pages=pages,
        arrivals_per_page=arrivals_per_page,
        deletions_per_page=deletions_per_page,
        seed=seed,
    )
    start = [pagination.simulate(s, **settings) for s in ("offset", "cursor")]
    chart = Chart(pagination.comparison_figure(start), "sd-pagination-chart")
    drawn = {"title": pagination.figure_title(start)}  # what the chart shows: redraw only when it changes

    def render(values: dict[str, Any]) -> None:
        results = [pagination.simulate(s, **values) for s in ("offset", "cursor")]
        sentences = "".join(f"<div>{html.escape(pagination.describe([r]))}</div>" for r in results)
        result.value = sentences + html_table(pagination.results_table(results), "sd-table")
        title = pagination.figure_title(results)  # states every count the bars show
        if title == drawn["title"]:
            return
        with chart.batch_update():
            chart.figure.data[0].y = [r.duplicates for r in results]
            chart.figure.data[1].y = [r.skipped for r in results]
            chart.figure.layout.title.text = title
        drawn["title"] = title

    return Explorer("pagination", controls, {"result": result, "chart": chart}, render)
