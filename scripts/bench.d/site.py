# The overlap search with 5,000 stored estates: boundaries of 40 to 400 ha spread over Java,
# a cluster of them around the estate searched for. Run by scripts/bench inside `odoo shell`
# (which provides `env`); the estates go in with SQL, the figures are medians.
import json
import math
import os
import random
import statistics
import time

from odoo.addons.kawasan_industri_verif.tools import site_geometry
from shapely.geometry import Polygon, mapping

ESTATES, RUNS = 5_000, 20
out = os.environ["KI_BENCH_OUT"]
cr = env.cr
rng = random.Random(15)
rows = []


def rectangle(lon, lat, hectares, angle):
    """A rotated rectangle of `hectares` around (lon, lat), in degrees (about 110.6 km each)."""
    side = math.sqrt(hectares * 10_000 * 1.5) / 110_600
    width, height = side, side / 1.5
    cos, sin = math.cos(angle), math.sin(angle)
    corners = [(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]
    return Polygon(
        [
            (
                lon + (x * width * cos - y * height * sin) / 2,
                lat + (x * width * sin + y * height * cos) / 2,
            )
            for x, y in corners
        ]
    )


# the estates: 4,950 over Java, 50 within 5 km of the one searched for
target = rectangle(110.30, -6.95, 150, 0.2)
shapes = [
    rectangle(
        rng.uniform(105.5, 114.5), rng.uniform(-8.4, -6.1), rng.uniform(40, 400), rng.random()
    )
    for _ in range(ESTATES - 50)
] + [
    rectangle(
        110.30 + rng.uniform(-0.045, 0.045),
        -6.95 + rng.uniform(-0.045, 0.045),
        rng.uniform(40, 150),
        rng.random(),
    )
    for _ in range(50)
]
started = time.perf_counter()
cr.execute("SELECT id FROM res_partner WHERE is_company ORDER BY id LIMIT 1")
partner_id = cr.fetchone()[0]
doc_type = env.ref("kawasan_industri_verif.document_type_boundary")
attachment = env["ir.attachment"].create({"name": "batas.geojson", "raw": b"{}"})
states = ["verification", "submitted", "kabid_review", "done"]
cr.execute(
    """
    INSERT INTO ki_permohonan (name, partner_id, estate_name, estate_type, state, decision,
                               area_ha, create_uid, write_uid, create_date, write_date)
    SELECT 'BENCH/SITE/' || i, %s, 'Kawasan Bench ' || i, 'general', (%s::text[])[1 + i %% 4],
           'approve', 100, 1, 1, now(), now()
      FROM generate_series(1, %s) i
    RETURNING id
    """,
    [partner_id, states, ESTATES + 1],
)
permohonan_ids = [row[0] for row in cr.fetchall()]
cr.execute(
    """
    INSERT INTO ki_permohonan_document (permohonan_id, document_type_id, document_type_sequence,
                                        attachment_id, version, is_latest, status,
                                        create_uid, write_uid, create_date, write_date)
    SELECT p, %s, 85, %s, 1, true, 'pending', 1, 1, now(), now() FROM unnest(%s) p
    RETURNING id, permohonan_id
    """,
    [doc_type.id, attachment.id, permohonan_ids],
)
documents = {permohonan: document for document, permohonan in cr.fetchall()}
values = []
for permohonan_id, shape in zip(permohonan_ids, [target, *shapes], strict=True):
    utm = site_geometry.utm_epsg_for(shape.centroid.x, shape.centroid.y)
    x0, y0, x1, y1 = shape.bounds
    values.append(
        (
            permohonan_id,
            documents[permohonan_id],
            True,
            json.dumps(mapping(shape)),
            "geojson",
            "EPSG:4326",
            utm,
            site_geometry.area_ha(shape, utm),
            1,
            x0,
            y0,
            x1,
            y1,
        )
    )
cr.execute_values(
    """
    INSERT INTO ki_estate_boundary (permohonan_id, document_id, is_latest, geojson,
                                    source_format, source_crs, utm_epsg, area_ha, parcel_count,
                                    min_lon, min_lat, max_lon, max_lat,
                                    create_uid, write_uid, create_date, write_date)
    VALUES %s
    """,
    [row + (1, 1) for row in values],
    template="(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now(), now())",
)
cr.execute("ANALYZE ki_estate_boundary")
env.cr.commit()
env.invalidate_all()
print(f"  {ESTATES} estates stored: {time.perf_counter() - started:.1f} s", flush=True)

Boundary = env["ki.estate.boundary"]
boundary = Boundary.search([("permohonan_id", "=", permohonan_ids[0])])


def timed(label, fn, runs=RUNS, note=None, target_text=None):
    timings, queries, result = [], [], None
    for _run in range(runs):
        env.invalidate_all()
        count = cr.sql_log_count
        started = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(cr.sql_log_count - count)
    row = {
        "figure": label,
        "ms": statistics.median(timings),
        "p95": sorted(timings)[int(len(timings) * 0.95) - 1],
        "queries": queries[-1],
        "note": note(result) if note else None,
        "target": target_text,
    }
    rows.append(row)
    print(f"{label}: {row['ms']:.1f} ms, {row['queries']} queries, {row['note']}")
    return result


timed(
    f"Overlap search of one boundary among {ESTATES:,} estates (GiST box, shapely in UTM)",
    boundary._overlaps,
    note=lambda found: f"{len(found)} overlapping, {sum(a for _b, a in found):.1f} ha",
    target_text="< 100 ms",
)
timed(
    f"Candidates of the prefilter alone (bounding boxes) among {ESTATES:,}",
    lambda: Boundary._search_bbox(
        (boundary.min_lon, boundary.min_lat, boundary.max_lon, boundary.max_lat),
        boundary.permohonan_id.id,
    ),
    note=lambda found: f"{len(found)} candidates",
)


def brute_force():
    others = Boundary.search([("is_latest", "=", True), ("id", "!=", boundary.id)])
    areas = site_geometry.overlap_ha(
        boundary._geometry(), [other._geometry() for other in others], boundary.utm_epsg
    )
    return [area for area in areas if area]


timed(
    f"The same without the prefilter: every one of the {ESTATES:,} shapes",
    brute_force,
    runs=3,
    note=lambda found: f"{len(found)} overlapping",
)
cr.execute(
    "EXPLAIN SELECT 1 FROM ki_estate_boundary b WHERE b.is_latest AND box(point(b.min_lon, "
    "b.min_lat), point(b.max_lon, b.max_lat)) && box(point(110, -7), point(110.1, -6.9))"
)
plan = " ".join(row[0] for row in cr.fetchall())
print(f"  plan: {plan[:160]}")

with open(os.path.join(out, "site.json"), "w") as handle:
    json.dump(rows, handle)
