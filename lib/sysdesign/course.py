"""The course map: lessons and problem sets, in order, with the time each takes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Lesson:
    """One lesson notebook: ``slug`` is its file name without ``.ipynb``; ``minutes`` to work through."""

    slug: str
    title: str
    minutes: int
    problem_set: str | None = None

    @property
    def path(self) -> str:
        return f"notebooks/{self.slug}.ipynb"


LESSONS: tuple[Lesson, ...] = (
    Lesson("00_welcome", "Welcome: how this course works", 10),
    Lesson("01_framework", "The 45-minute framework", 25, "ps02_requirements_api"),
    Lesson("02_requirements", "Phase 1: requirements and scope", 30, "ps02_requirements_api"),
    Lesson("03_estimation", "Phase 2: back-of-envelope estimation", 40, "ps01_estimation"),
    Lesson("04_api_design", "Phase 3: API design", 30, "ps02_requirements_api"),
    Lesson("05_architecture", "Phase 4: high-level architecture", 40, "ps03_architecture_deep_dive"),
    Lesson("06_deep_dive", "Phase 5: the deep dive", 50, "ps03_architecture_deep_dive"),
    Lesson("07_tradeoffs", "Talking about tradeoffs", 45, "ps04_tradeoffs"),
    Lesson("08_mistakes_and_communication", "Mistakes, communication and the wrap-up", 25, "ps04_tradeoffs"),
    Lesson("09_cheat_sheet", "The cheat sheet, recomputed", 20, "ps01_estimation"),
    Lesson("10_mock_interview_chat", "Mock interview: design a chat system", 45, "ps06_core"),
    Lesson("11_url_shortener", "Case study: URL shortener", 40, "ps05_warmup"),
    Lesson("12_paste_bin", "Case study: paste bin", 30, "ps05_warmup"),
    Lesson("13_rate_limiter", "Case study: rate limiter", 40, "ps05_warmup"),
    Lesson("14_news_feed", "Case study: news feed", 45, "ps06_core"),
    Lesson("15_replication", "Toolbox: replication and failover", 35, "ps07_advanced"),
    Lesson("16_coordination", "Toolbox: leader election, leases and fencing", 35, "ps07_advanced"),
    Lesson("17_unique_ids", "Toolbox: unique IDs", 30, "ps05_warmup"),
    Lesson("18_geo_indexing", "Toolbox: geohashes and quadtrees", 35, "ps07_advanced"),
    Lesson("19_conflicts", "Toolbox: conflicts and anti-entropy", 40, "ps07_advanced"),
    Lesson("20_transactions", "Toolbox: transactions across services", 35, "ps07_advanced"),
    Lesson("21_structures", "Toolbox: tries, Bloom filters and sketches", 40, "ps07_advanced"),
    Lesson("22_media_delivery", "Toolbox: adaptive bitrate and CDNs", 30, "ps07_advanced"),
)


def lessons() -> pd.DataFrame:
    """The course map as a table."""
    return pd.DataFrame(
        [(x.slug, x.title, x.minutes, x.problem_set or "") for x in LESSONS],
        columns=["lesson", "title", "minutes", "problem_set"],
    )


def neighbours(slug: str) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after ``slug`` (None at either end)."""
    slugs = [x.slug for x in LESSONS]
    if slug not in slugs:
        raise ValueError(f"slug must be one of the course's lessons ({', '.join(slugs)}); got {slug!r}")
    i = slugs.index(slug)
    return (LESSONS[i - 1] if i > 0 else None, LESSONS[i + 1] if i + 1 < len(LESSONS) else None)
