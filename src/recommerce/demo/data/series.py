"""Device models generated from real series and generation numbers, for the load-test sizes.

Names follow each maker's numbering (Galaxy A{tier}{year digit}, ThinkPad T14 Gen {n},
EliteBook 840 G{n}, Latitude {line}{size}{generation}0…), so a catalog of tens of
thousands of variants still reads like a shop. Some generated names exist, most could.
"""

# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Iterable, Iterator

from recommerce.demo.data import ModelSpec, colours
from recommerce.demo.data.series_computers import computer_families

ROMAN = ("I", "II", "III", "IV", "V", "VI")

SNAPDRAGON = {
    "high": ("Snapdragon 855", "Snapdragon 865", "Snapdragon 888", "Snapdragon 8 Gen 1",
             "Snapdragon 8 Gen 2", "Snapdragon 8 Gen 3", "Snapdragon 8 Elite"),
    "mid": ("Snapdragon 730G", "Snapdragon 765G", "Snapdragon 778G", "Snapdragon 778G+",
            "Snapdragon 7 Gen 1", "Snapdragon 7s Gen 2", "Snapdragon 7s Gen 3"),
    "low": ("Snapdragon 665", "Snapdragon 662", "Snapdragon 680", "Snapdragon 695",
            "Snapdragon 695", "Snapdragon 4 Gen 2", "Snapdragon 6 Gen 3"),
}  # fmt: skip
EXYNOS = ("Exynos 9611", "Exynos 850", "Exynos 1280", "Exynos 1280", "Exynos 1380",
          "Exynos 1480", "Exynos 1580")  # fmt: skip
KIRIN = ("Kirin 710", "Kirin 810", "Kirin 990", "Kirin 9000", "Kirin 9000S", "Kirin 9010",
         "Kirin 9020")  # fmt: skip


def by_year(table: tuple[str, ...], year: int) -> str:
    """Return the entry of a 2019-onwards table for ``year``."""
    return table[max(0, min(len(table) - 1, year - 2019))]


def phone(brand: str, name: str, year: int, price: int, palette: str, tier: str) -> ModelSpec:
    """Build a generated smartphone; ``tier`` is "low", "mid" or "high"."""
    if brand == "Samsung" and tier != "high":
        processor = by_year(EXYNOS, year)
    elif brand == "Huawei":
        processor = by_year(KIRIN, year)
    else:
        processor = by_year(SNAPDRAGON[tier], year)
    storages = {"low": (64, 128, 256), "mid": (128, 256, 512), "high": (128, 256, 512, 1024)}[tier]
    screen = {"low": '6.5" LCD 90 Hz', "mid": '6.6" AMOLED 120 Hz', "high": '6.7" AMOLED 120 Hz'}
    camera = {"low": "50 MP dual", "mid": "50 MP triple", "high": "50 MP triple, 3x zoom"}
    return ModelSpec(
        "smartphones", brand, name, year, price, storages=storages, colours=colours(palette),
        connectivity=("Unlocked",),
        specs=(("Screen", screen[tier]), ("Processor", processor), ("Main camera", camera[tier]),
               ("Battery", f"{4500 + 100 * ((year + len(name)) % 6)} mAh")),
    )  # fmt: skip


def phone_families() -> list[list[ModelSpec]]:
    """Return generated smartphones, one list per maker's series."""
    galaxy_a = [
        phone("Samsung", f"Galaxy A{tier}{gen}{sfx}", 2019 + gen, 129 + 55 * tier + gen * 5
              + (30 if sfx else 0), "Awesome Black/Awesome White/Awesome Blue/Awesome Violet",
              "low" if tier < 3 else "mid")
        for gen in range(7) for tier in range(8) for sfx in ("", " 5G") if tier or gen
    ]  # fmt: skip
    galaxy_m = [
        phone("Samsung", f"Galaxy M{tier}{gen}", 2019 + gen, 149 + 50 * tier,
              "Deep Ocean Blue/Mint Green/Stone Grey", "low" if tier < 3 else "mid")
        for gen in range(6) for tier in range(1, 6)
    ]  # fmt: skip
    redmi = [
        phone("Xiaomi", f"Redmi Note {n}{sfx}", min(2025, max(2019, 2011 + n)),
              179 + 40 * i + 8 * (n - 7), "Graphite Gray/Ice Blue/Mint Green/Midnight Black",
              "low" if i < 2 else "mid")
        for n in range(7, 15) for i, sfx in enumerate(("", "S", " 5G", " Pro", " Pro+ 5G"))
    ] + [
        phone("Xiaomi", f"Redmi {n}{sfx}", min(2025, max(2019, 2011 + n)), 99 + 30 * i + 5 * n,
              "Carbon Black/Ocean Blue/Pebble White", "low")
        for n in range(9, 15) for i, sfx in enumerate(("A", "C", ""))
    ]  # fmt: skip
    poco = [
        phone("Xiaomi", f"Poco {line}{n}{sfx}", min(2025, 2017 + n), base + 60 * i + 10 * n,
              "Black/Blue/Yellow", "high" if line == "F" else "mid")
        for line, base in (("X", 229), ("F", 349), ("M", 149)) for n in range(3, 8)
        for i, sfx in enumerate(("", " Pro"))
    ]  # fmt: skip
    moto = [
        phone("Motorola", f"Moto G{tier}{gen}{sfx}", 2021 + (gen - 1 if gen else 0),
              129 + 30 * tier + (40 if sfx == " 5G" else 0),
              "Midnight Blue/Mint Green/Pearl White", "low" if tier < 6 else "mid")
        for gen in (0, 2, 3, 4, 5) for tier in range(10) for sfx in ("", " Power", " 5G")
        if tier or gen
    ] + [
        phone("Motorola", f"Edge {n}{sfx}", 2020 + (n - 20) // 10, 449 + 150 * i,
              "Eclipse Black/Nebula Green/Lunar Blue", "mid" if i == 0 else "high")
        for n in (20, 30, 40, 50) for i, sfx in enumerate(("", " Pro", " Ultra"))
    ]  # fmt: skip
    oppo = [
        phone("Oppo", f"Find X{n}{sfx}", 2018 + n, 599 + 60 * n + extra,
              "Starry Black/Glowing Green/Sunset Blue", tier)
        for n in range(2, 8)
        for sfx, extra, tier in (("", 0, "high"), (" Pro", 300, "high"), (" Ultra", 600, "high"),
                                 (" Lite", -250, "mid"))
    ] + [
        phone("Oppo", f"Reno{n}{sfx}", min(2025, 2018 + (n + 1) // 2), 349 + 100 * i + 10 * n,
              "Starry Black/Glowing Green/Aurora Blue", "mid")
        for n in range(2, 13) for i, sfx in enumerate(("", " 5G", " Pro"))
    ] + [
        phone("Oppo", f"A{tier}{d}", 2016 + d, 149 + 25 * tier,
              "Glowing Black/Glowing Purple/Glowing Green", "low")
        for tier in range(1, 10) for d in range(3, 9)
    ]  # fmt: skip
    honor = [
        phone("Honor", f"{n}{sfx}", year, 399 + extra + (year - 2021) * 20,
              "Midnight Black/Emerald Green/Titanium Silver", tier)
        for n, year in ((50, 2021), (70, 2022), (90, 2023), (200, 2024), (400, 2025))
        for sfx, extra, tier in (("", 0, "mid"), (" Pro", 200, "high"), (" Lite", -130, "low"))
    ] + [
        phone("Honor", f"Magic{n}{sfx}", 2018 + n, 699 + extra,
              "Midnight Black/Glacial Blue/Moss Green", tier)
        for n in range(3, 8)
        for sfx, extra, tier in (("", 0, "high"), (" Pro", 300, "high"), (" Lite", -350, "mid"))
    ] + [
        phone("Honor", f"X{n}{sfx}", 2016 + n, 169 + 30 * i + 10 * n, "Ocean Blue/Midnight Black",
              "low")
        for n in range(6, 10) for i, sfx in enumerate(("", "a", "b", "c"))
    ]  # fmt: skip
    huawei = [
        phone("Huawei", f"{line}{n}{sfx}", 2017 + n // 10, base + extra + 10 * n,
              "Black/White/Green", tier)
        for line, base in (("P", 649), ("Mate ", 799)) for n in (10, 20, 30, 40, 50, 60)
        for sfx, extra, tier in (("", 0, "high"), (" Pro", 250, "high"), (" lite", -300, "mid"))
    ] + [
        phone("Huawei", f"nova {n}{sfx}", min(2025, 2014 + n), 299 + 100 * i + 10 * n,
              "Black/Silver/Green", "mid")
        for n in range(5, 13) for i, sfx in enumerate(("", "i", " Pro"))
    ]  # fmt: skip
    xperia = [
        phone("Sony", f"Xperia {line} {ROMAN[gen]}".removesuffix(" I"), 2019 + gen,
              base + 20 * gen,
              "Black/White/Blue", tier)
        for line, base, tier in ((1, 1199, "high"), (5, 899, "high"), (10, 399, "mid"))
        for gen in range(6)
    ]  # fmt: skip
    oneplus = [
        phone("OnePlus", f"{n}{sfx}", 2012 + n, 499 + 50 * (n - 6) + extra, "Gray/Green/Blue",
              "high")
        for n in range(6, 14) for sfx, extra in (("", 0), ("T", 80), (" Pro", 250))
    ] + [
        phone("OnePlus", f"Nord {label}", year, price, "Gray Onyx/Blue Quantum", "mid")
        for label, year, price in (
            ("N10 5G", 2020, 349), ("N100", 2020, 199), ("N20 5G", 2021, 299), ("N200 5G", 2021, 249),
            ("N30 5G", 2022, 299), ("N300 5G", 2022, 229), ("CE 5G", 2021, 299),
            ("CE 2 5G", 2022, 339), ("CE 2 Lite 5G", 2022, 299), ("CE 3 5G", 2023, 349),
            ("CE 4", 2024, 349), ("CE 4 Lite 5G", 2024, 299), ("4", 2024, 499), ("2T 5G", 2022, 429),
        )
    ]  # fmt: skip
    asus = [
        phone("Asus", f"Zenfone {n}{sfx}", 2013 + n, 599 + extra + 20 * (n - 6),
              "Midnight Black/Starry Blue/Sunset Red", "high")
        for n in range(6, 12) for sfx, extra in (("", 0), (" Flip", 200), (" Ultra", 300))
    ] + [
        phone("Asus", f"ROG Phone {n}{sfx}", min(2025, 2017 + n), 799 + 300 * i + 30 * n,
              "Phantom Black/Storm White", "high")
        for n in range(2, 10) for i, sfx in enumerate(("", " Pro"))
    ]  # fmt: skip
    realme = [
        phone("Realme", f"{n}{sfx}", min(2025, 2014 + n), 199 + 15 * n + extra,
              "Dark Blue/Sunrise Beige/Forest Green", tier)
        for n in range(6, 14)
        for sfx, extra, tier in (("", 0, "low"), ("i", -40, "low"), (" Pro", 100, "mid"),
                                 (" Pro+", 180, "mid"))
    ] + [
        phone("Realme", f"GT {n}{sfx}", 2020 + n, 449 + 30 * n + extra, "Racing Yellow/Dashing Blue",
              tier)
        for n in range(1, 6) for sfx, extra, tier in (("", 0, "high"), (" Neo", -100, "mid"))
    ]  # fmt: skip
    vivo = [
        phone("Vivo", f"{line}{n}{sfx}", year + k, base + 20 * k + extra, palette, tier)
        for line, year, base, numbers, palette, tier in (
            ("V", 2020, 349, (20, 21, 23, 25, 27, 29, 30, 40), "Sunset Dazzle/Midnight Jazz", "mid"),
            ("X", 2020, 749, (50, 60, 70, 80, 90, 100), "Cosmic Black/Ocean Blue", "high"),
            ("Y", 2020, 169, (11, 16, 21, 33, 35, 36, 52, 76), "Starry Black/Glacier Blue", "low"),
        )
        for k, n in enumerate(numbers)
        for sfx, extra in (("", 0), (" Pro", 150), ("s", -30))
    ]  # fmt: skip
    nokia = [
        phone("Nokia", f"{line}{n}{sfx}", year + k, base + 10 * k + extra, "Charcoal/Polar White",
              "low")
        for line, year, base, numbers in (
            ("G", 2021, 149, (10, 11, 20, 21, 22, 42, 60)), ("X", 2021, 299, (10, 20, 30)),
            ("C", 2020, 99, (10, 20, 21, 22, 32)),
        )
        for k, n in enumerate(numbers)
        for sfx, extra in (("", 0), (" Plus", 30), (" 5G", 60))
    ]  # fmt: skip
    return [galaxy_a, galaxy_m, redmi, poco, moto, oppo, honor, huawei, xperia, oneplus, asus,
            realme, vivo, nokia]  # fmt: skip


def device(
    category: str,
    brand: str,
    name: str,
    year: int,
    price: int,
    palette: str,
    specs: tuple[tuple[str, str], ...],
    *,
    storages: tuple[int, ...] = (),
    connectivity: tuple[str, ...] = (),
    battery: bool = True,
) -> ModelSpec:
    """Build a generated device of any category but phones and computers."""
    return ModelSpec(category, brand, name, year, price, storages=storages,
                     colours=colours(palette), connectivity=connectivity, battery=battery,
                     specs=specs)  # fmt: skip


def gadget_families() -> list[list[ModelSpec]]:
    """Return generated tablets, watches, audio devices and cameras, one list per series."""
    cell = ("Wi-Fi", "Wi-Fi + Cellular")
    gps = ("GPS", "GPS + Cellular")
    tabs = [
        device("tablets", "Samsung", f"Galaxy Tab {line}{n}{sfx}", min(2025, base_year + n),
               base + extra + 40 * n, "Graphite/Silver/Mint",
               (("Screen", f'{screen}" LCD'), ("Processor", "Octa-core")),
               storages=(64, 128, 256), connectivity=cell)
        for line, base_year, base in (("S", 2013, 349), ("A", 2014, 149))
        for n in range(5, 11)
        for sfx, extra, screen in (("", 0, 11.0), ("+", 200, 12.4), (" Lite", -150, 10.4),
                                   (" FE", -80, 10.9), (" Ultra", 450, 14.6))
    ] + [
        device("tablets", "Lenovo", f"Tab {line}{n} (Gen {g})", 2018 + g + n // 6,
               base + 20 * n + 30 * g, "Storm Grey/Platinum Grey",
               (("Screen", f'{n}" LCD'), ("Processor", "MediaTek Helio G99")),
               storages=(64, 128), connectivity=("Wi-Fi",))
        for line, base in (("M", 99), ("P", 249)) for n in (8, 9, 10, 11, 12) for g in (1, 2, 3)
    ] + [
        device("tablets", "Huawei", f"MatePad {size} ({year})", year, base + 30 * (year - 2020),
               "Matte Grey/Olive Green",
               (("Screen", f'{size.split()[-1]}" LCD'), ("Processor", by_year(KIRIN, year))),
               storages=(64, 128, 256), connectivity=("Wi-Fi",))
        for size, base in (("10.4", 299), ("11", 399), ("11.5", 349), ("Pro 11", 599), ("Pro 12.6", 799))
        for year in range(2020, 2025)
    ] + [
        device("tablets", "Amazon", f"Fire {size} ({year})", year, base, "Black/Denim/Lavender",
               (("Screen", f'{size.split()[1]}" LCD'), ("Processor", "MediaTek octa-core")),
               storages=(32, 64), connectivity=("Wi-Fi",))
        for size, base in (("HD 8", 99), ("HD 10", 159), ("HD 8 Plus", 129), ("HD 10 Plus", 189))
        for year in range(2019, 2025)
    ]  # fmt: skip
    watches = [
        device("smartwatches", "Garmin", f"{line} {n}{sfx}", year + k, base + 100 * k + 60 * i,
               "Black/Whitestone/Slate Grey",
               (("Display", "AMOLED" if k > 1 else "MIP"), ("Battery", f"Up to {11 + 2 * i} days")),
               connectivity=("GPS",))
        for line, year, base, numbers in (
            ("Fenix", 2017, 599, (5, 6, 7, 8)), ("Venu", 2019, 299, (1, 2, 3, 4)),
            ("vivoactive", 2017, 249, (3, 4, 5, 6)), ("Instinct", 2019, 249, (1, 2, 3)),
            ("Forerunner", 2019, 199, (45, 165, 255, 265, 570, 745, 945, 970)),
        )
        for k, n in enumerate(numbers)
        for i, sfx in enumerate(("", "S", " Solar", " Pro"))
    ] + [
        device("smartwatches", brand, f"{line}{n}{sfx} ({mm} mm)", year + k, base + 30 * i + 30 * k,
               palette, (("Display", "AMOLED"), ("Battery", "Up to 40 h")), connectivity=gps)
        for brand, line, year, base, numbers, palette in (
            ("Samsung", "Galaxy Watch", 2021, 269, (4, 5, 6, 7), "Graphite/Silver/Green"),
            ("Huawei", "Watch GT ", 2020, 199, (2, 3, 4, 5), "Black/Brown/Silver"),
        )
        for k, n in enumerate(numbers)
        for i, sfx in enumerate(("", " Classic" if brand == "Samsung" else " Pro"))
        for mm in (42, 46)
    ]  # fmt: skip
    sound = [
        device("audio", brand, name, year, price, palette,
               (("Type", kind), ("Battery", f"Up to {20 + 5 * (year % 4)} h")))
        for brand, palette, kind, rows in (
            ("Sony", "Black/Silver", "Over-ear headphones",
             (("WH-1000XM2", 2017, 379), ("WH-CH510", 2019, 59), ("WH-CH520", 2023, 69),
              ("WH-CH710N", 2019, 149), ("WH-CH720N", 2023, 149), ("WH-XB910N", 2021, 249),
              ("ULT Wear", 2024, 199))),
            ("Sony", "Black/White", "True wireless earbuds",
             (("WF-1000XM3", 2019, 249), ("WF-C500", 2021, 99), ("WF-C700N", 2023, 129),
              ("LinkBuds", 2022, 199), ("LinkBuds S", 2022, 199), ("WF-1000XM6", 2025, 349))),
            ("Sony", "Black/Blue/Grey", "Portable speaker",
             (("SRS-XB13", 2021, 59), ("SRS-XB23", 2020, 99), ("SRS-XB33", 2020, 149),
              ("SRS-XE200", 2022, 129), ("ULT Field 1", 2024, 149), ("ULT Field 7", 2024, 499))),
            ("JBL", "Black/Blue/Red/Teal", "Portable speaker",
             tuple((f"{line} {n}", year + k, price + 20 * k)
                   for line, year, price, numbers in (
                       ("Flip", 2016, 99, (4, "Essential 2", 7)), ("Charge", 2017, 149, (4, "Essential 2")),
                       ("Go", 2019, 39, (3, 4)), ("Clip", 2018, 59, (3, 4, 5)),
                       ("Xtreme", 2018, 299, (2, 3, 4)), ("Boombox", 2020, 449, (2, 3)))
                   for k, n in enumerate(numbers))),
            ("JBL", "Black/White/Blue", "Headphones",
             tuple((f"{line} {n}", year, price) for line, n, year, price in (
                 ("Tune", "510BT", 2021, 49), ("Tune", "520BT", 2023, 59), ("Tune", "710BT", 2021, 89),
                 ("Tune", "720BT", 2023, 99), ("Tune", "770NC", 2023, 129), ("Tune", "Beam", 2023, 99),
                 ("Live", "460NC", 2021, 129), ("Live", "670NC", 2023, 149), ("Live", "770NC", 2023, 199),
                 ("Live", "Pro 2", 2022, 179), ("Live", "Free 2", 2022, 149), ("Tour", "One M2", 2023, 299)))),
            ("Bose", "Black/White Smoke", "Headphones and speakers",
             (("QuietComfort 25", 2015, 299), ("QuietComfort Earbuds", 2020, 279),
              ("QuietComfort Ultra Earbuds", 2023, 349), ("SoundLink Flex", 2021, 169),
              ("SoundLink Revolve+ II", 2021, 329), ("SoundLink Micro", 2017, 119),
              ("Sport Earbuds", 2020, 199), ("Ultra Open Earbuds", 2024, 349))),
            ("Sennheiser", "Black/White", "Headphones",
             (("Momentum 3 Wireless", 2018, 399), ("Momentum True Wireless 2", 2020, 299),
              ("Momentum True Wireless 4", 2024, 299), ("HD 350BT", 2019, 99),
              ("HD 458BT", 2020, 199), ("CX Plus True Wireless", 2021, 179),
              ("Accentum Wireless", 2023, 179), ("Accentum Plus", 2024, 229))),
            ("Samsung", "Graphite/White/Lavender", "True wireless earbuds",
             (("Galaxy Buds+", 2020, 169), ("Galaxy Buds Live", 2020, 189), ("Galaxy Buds Pro", 2021, 229),
              ("Galaxy Buds2", 2021, 149), ("Galaxy Buds3", 2024, 179), ("Galaxy Buds3 Pro", 2024, 249))),
            ("Huawei", "Ceramic White/Frost Silver/Black", "True wireless earbuds",
             tuple((f"FreeBuds {n}", 2020 + k // 2, 99 + 30 * k) for k, n in
                   enumerate(("4i", "4", "5i", "5", "Pro 2", "Pro 3", "Pro 4", "SE 2")))),
        )
        for name, year, price in rows
    ]  # fmt: skip
    cameras = [
        device("cameras", brand, name, year, price, palette,
               (("Sensor", sensor), ("Resolution", f"{20 + (price // 100) % 30} MP"),
                ("Video", "4K 60p" if year >= 2020 else "4K 30p")))
        for brand, palette, sensor, rows in (
            ("Canon", "Black", "Full frame",
             (("EOS 5D Mark IV", 2016, 3999), ("EOS 6D Mark II", 2017, 1999), ("EOS R3", 2021, 6299),
              ("EOS R1", 2024, 7299), ("EOS R5 Mark II", 2024, 4599))),
            ("Canon", "Black", "APS-C",
             (("EOS 80D", 2016, 1199), ("EOS 77D", 2017, 899), ("EOS 800D", 2017, 799),
              ("EOS 850D", 2020, 899), ("EOS 2000D", 2018, 449), ("EOS 4000D", 2018, 399),
              ("EOS R7", 2022, 1499), ("EOS R100", 2023, 549), ("EOS M6 Mark II", 2019, 999),
              ("EOS M200", 2019, 549))),
            ("Nikon", "Black", "Full frame",
             (("Z6", 2018, 2299), ("Z7", 2018, 3699), ("Z6 III", 2024, 2999), ("Z9", 2021, 5999),
              ("Zf", 2023, 2499), ("D780", 2020, 2499), ("D850", 2017, 3799))),
            ("Nikon", "Black", "APS-C",
             (("D5600", 2016, 749), ("D7200", 2015, 1099), ("D500", 2016, 1999), ("Z50 II", 2024, 999))),
            ("Fujifilm", "Black/Silver", "APS-C",
             (("X-T3", 2018, 1499), ("X-T30", 2019, 949), ("X-T50", 2024, 1499), ("X-T200", 2020, 799),
              ("X-H2", 2022, 1999), ("X-H2S", 2022, 2499), ("X-Pro3", 2019, 1899), ("X-E3", 2017, 899),
              ("X100F", 2017, 1399), ("X-M5", 2024, 799))),
            ("Sony", "Black", "Full frame",
             tuple((f"Alpha 7{sfx} {ROMAN[gen]}", 2013 + 2 * gen + i, 1999 + 700 * i + 200 * gen)
                   for i, sfx in enumerate(("", "R", "S", "C")) for gen in range(1, 5))),
            ("Sony", "Black/Silver", "APS-C",
             tuple((f"Alpha {n}", 2014 + k, 599 + 150 * k)
                   for k, n in enumerate((6000, 6100, 6300, 6500, 6600)))),
            ("Sony", "Black", '1" type',
             tuple((f"RX100 {ROMAN[gen]}", 2012 + gen * 1, 499 + 150 * gen) for gen in range(2, 6))),
        )
        for name, year, price in rows
    ]  # fmt: skip
    return [tabs, watches, sound, cameras]


def interleave(families: Iterable[list[ModelSpec]]) -> Iterator[ModelSpec]:
    """Yield one model from each family in turn, so any prefix mixes every series."""
    iterators = [iter(family) for family in families]
    while iterators:
        still = []
        for iterator in iterators:
            model = next(iterator, None)
            if model is not None:
                yield model
                still.append(iterator)
        iterators = still


def generated_models(known: set[tuple[str, str]]) -> Iterator[ModelSpec]:
    """Yield generated models whose (brand, name) is not in ``known``, mixing categories."""
    seen = set(known)
    families = [*phone_families(), *computer_families(), *gadget_families()]
    for model in interleave(families):
        key = (model.brand, model.name)
        if key not in seen and model.year <= 2025:
            seen.add(key)
            yield model
