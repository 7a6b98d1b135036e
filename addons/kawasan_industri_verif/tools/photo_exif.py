"""Where and when a photo was taken, from its EXIF data (Pillow)."""

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from PIL import Image, UnidentifiedImageError

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 36867
OFFSET_TIME_ORIGINAL = 36881
GPS_LATITUDE_REF, GPS_LATITUDE = 1, 2
GPS_LONGITUDE_REF, GPS_LONGITUDE = 3, 4
GPS_TIMESTAMP, GPS_DATESTAMP = 7, 29


@dataclass
class PhotoPosition:
    latitude: float | None
    longitude: float | None
    taken_at: datetime | None  # naive UTC, as Odoo stores datetimes


def read_position(data, default_tz):
    """The GPS position and the UTC time of the photo in `data` (JPEG, PNG, ...): each None
    when the photo does not say. A local time without offset is taken in `default_tz` (the
    office's zone). Raises ValueError when `data` is not an image."""
    try:
        image = Image.open(io.BytesIO(data))
        exif = image.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(str(error)) from None
    gps = exif.get_ifd(GPS_IFD)
    latitude = _degrees(gps.get(GPS_LATITUDE), gps.get(GPS_LATITUDE_REF), "S")
    longitude = _degrees(gps.get(GPS_LONGITUDE), gps.get(GPS_LONGITUDE_REF), "W")
    if latitude is None or longitude is None:
        latitude = longitude = None
    taken_at = _gps_time(gps) or _original_time(exif.get_ifd(EXIF_IFD), default_tz)
    return PhotoPosition(latitude, longitude, taken_at)


def _degrees(value, ref, negative_ref):
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    return -result if (ref or "").strip().upper() == negative_ref else result


def _gps_time(gps):
    """The satellite time (UTC) the GPS stamped on the photo."""
    date, time = gps.get(GPS_DATESTAMP), gps.get(GPS_TIMESTAMP)
    try:
        day = datetime.strptime(str(date).strip("\x00 "), "%Y:%m:%d")
        hours, minutes, seconds = (float(part) for part in time)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return day + timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _original_time(exif, default_tz):
    """The camera's local time, with its offset when it wrote one."""
    try:
        local = datetime.strptime(
            str(exif.get(DATETIME_ORIGINAL)).strip("\x00 "), "%Y:%m:%d %H:%M:%S"
        )
    except (TypeError, ValueError):
        return None
    offset = str(exif.get(OFFSET_TIME_ORIGINAL) or "").strip("\x00 ")
    try:
        sign = -1 if offset.startswith("-") else 1
        hours, minutes = offset.lstrip("+-").split(":")
        tzinfo = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
        aware = local.replace(tzinfo=tzinfo)
    except ValueError:
        aware = default_tz.localize(local)
    return aware.astimezone(UTC).replace(tzinfo=None)
