"""Estate boundaries: read a GeoJSON, KML/KMZ or zipped Shapefile, validate its polygons,
and measure them in the UTM zone they lie in.

Plain Python on shapely and pyproj, no Odoo: the models turn the problems found here
(`BoundaryError.problems`, each a code and its parameters) into translated messages."""

import io
import json
import math
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyproj
import shapefile
import shapely
from lxml import etree
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.validation import explain_validity

WGS84 = 4326
# Indonesia from Sabang to Merauke and from Miangas to Rote, with a margin: every vertex of
# a boundary must lie inside (a swapped latitude/longitude lands far outside).
INDONESIA_BOUNDS = (94.0, -11.5, 141.5, 6.5)
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
# Below this, a shared edge drawn twice with rounding differences, not an overlap.
MIN_OVERLAP_M2 = 1.0
EPSG_RE = re.compile(r"EPSG:+(?:[\d.]*:)?(\d{4,5})$", re.IGNORECASE)
CRS84_RE = re.compile(r"CRS:?84$", re.IGNORECASE)
SHAPEFILE_POLYGON_TYPES = {shapefile.POLYGON, shapefile.POLYGONZ, shapefile.POLYGONM}


class BoundaryError(Exception):
    """The file is refused; `problems` lists (code, params) for every problem found."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


@dataclass
class Boundary:
    """A validated boundary: the union of its polygons in WGS84 longitude/latitude."""

    geometry: Polygon | MultiPolygon
    source_format: str  # geojson, kml, shapefile
    source_crs: str  # "EPSG:4326", "EPSG:32749", ...

    @property
    def parcels(self):
        return list(getattr(self.geometry, "geoms", [self.geometry]))

    @property
    def parcel_count(self):
        return len(self.parcels)

    @property
    def utm_epsg(self):
        centroid = self.geometry.centroid
        return utm_epsg_for(centroid.x, centroid.y)

    @property
    def area_ha(self):
        return area_ha(self.geometry, self.utm_epsg)

    @property
    def bounds(self):
        return self.geometry.bounds

    def to_geojson(self):
        return shapely.to_geojson(self.geometry)


# ---------------------------------------------------------------------- reading


def parse_boundary(data):
    """Read, validate and return the Boundary in `data` (bytes of a GeoJSON, KML, KMZ or
    zipped Shapefile, told apart by their content). Raises BoundaryError."""
    if not data:
        raise BoundaryError([("empty", {})])
    if data[:4] == b"PK\x03\x04":
        rings, crs, source_format = _read_zip(data)
    elif data.lstrip()[:1] == b"<":
        rings, crs, source_format = _read_kml(data), WGS84, "kml"
    else:
        rings, crs, source_format = _read_geojson(data)
    return _validate(rings, crs, source_format)


def _read_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BoundaryError([("corrupt", {"format": "ZIP"})]) from None
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise BoundaryError([("zip_too_large", {})])
    names = {info.filename.lower(): info.filename for info in infos if not info.is_dir()}
    kml = [name for name in names if name.endswith(".kml")]
    shp = [name for name in names if name.endswith(".shp")]
    try:
        if kml and not shp:  # a KMZ
            return _read_kml(archive.read(names[kml[0]])), WGS84, "kml"
        if len(shp) != 1:
            raise BoundaryError([("shapefile_count", {"count": len(shp)})])
        base = shp[0][:-4]
        parts = {}
        for extension in ("shp", "shx", "dbf", "prj"):
            name = names.get(f"{base}.{extension}")
            parts[extension] = archive.read(name) if name else None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise BoundaryError([("corrupt", {"format": "ZIP"})]) from None
    if not parts["shx"]:
        raise BoundaryError([("shapefile_part_missing", {"part": ".shx"})])
    if not parts["prj"]:
        raise BoundaryError([("shapefile_part_missing", {"part": ".prj"})])
    crs = _crs_from_text(parts["prj"].decode("utf-8", "replace"))
    return _read_shapefile(parts), crs, "shapefile"


def _read_shapefile(parts):
    try:
        reader = shapefile.Reader(
            shp=io.BytesIO(parts["shp"]),
            shx=io.BytesIO(parts["shx"]),
            dbf=io.BytesIO(parts["dbf"]) if parts["dbf"] else None,
        )
        shapes = reader.shapes()
    except Exception:  # pyshp raises many kinds of errors on a damaged file
        raise BoundaryError([("corrupt", {"format": "Shapefile"})]) from None
    polygons = []
    for item in shapes:
        if item.shapeType == shapefile.NULL:
            continue
        if item.shapeType not in SHAPEFILE_POLYGON_TYPES:
            raise BoundaryError([("not_polygon", {"type": item.shapeTypeName})])
        # the geo interface groups the rings: clockwise outer rings, their holes after them
        geo = item.__geo_interface__
        coordinates = geo["coordinates"]
        polygons += [coordinates] if geo["type"] == "Polygon" else list(coordinates)
    return polygons


def _read_kml(data):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        raise BoundaryError([("corrupt", {"format": "KML"})]) from None
    if etree.QName(root).localname != "kml":
        raise BoundaryError([("corrupt", {"format": "KML"})])
    polygons = []
    for polygon in root.iter("{*}Polygon"):
        rings = []
        for tag in ("outerBoundaryIs", "innerBoundaryIs"):
            for boundary in polygon.iterfind(f"{{*}}{tag}"):
                for coordinates in boundary.iterfind("{*}LinearRing/{*}coordinates"):
                    rings.append(_kml_coordinates(coordinates.text or ""))
        polygons.append(rings)
    if not polygons:
        others = [etree.QName(el).localname for el in root.iter("{*}LineString", "{*}Point")]
        raise BoundaryError(
            [("not_polygon", {"type": others[0]})] if others else [("no_polygon", {})]
        )
    return polygons


def _kml_coordinates(text):
    points = []
    for item in text.split():
        values = item.split(",")
        try:
            points.append([float(values[0]), float(values[1])])
        except (ValueError, IndexError):
            raise BoundaryError([("corrupt", {"format": "KML"})]) from None
    return points


def _read_geojson(data):
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise BoundaryError([("corrupt", {"format": "GeoJSON"})]) from None
    if not isinstance(document, dict) or "type" not in document:
        raise BoundaryError([("corrupt", {"format": "GeoJSON"})])
    crs = WGS84
    name = ((document.get("crs") or {}).get("properties") or {}).get("name")
    if name:
        crs = _crs_from_name(str(name))
    polygons = []
    for geometry in _geojson_geometries(document):
        kind = geometry.get("type")
        coordinates = geometry.get("coordinates")
        if kind == "Polygon":
            polygons.append(coordinates)
        elif kind == "MultiPolygon":
            polygons += list(coordinates or [])
        else:
            raise BoundaryError([("not_polygon", {"type": str(kind)})])
    if not polygons:
        raise BoundaryError([("no_polygon", {})])
    return polygons, crs, "geojson"


def _geojson_geometries(document):
    kind = document.get("type")
    if kind == "FeatureCollection":
        for feature in document.get("features") or []:
            yield from _geojson_geometries(feature if isinstance(feature, dict) else {})
    elif kind == "Feature":
        if document.get("geometry"):
            yield from _geojson_geometries(document["geometry"])
    elif kind == "GeometryCollection":
        for geometry in document.get("geometries") or []:
            yield from _geojson_geometries(geometry)
    elif kind:
        yield document
    else:
        raise BoundaryError([("corrupt", {"format": "GeoJSON"})])


# ---------------------------------------------------------------------- coordinate systems


def _crs_from_name(name):
    """An EPSG code from a GeoJSON crs name (urn:ogc:def:crs:EPSG::32749, EPSG:4326, CRS84)."""
    if CRS84_RE.search(name):
        return WGS84
    match = EPSG_RE.search(name.replace("urn:ogc:def:crs:", ""))
    if not match:
        raise BoundaryError([("unknown_crs", {"crs": name[:80]})])
    return _accepted_crs(int(match.group(1)), name)


def _crs_from_text(text):
    try:
        crs = pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError:
        raise BoundaryError([("unknown_crs", {"crs": text[:80]})]) from None
    epsg = crs.to_epsg(min_confidence=70)
    if epsg is None and crs.is_geographic and "WGS" in (crs.datum.name or "").upper():
        epsg = WGS84
    if epsg is None and crs.utm_zone:
        zone = crs.utm_zone
        epsg = (32600 if zone.endswith("N") else 32700) + int(zone[:-1])
    if epsg is None:
        raise BoundaryError([("unsupported_crs", {"crs": crs.name})])
    return _accepted_crs(epsg, crs.name)


def _accepted_crs(epsg, label):
    """WGS84 longitude/latitude or a UTM zone: nothing else is accepted."""
    try:
        crs = _crs(epsg)
    except pyproj.exceptions.CRSError:
        raise BoundaryError([("unknown_crs", {"crs": label[:80]})]) from None
    if epsg == WGS84 or crs.utm_zone:
        return epsg
    raise BoundaryError([("unsupported_crs", {"crs": crs.name})])


@lru_cache(maxsize=64)
def _crs(epsg):
    return pyproj.CRS.from_epsg(epsg)


@lru_cache(maxsize=64)
def _transformer(source, target):
    return pyproj.Transformer.from_crs(_crs(source), _crs(target), always_xy=True)


def utm_epsg_for(lon, lat):
    """The WGS84 / UTM zone (EPSG 326zz north, 327zz south) of a point."""
    zone = min(int((lon + 180) // 6) + 1, 60)
    return (32600 if lat >= 0 else 32700) + zone


def project(geometry, source, target):
    """`geometry` with its coordinates transformed from EPSG `source` to `target`."""
    if source == target:
        return geometry
    transformer = _transformer(source, target)

    def transform(coords):
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, transform)


def area_ha(geometry, utm_epsg):
    return project(geometry, WGS84, utm_epsg).area / 10000


def overlap_ha(geometry, others, utm_epsg):
    """The area (ha) `geometry` shares with each of `others` (WGS84), measured in `utm_epsg`;
    0 below a square metre."""
    own = project(geometry, WGS84, utm_epsg)
    shapely.prepare(own)
    areas = []
    for other in others:
        other_utm = project(other, WGS84, utm_epsg)
        shared = own.intersection(other_utm).area if own.intersects(other_utm) else 0.0
        areas.append(shared / 10000 if shared >= MIN_OVERLAP_M2 else 0.0)
    return areas


def contains_point(geometry, lon, lat):
    return geometry.covers(Point(lon, lat))


def load_geojson(text):
    return shape(json.loads(text))


# ---------------------------------------------------------------------- validation


def _validate(polygons, crs, source_format):
    """Check every ring of every polygon; return the Boundary or raise every problem."""
    problems = []
    checked = []
    for number, rings in enumerate(polygons, start=1):
        rings = _ring_arrays(rings, number, problems)
        if rings is None:
            continue
        if crs != WGS84:
            rings = [
                np.column_stack(_transformer(crs, WGS84).transform(r[:, 0], r[:, 1])) for r in rings
            ]
        outside = [
            point
            for ring in rings
            for point in ring
            if not (
                INDONESIA_BOUNDS[0] <= point[0] <= INDONESIA_BOUNDS[2]
                and INDONESIA_BOUNDS[1] <= point[1] <= INDONESIA_BOUNDS[3]
            )
        ]
        if outside:
            problems.append(
                (
                    "outside_indonesia",
                    {"polygon": number, "lon": outside[0][0], "lat": outside[0][1]},
                )
            )
            continue
        polygon = Polygon(rings[0], rings[1:])
        if not polygon.is_valid:
            problems.append(_invalidity(polygon, number))
            continue
        checked.append(polygon)
    if problems:
        raise BoundaryError(problems)
    if not checked:
        raise BoundaryError([("no_polygon", {})])
    union = shapely.union_all(checked)
    return Boundary(geometry=union, source_format=source_format, source_crs=f"EPSG:{crs}")


def _ring_arrays(rings, number, problems):
    """The rings of polygon `number` as arrays of (x, y), or None after noting its problems."""
    if not isinstance(rings, list) or not rings:
        problems.append(("empty_polygon", {"polygon": number}))
        return None
    arrays = []
    for ring_number, ring in enumerate(rings, start=1):
        try:
            array = np.array([[float(p[0]), float(p[1])] for p in ring], dtype=float)
        except (TypeError, ValueError, IndexError):
            problems.append(("bad_coordinates", {"polygon": number, "ring": ring_number}))
            return None
        if not np.isfinite(array).all():
            problems.append(("bad_coordinates", {"polygon": number, "ring": ring_number}))
            return None
        if len(array) < 4:
            problems.append(("too_few_points", {"polygon": number, "ring": ring_number}))
            return None
        if not np.array_equal(array[0], array[-1]):
            problems.append(("unclosed_ring", {"polygon": number, "ring": ring_number}))
            return None
        arrays.append(array)
    return arrays


def _invalidity(polygon, number):
    reason = explain_validity(polygon)
    match = re.search(r"\[([-\d.eE]+) ([-\d.eE]+)\]", reason)
    lon, lat = (float(match.group(1)), float(match.group(2))) if match else (math.nan, math.nan)
    if "Self-intersection" in reason:
        return ("self_intersection", {"polygon": number, "lon": lon, "lat": lat})
    return ("invalid_polygon", {"polygon": number, "reason": reason.split("[")[0].strip()})
