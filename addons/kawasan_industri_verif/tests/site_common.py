"""Boundary files of known geometry, in every format the portal accepts, and photos with
the EXIF position a phone writes."""

import io
import json
import zipfile

import pyproj
import shapefile
from PIL import Image

from .common import PDF, KiCase

# A rectangle of 1,000 m x 600 m (60 ha) in UTM zone 49S, east of Semarang (away from the
# demo estates).
X0, Y0 = 480000.0, 9220000.0
UTM_49S = 32749
TO_WGS84 = pyproj.Transformer.from_crs(UTM_49S, 4326, always_xy=True)


def utm_rectangle(x0=X0, y0=Y0, width=1000.0, height=600.0):
    return [[x0, y0], [x0 + width, y0], [x0 + width, y0 + height], [x0, y0 + height], [x0, y0]]


def to_lonlat(ring):
    return [list(TO_WGS84.transform(x, y)) for x, y in ring]


def geojson(*rings, epsg=None):
    """A FeatureCollection with one polygon per ring; with `epsg`, in that system."""
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [r]},
            }
            for r in rings
        ],
    }
    if epsg:
        document["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}}
    return json.dumps(document).encode()


def kml(ring):
    coordinates = " ".join(f"{lon},{lat},0" for lon, lat in ring)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><Polygon>'
        f"<outerBoundaryIs><LinearRing><coordinates>{coordinates}</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>"
    ).encode()


def shapefile_zip(ring, epsg=UTM_49S):
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
    writer.field("NAMA", "C", 40)
    writer.poly([list(reversed(ring))])  # outer rings run clockwise
    writer.record("batas")
    writer.close()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("batas.shp", shp.getvalue())
        handle.writestr("batas.shx", shx.getvalue())
        handle.writestr("batas.dbf", dbf.getvalue())
        handle.writestr(
            "batas.prj", pyproj.CRS.from_epsg(epsg).to_wkt(pyproj.enums.WktVersion.WKT1_ESRI)
        )
    return archive.getvalue()


def photo(lon=None, lat=None, utc=None, local=None):
    """A JPEG with, if given, the GPS position, the GPS (UTC) time and the camera time."""
    image = Image.new("RGB", (64, 48), "green")
    exif = Image.Exif()
    gps = {}
    if lat is not None:
        gps.update({1: "S" if lat < 0 else "N", 2: _dms(lat), 3: "E", 4: _dms(lon)})
    if utc:
        gps.update({29: utc.strftime("%Y:%m:%d"), 7: (utc.hour, utc.minute, utc.second)})
    if gps:
        exif[0x8825] = gps
    if local:
        exif[0x8769] = {36867: local.strftime("%Y:%m:%d %H:%M:%S")}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def _dms(value):
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 5)
    return (float(degrees), float(minutes), seconds)


class KiSiteCase(KiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.boundary_type = cls.env.ref("kawasan_industri_verif.document_type_boundary")

    @classmethod
    def _upload_boundary(cls, permohonan, data, filename="batas.geojson", user=None):
        user = user or cls.applicant
        return permohonan.with_user(user).action_upload_document(
            cls.boundary_type.id, filename, data
        )

    @classmethod
    def _file_with_boundary(cls, data, state="draft", **vals):
        """A complete file of the test company with this boundary, brought to `state`."""
        permohonan = cls._new_file(**vals)
        cls._upload_boundary(permohonan, data)
        return cls._file_in(state, permohonan) if state != "draft" else permohonan

    @classmethod
    def _other_company_file(cls, data, **vals):
        """A file of the other company with this boundary, submitted (so active)."""
        permohonan = (
            cls.env["ki.permohonan"]
            .with_user(cls.other_applicant)
            .create(dict(cls.applicant_data, estate_name="Kawasan Perusahaan Lain", **vals))
        )
        for doc_type in cls.doc_types.filtered("required"):
            permohonan.action_upload_document(doc_type.id, f"{doc_type.code}.pdf", PDF)
        cls._upload_boundary(permohonan, data, user=cls.other_applicant)
        permohonan.action_submit()
        return permohonan.with_env(cls.env)

    @staticmethod
    def _checks(permohonan, label):
        """The Berita Acara's check rows with this label."""
        return [row for row in permohonan._technical_checks() if row["label"] == label]
