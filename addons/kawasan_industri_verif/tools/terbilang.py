"""Numbers in Indonesian words (terbilang), as official minutes write their date."""

UNITS = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def number_to_words(number):
    """12 -> "dua belas", 2026 -> "dua ribu dua puluh enam" (0 <= number < 10**12)."""
    if number < 12:
        return UNITS[number]
    if number < 20:
        return f"{UNITS[number - 10]} belas"
    if number < 100:
        tens, rest = divmod(number, 10)
        return _join(f"{UNITS[tens]} puluh", rest)
    if number < 200:
        return _join("seratus", number - 100)
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return _join(f"{UNITS[hundreds]} ratus", rest)
    if number < 2000:
        return _join("seribu", number - 1000)
    for size, word in ((10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")):
        if number >= size:
            head, rest = divmod(number, size)
            return _join(f"{number_to_words(head)} {word}", rest)
    raise ValueError(number)


def _join(head, rest):
    return f"{head} {number_to_words(rest)}" if rest else head
