"""Community costs on the server (printed, not asserted).

    python benchmarks/community.py [--comments 500] [--repeats 30] [--toggles 300]

On the configured database (DATABASE_URL, or the embedded one), migrated to head:

1. Project page with N comments (default 500, realistic Markdown of 100–900 characters by 25
   members), built server-side. The community part alone: support state, thread query, the
   bodies as rendered by safe.user_markdown when they were written, the whole thread cleaned by
   nh3 once more, the Bokeh models of support bar, thread and form. And the whole explorer
   project page around it: the store with its search, ProjectView's registry queries, tables
   and chart, the community part, `get_root` — printed for a project opened again (its
   registry part from the per-project cache, `tanso.ui.vcm.project.PAGES`) and for its first
   opening in the process (cache cleared). Baseline in the same run: the same for a project
   with no comments. Target: median ≤ 150 ms.
2. Support toggle: `support.set_supported` flipping one member's support in its own
   transaction, and the same through the page's button (`CommunityPanel._toggle_support`:
   the toggle plus the new count on the button). Baseline: a transaction doing `SELECT 1`.
   Target: p95 ≤ 50 ms.

Everything the benchmark writes (its members, comments, supports and, when the registry data is
not loaded, one synthetic project) is deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

import sqlalchemy as sa

from tanso.auth import User
from tanso.community import comments, support
from tanso.community.targets import Target
from tanso.db import migrations
from tanso.db.engine import check_connection, get_engine

BENCH_DOMAIN = "community-bench.example"
SYNTHETIC = "VCS999999001"
WORDS = ["cookstove", "baseline", "leakage", "additionality", "monitoring", "methodology",
         "registry", "vintage", "issuance", "retirement", "buffer", "permanence", "community",
         "household", "fuel", "wood", "kenya", "peru", "solar", "grid", "emission", "factor",
         "verification", "audit"]


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def line(label: str, values: list[float], baseline: list[float] | None = None,
         cpu: list[float] | None = None) -> str:
    text = (f"{label:<46} median {statistics.median(values) * 1000:7.1f} ms   "
            f"p95 {p95(values) * 1000:7.1f} ms")
    if cpu:   # this process's CPU: what the build costs when the machine is not shared
        text += f"   (CPU median {statistics.median(cpu) * 1000:6.1f} ms)"
    if baseline:
        text += f"   ×{statistics.median(values) / statistics.median(baseline):.1f} of baseline"
    return text + f"   n={len(values)}"


def print_beside_baseline(comments: int, wall: dict, cpu: dict, full: str, empty: str) -> None:
    """The `empty` timings (a project without comments, when there is one) as the baseline line,
    then the `full` ones (the project with `comments` comments) against it."""
    if wall[empty]:
        print(line("   baseline: a project with no comments", wall[empty], cpu=cpu[empty]))
    print(line(f"   {comments} comments", wall[full], wall[empty] or None, cpu=cpu[full]))


class Timer:
    """Wall-clock and this process's CPU seconds of a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def markdown_body(rng: random.Random) -> str:
    """A comment as people write them: paragraphs, sometimes a list, a link, emphasis."""
    def sentence() -> str:
        words = rng.choices(WORDS, k=rng.randint(6, 16))
        if rng.random() < 0.3:
            words[1] = f"**{words[1]}**"
        return " ".join(words).capitalize() + "."
    parts = [" ".join(sentence() for _ in range(rng.randint(1, 4)))
             for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        parts.append("\n".join(f"- {sentence()}" for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.3:
        parts.append(f"See [the PDD](https://registry.example.org/{rng.randint(1, 9999)}).")
    return "\n\n".join(parts)[:900]


def setup(engine: sa.Engine, n_comments: int) -> tuple[str, list[User], bool]:
    """Members, a project and its comments; returns (project id, members, synthetic?)."""
    with engine.begin() as conn:
        project = conn.execute(sa.text(
            "SELECT project_id FROM core.vcm_projects ORDER BY issued DESC NULLS LAST "
            "LIMIT 1")).scalar()
        synthetic = project is None
        if synthetic:
            project = SYNTHETIC
            conn.execute(sa.text(
                "INSERT INTO core.vcm_projects (project_id, registry, name, sources, in_vrod, "
                "in_offsetsdb, in_registry_export) VALUES (:p, 'verra', 'Benchmark project', "
                "'vrod', true, false, false)"), {"p": project})
        members = []
        for i in range(25):
            email = f"member{i}@{BENCH_DOMAIN}"
            member_id = conn.execute(sa.text(
                "INSERT INTO app.users (email, display_name, password_hash) "
                "VALUES (:e, :n, 'x') RETURNING id"), {"e": email, "n": f"Member {i}"}).scalar()
            members.append(User(id=member_id, email=email, display_name=f"Member {i}",
                                language="en", role="member"))
        rng = random.Random(13)
        bodies = [markdown_body(rng) for _ in range(n_comments)]
        start = time.perf_counter()
        rendered = [comments.render(body) for body in bodies]   # what posting each one does
        print(f"rendering a comment when it is written: "
              f"{(time.perf_counter() - start) / n_comments * 1000:.2f} ms each (mean)")
        conn.execute(sa.text(
            "INSERT INTO app.comments (author_id, project_id, body, body_html, created_at) "
            "VALUES (:a, :p, :b, :h, now() - make_interval(mins => :m))"),
            [{"a": rng.choice(members).id, "p": project, "b": body, "h": html,
              "m": n_comments - i} for i, (body, html) in enumerate(zip(bodies, rendered))])
    return project, members, synthetic


def cleanup(engine: sa.Engine, project: str, synthetic: bool) -> None:
    with engine.begin() as conn:
        bench = sa.text(f"SELECT id FROM app.users WHERE email LIKE '%@{BENCH_DOMAIN}'")  # nosec B608 - constant
        for table, column in (("comment_reports", "reporter_id"), ("comments", "author_id"),
                              ("supports", "user_id")):
            conn.execute(sa.text(f"DELETE FROM app.{table} WHERE {column} IN ({bench.text})"))  # nosec B608 - constants
        conn.execute(sa.text(f"DELETE FROM app.users WHERE id IN ({bench.text})"))  # nosec B608 - constant
        if synthetic:
            conn.execute(sa.text("DELETE FROM core.vcm_projects WHERE project_id = :p"),
                         {"p": project})


def page_build(engine: sa.Engine, project: str, viewer: User, *, cold: bool = False) -> Timer:
    """The time to build the whole project page server-side; `cold`: the first opening of the
    project in this process (its registry part not yet in the per-project cache)."""
    from bokeh.document import Document

    from tanso.ui.vcm.project import PAGES
    from tanso.ui.vcm.store import VcmStore
    from tanso.ui.vcm.views import ProjectView

    if cold:
        PAGES.clear()
    with Timer() as timer:
        store = VcmStore(engine, user=viewer, tab="project", project=project)
        view = ProjectView(store=store)
        view.__panel__().get_root(Document())
        thread = view._community._thread
        thread._transform_object(thread.object)   # what the server sends: nh3 over the thread
    return timer


def community_build(store, project: str) -> tuple[Timer, int]:
    """The time to build the page's community part (support bar, thread, form) for `project`,
    and the number of comments it shows."""
    import panel as pn
    from bokeh.document import Document

    from tanso.ui.vcm.community import CommunityPanel

    with Timer() as timer:
        panel = CommunityPanel(store=store)
        panel.show(Target.project(project))
        pn.Column(panel.support_bar, panel).get_root(Document())
        panel._thread._transform_object(panel._thread.object)
    return timer, len(panel._items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--toggles", type=int, default=300)
    args = parser.parse_args()

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    engine = check_connection(get_engine())
    migrations.upgrade(engine)
    cleanup(engine, SYNTHETIC, True)   # leftovers of an interrupted run
    project, members, synthetic = setup(engine, args.comments)
    viewer = members[0]
    try:
        with engine.begin() as conn:   # the baseline page: a project with no comments
            empty_project = conn.execute(sa.text(
                "SELECT p.project_id FROM core.vcm_projects p WHERE p.project_id <> :p AND "
                "NOT EXISTS (SELECT 1 FROM app.comments c WHERE c.project_id = p.project_id) "
                "ORDER BY p.issued DESC NULLS LAST LIMIT 1"), {"p": project}).scalar()
        if empty_project is None:
            print("baseline needs a second project: load the registry data "
                  "(tanso pipeline run vcm); measuring the thread only")
        page_build(engine, project, viewer)   # warm-up: imports, statement caches
        page_build(engine, project, viewer)
        print(f"project {project}, {args.comments} comments; baseline {empty_project}\n")

        from tanso.ui.vcm.store import VcmStore

        store = VcmStore(engine, user=viewer)
        parts = {"full": [], "empty": [], "page_full": [], "page_empty": [], "cold_full": [],
                 "cold_empty": []}
        for _ in range(args.repeats):
            timer, shown = community_build(store, project)
            parts["full"].append(timer)
            parts["cold_full"].append(page_build(engine, project, viewer, cold=True))
            parts["page_full"].append(page_build(engine, project, viewer))
            if empty_project is not None:
                parts["empty"].append(community_build(store, empty_project)[0])
                parts["cold_empty"].append(page_build(engine, empty_project, viewer, cold=True))
                parts["page_empty"].append(page_build(engine, empty_project, viewer))
        wall = {k: [t.wall for t in v] for k, v in parts.items()}
        cpu = {k: [t.cpu for t in v] for k, v in parts.items()}
        assert shown == args.comments, f"the page showed {shown} comments"
        print("1. Project page with comments, server-side build (target: median ≤ 150 ms)")
        print("   the community part (support bar, thread, form; query + models + nh3):")
        print_beside_baseline(args.comments, wall, cpu, "full", "empty")
        print("   the whole project page (store with its search, registry tables, chart,")
        print("   community part, Bokeh models), the project opened again (registry part cached):")
        print_beside_baseline(args.comments, wall, cpu, "page_full", "page_empty")
        print("   the same, the project's first opening in this process (registry part read):")
        print_beside_baseline(args.comments, wall, cpu, "cold_full", "cold_empty")

        target = Target.project(project)
        with engine.begin() as conn:
            support.set_supported(conn, viewer, target, False)
        trivial, toggles = [], []
        for i in range(args.toggles):
            start = time.perf_counter()
            with engine.begin() as conn:
                conn.execute(sa.text("SELECT 1"))
            trivial.append(time.perf_counter() - start)
            start = time.perf_counter()
            with engine.begin() as conn:
                support.set_supported(conn, viewer, target, i % 2 == 0)
            toggles.append(time.perf_counter() - start)

        from tanso.ui.vcm.community import CommunityPanel
        from tanso.ui.vcm.store import VcmStore

        panel = CommunityPanel(store=VcmStore(engine, user=members[1]))
        panel.show(target)
        clicks = []
        for _ in range(args.toggles):
            start = time.perf_counter()
            panel._toggle_support()
            clicks.append(time.perf_counter() - start)
        print("\n2. Support toggle (target: p95 ≤ 50 ms)")
        print(line("   baseline: transaction with SELECT 1", trivial))
        print(line("   support.set_supported (own transaction)", toggles, trivial))
        print(line("   the page's button (toggle + new count shown)", clicks, trivial))
    finally:
        cleanup(engine, project, synthetic)


if __name__ == "__main__":
    main()
