"""The marts in sql/marts, and the dashboard's queries over them, on the bundled examples.

Every expected value is computed a second way, from the contract tables in Python, so a mart
that double counts, drops a direction or loses a day fails here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict

import duckdb
import pytest

from dashboard import queries as q

pytestmark = pytest.mark.slow

MARTS = ["mart_daily_entity_mentions", "mart_entity_cooccurrence_daily", "mart_events_daily",
         "mart_country_pair_daily", "mart_top_speakers", "mart_entity_quotes", "mart_load_health",
         "mart_load_health_daily"]
ALL = (dt.date(1900, 1, 1), dt.date(2100, 1, 1))


@pytest.fixture(scope="module")
def con(examples_warehouse):
    db, _ = examples_warehouse
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def dated_article_entities(con) -> dict[str, tuple[dt.date, set[str]]]:
    """article_id -> (publication day, entities it names), for dated original articles."""
    out: dict[str, tuple[dt.date, set[str]]] = {}
    for aid, day, eid in rows(con, "SELECT m.article_id, CAST(a.published_at AS DATE), m.entity_id "
                              "FROM entity_mentions m JOIN articles a USING (article_id) "
                              "WHERE a.duplicate_of IS NULL AND a.published_at IS NOT NULL"):
        out.setdefault(aid, (day, set()))[1].add(eid)
    return out


def test_every_mart_is_a_view_after_a_run(con):
    views = {r[0] for r in rows(con, "SELECT view_name FROM duckdb_views() WHERE NOT internal")}
    assert set(MARTS) <= views
    for mart in MARTS:
        assert rows(con, f"SELECT count(*) FROM {mart}")[0][0] > 0, mart


def test_daily_entity_mentions_equal_a_direct_count(con):
    expected: Counter = Counter()
    articles: dict[tuple, set] = defaultdict(set)
    for day, eid, aid in rows(con, "SELECT CAST(a.published_at AS DATE), m.entity_id, m.article_id "
                              "FROM entity_mentions m JOIN articles a USING (article_id) "
                              "WHERE a.duplicate_of IS NULL AND a.published_at IS NOT NULL"):
        expected[(day, eid)] += 1
        articles[(day, eid)].add(aid)
    got = {(d, e): (m, a) for d, e, m, a in rows(con, "SELECT day, entity_id, mentions, articles "
                                                  "FROM mart_daily_entity_mentions")}
    assert got == {k: (n, len(articles[k])) for k, n in expected.items()}
    # undated articles exist in the examples and are left out, not put on a null day
    assert rows(con, "SELECT count(*) FROM articles WHERE published_at IS NULL")[0][0] > 0
    assert rows(con, "SELECT count(*) FROM mart_daily_entity_mentions WHERE day IS NULL")[0][0] == 0
    # names come from entities
    bad = rows(con, "SELECT count(*) FROM mart_daily_entity_mentions d JOIN entities e USING (entity_id) "
               "WHERE d.canonical_name <> e.canonical_name OR d.entity_type <> e.entity_type")
    assert bad[0][0] == 0


def test_cooccurrence_pairs_are_ordered_unique_and_counted_per_article(con):
    mart = rows(con, "SELECT day, entity_a, entity_b, articles FROM mart_entity_cooccurrence_daily")
    assert all(a < b for _, a, b, _ in mart)
    keys = [(d, a, b) for d, a, b, _ in mart]
    assert len(keys) == len(set(keys))
    expected: Counter = Counter()
    for day, ents in dated_article_entities(con).values():
        for a, b in itertools.combinations(sorted(ents), 2):
            expected[(day, a, b)] += 1
    assert {(d, a, b): n for d, a, b, n in mart} == dict(expected)
    assert max(expected.values()) >= 1


def test_neighbours_query_agrees_with_the_cooccurrence_mart(con):
    # the most mentioned entity named in both dated and undated originals
    eid, name = rows(con, "SELECT m.entity_id, any_value(e.canonical_name) FROM entity_mentions m "
                     "JOIN articles a USING (article_id) JOIN entities e ON e.entity_id = m.entity_id "
                     "WHERE a.duplicate_of IS NULL GROUP BY m.entity_id "
                     "HAVING count(DISTINCT a.article_id) FILTER (WHERE a.published_at IS NULL) > 0 "
                     "AND count(DISTINCT a.article_id) FILTER (WHERE a.published_at IS NOT NULL) > 0 "
                     "ORDER BY count(*) DESC, m.entity_id LIMIT 1")[0]
    nb = q.entity_neighbours(con, eid, *ALL, include_undated=False, limit=1000)
    assert nb.height > 0 and eid not in nb["entity_id"].to_list()
    # per-day mart rows summed over days = distinct shared articles, since an article has one day
    mart = dict(rows(con, "SELECT CASE WHEN entity_a = $1 THEN entity_b ELSE entity_a END, sum(articles) "
                     "FROM mart_entity_cooccurrence_daily WHERE $1 IN (entity_a, entity_b) GROUP BY 1", [eid]))
    assert dict(zip(nb["entity_id"], nb["articles"], strict=True)) == mart, name
    with_undated = q.entity_neighbours(con, eid, *ALL, include_undated=True, limit=1000)
    assert with_undated["articles"].sum() > nb["articles"].sum()


def test_events_daily_sums_equal_the_events(con):
    (n, total, coop, conf, clusters), = rows(
        con, "SELECT count(*), sum(score), count(*) FILTER (WHERE score > 0), count(*) FILTER (WHERE score < 0), "
        "count(DISTINCT (event_date, event_type, actor_country_code, recipient_country_code, event_cluster_id)) "
        "FROM events WHERE event_date IS NOT NULL")
    got = rows(con, "SELECT sum(events), sum(score_sum), sum(cooperation), sum(conflict), sum(event_clusters) "
               "FROM mart_events_daily")[0]
    assert got == (n, pytest.approx(total), coop, conf, clusters)
    assert n > 0 and coop > 0 and conf > 0
    # score_mean is the mean of the same rows
    bad = rows(con, "SELECT count(*) FROM mart_events_daily WHERE abs(score_mean * events - score_sum) > 1e-9")
    assert bad[0][0] == 0
    keys = rows(con, "SELECT count(*), count(DISTINCT (day, event_type, actor_country_code, recipient_country_code))"
                " FROM mart_events_daily")[0]
    assert keys[0] == keys[1]


def test_country_pair_line_sums_equal_event_scores(con):
    events = rows(con, "SELECT event_date, actor_country_code, recipient_country_code, score FROM events "
                  "WHERE event_date IS NOT NULL AND actor_country_code IS NOT NULL "
                  "AND recipient_country_code IS NOT NULL AND actor_country_code <> recipient_country_code")
    expected: dict[tuple, list] = defaultdict(lambda: [0, 0.0, 0, 0, 0, 0.0, 0, 0.0])
    for day, actor, recipient, score in events:
        a, b = sorted((actor, recipient))
        e = expected[(day, a, b)]
        e[0] += 1
        e[1] += score
        e[2] += score > 0
        e[3] += score < 0
        forward = actor == a
        e[4 if forward else 6] += 1
        e[5 if forward else 7] += score
    mart = rows(con, "SELECT day, country_a, country_b, events, score_sum, cooperation, conflict, a_to_b_events, "
                "a_to_b_score, b_to_a_events, b_to_a_score FROM mart_country_pair_daily")
    assert all(a < b for _, a, b, *_ in mart)
    assert {(d, a, b): list(v) for d, a, b, *v in mart} == {k: pytest.approx(v) for k, v in expected.items()}
    assert ("ARG", "BRA") in {(a, b) for _, a, b, *_ in mart}  # Argentina protests to Brazil (examples/)
    for _, _, _, n, s, _, _, ab, abs_, ba, bas in mart:
        assert ab + ba == n and abs_ + bas == pytest.approx(s)


def test_dashboard_pair_line_matches_the_pair_mart_in_both_orders(con):
    for a, b, day, score, n in rows(con, "SELECT country_a, country_b, day, score_sum, events "
                                    "FROM mart_country_pair_daily"):
        for x, y in ((a, b), (b, a)):
            line = q.country_pair_line(con, x, y, day, day, None)
            assert line.height == 1
            assert line["score_sum"][0] == pytest.approx(score) and line["events"][0] == n
            assert line["x_to_y_score"][0] + line["y_to_x_score"][0] == pytest.approx(score)
    assert q.country_pair_line(con, "ARG", "ARG", *ALL, None).height == 0
    # a type filter that excludes everything empties the line; the actual types keep it
    assert q.country_pair_line(con, "ARG", "BRA", *ALL, ["NO_SUCH_TYPE"]).height == 0
    types = [r[0] for r in rows(con, "SELECT DISTINCT event_type FROM events WHERE event_date IS NOT NULL AND "
                                "'ARG' IN (actor_country_code, recipient_country_code) AND "
                                "'BRA' IN (actor_country_code, recipient_country_code)")]
    assert q.country_pair_line(con, "ARG", "BRA", *ALL, types).height >= 1


def test_top_speakers_count_named_speakers_quotes(con):
    expected = Counter(r[0] for r in rows(con, "SELECT speaker_entity_id FROM quotes "
                                          "WHERE speaker_entity_id IS NOT NULL"))
    mart = rows(con, "SELECT speaker_entity_id, quotes, direct, indirect, articles, first_date, last_date "
                "FROM mart_top_speakers")
    assert {r[0]: r[1] for r in mart} == dict(expected)
    for _, n, direct, indirect, articles, first, last in mart:
        assert direct + indirect == n and 1 <= articles <= n
        assert (first is None) == (last is None) and (first is None or first <= last)
    top = q.top_speakers(con, limit=3)
    assert top["quotes"].to_list() == sorted((r[1] for r in mart), reverse=True)[:3]


def test_entity_quotes_one_row_per_quote_with_its_article(con):
    assert rows(con, "SELECT count(*), count(DISTINCT quote_id) FROM mart_entity_quotes")[0] == \
        rows(con, "SELECT count(*), count(*) FROM quotes")[0]
    mismatched = rows(con, "SELECT count(*) FROM mart_entity_quotes m JOIN quotes q USING (quote_id) "
                      "JOIN articles a ON a.article_id = q.article_id WHERE m.article_id <> q.article_id "
                      "OR m.quote_text <> q.quote_text OR m.article_title IS DISTINCT FROM a.title "
                      "OR m.published_date IS DISTINCT FROM CAST(a.published_at AS DATE)")
    assert mismatched[0][0] == 0
    assert rows(con, "SELECT count(*) FROM mart_entity_quotes WHERE speaker_entity_id IS NOT NULL "
                "AND speaker_name IS NULL")[0][0] == 0
    speaker = rows(con, "SELECT speaker_entity_id, quotes FROM mart_top_speakers ORDER BY quotes DESC LIMIT 1")[0]
    by_one = q.entity_quotes(con, speaker[0], *ALL, include_undated=True)
    assert by_one.height == speaker[1] and by_one["speaker"].n_unique() == 1


def test_load_health_matches_loads_and_the_run_summary(con, examples_warehouse):
    _, summary = examples_warehouse
    loads = rows(con, "SELECT load_id, status, articles_new, quarantined, expectations_failed, files "
                 "FROM mart_load_health")
    assert {r[0] for r in loads} == {ld.load_id for ld in summary.loads}
    assert all(r[1] == "committed" and r[4] == 0 for r in loads)
    assert sum(r[2] for r in loads) == rows(con, "SELECT count(*) FROM articles")[0][0]
    assert sum(r[3] for r in loads) == rows(con, "SELECT count(*) FROM quarantine")[0][0] >= 1
    assert sum(r[5] for r in loads) >= 14
    daily = rows(con, "SELECT sum(loads), sum(committed), sum(rejected) + sum(failed), sum(articles_committed) "
                 "FROM mart_load_health_daily")[0]
    assert daily == (len(loads), len(loads), 0, sum(r[2] for r in loads))


def test_every_dashboard_query_runs(con):
    options = q.entity_options(con)
    eid = options["entity_id"][0]
    first, last = q.date_bounds(con).row(0)
    assert first <= last
    # over the whole range, undated included, the ranking counts what entities.mention_count counts
    assert q.top_entities(con, first, last)["mentions"][0] == options["mentions"][0]
    assert q.entity_trend(con, [eid], first, last).height > 0
    assert q.entity_trend(con, [], first, last).height == 0
    assert q.event_timeline(con, first, last).height == rows(con, "SELECT count(DISTINCT (event_date, event_type)) "
                                                             "FROM events WHERE event_date IS NOT NULL")[0][0]
    assert q.busiest_country_pair(con).height == 1
    assert set(q.country_codes(con)["country_code"]) >= {"ARG", "BRA"}
    assert q.load_health(con).height >= 1 and q.load_health_daily(con).height >= 1
