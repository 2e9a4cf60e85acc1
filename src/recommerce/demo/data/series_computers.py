"""Generated laptops and desktops from makers' real series and generation numbering."""

# ruff: noqa: E501

from __future__ import annotations

import re

from recommerce.demo.data import ModelSpec, colours

INTEL_I5 = ("Intel Core i5-8265U", "Intel Core i5-10210U", "Intel Core i5-1135G7",
            "Intel Core i5-1235U", "Intel Core i5-1335U", "Intel Core Ultra 5 125U",
            "Intel Core Ultra 5 225U")  # fmt: skip
INTEL_I7 = ("Intel Core i7-8565U", "Intel Core i7-10510U", "Intel Core i7-1165G7",
            "Intel Core i7-1255U", "Intel Core i7-1355U", "Intel Core Ultra 7 155U",
            "Intel Core Ultra 7 255U")  # fmt: skip
INTEL_H = ("Intel Core i7-9750H", "Intel Core i7-10750H", "Intel Core i7-11800H",
           "Intel Core i7-12700H", "Intel Core i7-13700H", "Intel Core i7-14700HX",
           "Intel Core Ultra 9 275HX")  # fmt: skip
AMD_U = ("AMD Ryzen 5 3500U", "AMD Ryzen 5 4500U", "AMD Ryzen 5 5500U", "AMD Ryzen 5 6600U",
         "AMD Ryzen 5 7530U", "AMD Ryzen 5 8640U", "AMD Ryzen AI 5 340")  # fmt: skip
GPU = ("NVIDIA GeForce GTX 1660 Ti", "NVIDIA GeForce RTX 2060", "NVIDIA GeForce RTX 3060",
       "NVIDIA GeForce RTX 3070 Ti", "NVIDIA GeForce RTX 4060", "NVIDIA GeForce RTX 4070",
       "NVIDIA GeForce RTX 5070")  # fmt: skip
INTEL_T = ("Intel Core i5-9500T", "Intel Core i5-9500T", "Intel Core i5-10500T",
           "Intel Core i5-11500T", "Intel Core i5-12500T", "Intel Core i5-13500T",
           "Intel Core i5-14500T")  # fmt: skip
_SIZE = re.compile(r"\b(1[0-8](?:\.\d)?)\b")


def by_year(table: tuple[str, ...], year: int) -> str:
    return table[max(0, min(len(table) - 1, year - 2019))]


def laptop(brand: str, name: str, year: int, price: int, kind: str, palette: str) -> ModelSpec:
    """Build a generated laptop; ``kind`` is "business", "premium", "budget" or "gaming"."""
    found = _SIZE.search(name)
    size = found.group(1) if found else "14"
    if kind == "gaming":
        cpu, gpu, life, weight = by_year(INTEL_H, year), by_year(GPU, year), "Up to 6 h", 2.3
    else:
        table = {"premium": INTEL_I7, "business": INTEL_I5}.get(kind, AMD_U)
        cpu, gpu = by_year(table, year), "Integrated"
        life, weight = f"Up to {10 + (year - 2018) % 6} h", 1.1 + float(size) / 40
    if kind == "budget":
        rams: tuple[int, ...] = (8, 16) if year < 2022 else (16, 32)
    else:
        rams = (8, 16, 32) if year < 2022 else (16, 32, 64)
    storages = {"budget": (256, 512), "business": (256, 512, 1024)}.get(
        kind, (256, 512, 1024, 2048)
    )
    return ModelSpec(
        "laptops", brand, name, year, price, storages=storages, rams=rams,
        colours=colours(palette), keyboard=True,
        specs=(("Screen", f'{size}" {"QHD 165 Hz" if kind == "gaming" else "FHD"}'),
               ("Processor", cpu), ("Graphics", gpu), ("Battery", life),
               ("Weight", f"{weight:.2f} kg")),
    )  # fmt: skip


def desktop(brand: str, name: str, year: int, price: int, form: str) -> ModelSpec:
    """Build a generated business desktop."""
    return ModelSpec(
        "desktops", brand, name, year, price, storages=(256, 512), rams=(8, 16),
        colours=("Black",), battery=False,
        specs=(("Form factor", form), ("Processor", by_year(INTEL_T, year))),
    )  # fmt: skip


def computer_families() -> list[list[ModelSpec]]:
    """Return generated laptops and desktops, one list per maker's series."""
    thinkpad = [
        laptop("Lenovo", f"ThinkPad {line} Gen {gen}", 2019 + gen, base + 50 * gen, kind,
               "Black")
        for line, base, kind in (
            ("T14", 1199, "business"), ("T14s", 1399, "business"), ("T16", 1249, "business"),
            ("X1 Carbon", 1799, "premium"), ("X1 Yoga", 1899, "premium"),
            ("X13", 1199, "business"), ("X13 Yoga", 1299, "business"), ("L13", 899, "business"),
            ("L14", 849, "business"), ("L15", 849, "business"), ("E14", 699, "budget"),
            ("E15", 699, "budget"), ("E16", 749, "budget"), ("P14s", 1499, "premium"),
            ("P16s", 1599, "premium"), ("Z13", 1699, "premium"),
        )
        for gen in range(1, 7)
    ]  # fmt: skip
    ideapad = [
        laptop("Lenovo", f"{line} {size} Gen {gen}", 2015 + gen, base + 40 * (size - 14),
               kind, palette)
        for line, base, kind, palette in (
            ("IdeaPad Slim 3", 549, "budget", "Arctic Grey/Abyss Blue"),
            ("IdeaPad Slim 5", 749, "budget", "Cloud Grey/Abyss Blue"),
            ("IdeaPad Flex 5", 699, "budget", "Arctic Grey"),
            ("Yoga Slim 7", 999, "premium", "Storm Grey/Cosmic Blue"),
            ("Yoga 7", 949, "premium", "Storm Grey"),
            ("Legion 5", 1199, "gaming", "Storm Grey"),
            ("Legion Slim 5", 1299, "gaming", "Misty Grey"),
        )
        for size in (14, 15, 16) for gen in range(5, 10)
    ]  # fmt: skip
    dell = [
        laptop("Dell", f"Latitude {line}{size}{gen}0", 2019 + gen, 699 + 300 * (line // 3),
               "business" if line < 7 else "premium", "Black/Aluminium")
        for line in (3, 5, 7, 9) for size in (3, 4, 5) for gen in range(1, 6)
    ] + [
        laptop("Dell", f"Inspiron {size} {tier}{str(size)[1]}{gen}0", 2019 + gen,
               449 + 150 * (tier // 2), "budget", "Platinum Silver/Carbon Black")
        for size in (13, 14, 15, 16) for tier in (3, 5, 7) for gen in range(1, 6)
    ] + [
        laptop("Dell", f"Vostro {size} {tier}{str(size)[1]}{gen}0", 2019 + gen, 549 + 100 * tier // 3,
               "budget", "Carbon Black")
        for size in (14, 15) for tier in (3, 5) for gen in range(1, 6)
    ] + [
        laptop("Dell", f"Precision {tier}{size}{gen}0", 2019 + gen, 1299 + 400 * (tier // 3),
               "gaming", "Titan Grey")
        for tier in (3, 5, 7) for size in (5, 6, 7) for gen in range(5, 10) if 2019 + gen - 4 <= 2025
    ] + [
        laptop("Dell", f"XPS {size} 9{size - 2 if size != 13 else 3}{gen}0", 2020 + gen,
               1099 + 100 * (size - 13), "premium", "Platinum Silver/Graphite")
        for size in (13, 15, 17) for gen in range(5)
    ]  # fmt: skip
    hp = [
        laptop("HP", f"EliteBook {line} G{gen}", 2013 + gen, base + 40 * gen, kind, "Silver")
        for line, base, kind in (
            ("630", 699, "business"), ("640", 799, "business"), ("650", 799, "business"),
            ("830", 999, "business"), ("840", 1049, "business"), ("850", 1099, "business"),
            ("860", 1149, "business"), ("1040", 1399, "premium"), ("x360 830", 1199, "business"),
            ("x360 1040", 1599, "premium"),
        )
        for gen in range(5, 12)
    ] + [
        laptop("HP", f"ProBook {line} G{gen}", 2013 + gen, base + 30 * gen, "budget", "Pike Silver")
        for line, base in (("430", 549), ("440", 599), ("450", 599), ("455", 549), ("640", 749),
                           ("650", 749))
        for gen in range(5, 12)
    ] + [
        laptop("HP", f"ZBook {line} G{gen}", 2013 + gen, base + 50 * gen, "gaming", "Silver")
        for line, base in (("Firefly 14", 1299), ("Firefly 16", 1399), ("Power 15", 1499),
                           ("Power 16", 1599), ("Studio 16", 2299))
        for gen in range(7, 12)
    ] + [
        laptop("HP", f"{line} ({year})", year, base + 20 * (year - 2019), kind, palette)
        for line, base, kind, palette in (
            ("Pavilion 14", 649, "budget", "Natural Silver/Fog Blue"),
            ("Pavilion 15", 699, "budget", "Natural Silver/Fog Blue"),
            ("Envy x360 13", 999, "premium", "Nightfall Black/Natural Silver"),
            ("Envy x360 15", 1099, "premium", "Nightfall Black/Natural Silver"),
            ("Spectre x360 13", 1399, "premium", "Nightfall Black/Poseidon Blue"),
            ("Spectre x360 16", 1699, "premium", "Nightfall Black/Nocturne Blue"),
            ("Victus 15", 899, "gaming", "Mica Silver/Performance Blue"),
            ("Omen 16", 1399, "gaming", "Shadow Black"),
        )
        for year in range(2019, 2026)
    ]  # fmt: skip
    asus_acer = [
        laptop(brand, f"{line} ({year})", year, base + 30 * (year - 2019), kind, palette)
        for brand, line, base, kind, palette in (
            ("Asus", "Zenbook 13 OLED", 999, "premium", "Pine Grey/Lilac Mist"),
            ("Asus", "Zenbook 14 OLED", 1099, "premium", "Ponder Blue/Jasper Grey"),
            ("Asus", "Zenbook 14X OLED", 1299, "premium", "Inkwell Grey"),
            ("Asus", "Vivobook 14", 549, "budget", "Quiet Blue/Cool Silver"),
            ("Asus", "Vivobook 15", 599, "budget", "Quiet Blue/Cool Silver"),
            ("Asus", "Vivobook S 14", 799, "budget", "Neutral Black/Cream White"),
            ("Asus", "Vivobook Pro 15 OLED", 999, "premium", "Quiet Blue"),
            ("Asus", "ROG Zephyrus G15", 1699, "gaming", "Eclipse Grey"),
            ("Asus", "ROG Zephyrus G16", 1899, "gaming", "Eclipse Grey/Platinum White"),
            ("Asus", "ROG Strix G15", 1299, "gaming", "Eclipse Grey"),
            ("Asus", "ROG Strix G17", 1399, "gaming", "Eclipse Grey"),
            ("Asus", "ROG Strix Scar 16", 2299, "gaming", "Off Black"),
            ("Asus", "TUF Gaming F15", 999, "gaming", "Mecha Gray/Jaeger Gray"),
            ("Asus", "TUF Gaming A17", 1099, "gaming", "Mecha Gray"),
            ("Asus", "ExpertBook B5", 999, "business", "Star Black"),
            ("Asus", "ExpertBook B9", 1599, "premium", "Star Black"),
            ("Acer", "Swift 1", 449, "budget", "Pure Silver/Safari Gold"),
            ("Acer", "Swift 3", 749, "budget", "Pure Silver/Steam Blue"),
            ("Acer", "Swift 5", 1099, "premium", "Mist Green/Safari Gold"),
            ("Acer", "Swift X 14", 1199, "premium", "Steam Blue"),
            ("Acer", "Aspire 3", 449, "budget", "Pure Silver/Charcoal Black"),
            ("Acer", "Aspire 5", 599, "budget", "Steel Gray/Pure Silver"),
            ("Acer", "Aspire 7", 799, "gaming", "Charcoal Black"),
            ("Acer", "Aspire Vero", 699, "budget", "Volcano Gray"),
            ("Acer", "TravelMate P2", 649, "business", "Shale Black"),
            ("Acer", "TravelMate P4", 849, "business", "Slate Blue"),
            ("Acer", "Nitro 5", 899, "gaming", "Obsidian Black"),
            ("Acer", "Predator Helios 16", 1699, "gaming", "Abyssal Black"),
        )
        for year in range(2019, 2026)
    ]  # fmt: skip
    microsoft_apple = [
        laptop("Microsoft", f'Surface Laptop {n} {size}', year, 999 + 200 * (size != '13.5"') + 30 * n,
               "premium", "Platinum/Matte Black/Sage")
        for n, year in ((2, 2018), (6, 2024), (7, 2024)) for size in ('13.5"', '15"')
    ] + [
        laptop("Microsoft", f"Surface Book {n} {size}", 2015 + n, 1699 + 300 * (size == '15"'),
               "premium", "Platinum")
        for n in (2, 3) for size in ('13.5"', '15"')
    ] + [
        laptop("Apple", f'{line} ({year})', year, base, "premium", "Space Grey/Silver")
        for line, base, years in (
            ('MacBook Pro 13"', 1999, (2016, 2017, 2018, 2019)),
            ('MacBook Pro 15"', 2699, (2016, 2017, 2018, 2019)),
            ('MacBook Air 13"', 1099, (2017, 2018)),
            ('MacBook 12"', 1449, (2016, 2017)),
        )
        for year in years
    ]  # fmt: skip
    desktops = [
        desktop("Dell", f"OptiPlex {tier}0{gen}0 {form}", 2011 + gen, 599 + 150 * (tier // 2), form)
        for tier in (3, 5, 7) for gen in (5, 6, 7, 8, 9) for form in ("Micro", "SFF", "Tower")
    ] + [
        desktop("HP", f"{line} G{gen} {form}", 2013 + gen, base + 30 * gen, form)
        for line, base in (("EliteDesk 800", 749), ("EliteDesk 805", 699), ("ProDesk 400", 499),
                           ("ProDesk 600", 599))
        for gen in range(3, 10) for form in ("Mini", "SFF", "Tower")
    ] + [
        desktop("Lenovo", f"ThinkCentre M{line}{form} Gen {gen}", 2019 + gen, 599 + 5 * line, name)
        for line in (70, 75, 80, 90) for gen in range(1, 6)
        for form, name in (("q", "Tiny form factor"), ("s", "Small form factor"), ("t", "Tower"))
    ] + [
        desktop("Lenovo", f"ThinkCentre M{line}{form}", 2017 + (line - 700) // 100, 549 + line // 10,
                name)
        for line in (710, 720, 920) for form, name in (("q", "Tiny form factor"), ("s", "Small form factor"))
    ]  # fmt: skip
    return [thinkpad, ideapad, dell, hp, asus_acer, microsoft_apple, desktops]
