"""Reference data for the demo catalog: categories, brands and real device models.

Launch prices are euro prices of the base configuration when the device came out; they
feed the price model, so rough figures are good enough. Specifications are display
strings, as a shop would print them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Prices depreciate from this year; fixed so that a seed gives the same data every year.
REFERENCE_YEAR = 2025

LAYOUTS = (
    "AZERTY",
    "QWERTY",
    "QWERTZ",
    "QWERTY UK",
    "QWERTY ES",
    "QWERTY IT",
    "QWERTY Nordic",
    "QWERTZ CH",
    "AZERTY BE",
)


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    slug: str
    name: str
    description: str
    yearly_retention_pct: int  # share of its value a device keeps from one year to the next
    storage_step: int  # euros added per doubling of storage
    ram_step: int  # euros added per doubling of memory
    cellular_step: int  # euros added for a cellular model
    demand: int  # relative share of shoppers' attention, for popularity


CATEGORIES: tuple[CategoryInfo, ...] = (
    CategoryInfo(
        "smartphones", "Smartphones", "Refurbished iPhone, Galaxy, Pixel and other "
        "smartphones, tested and graded, unlocked for every network.", 80, 110, 0, 0, 100,
    ),
    CategoryInfo(
        "laptops", "Laptops", "MacBook, ThinkPad, XPS and more, with the keyboard layout "
        "of your choice.", 88, 200, 200, 0, 60,
    ),
    CategoryInfo(
        "tablets", "Tablets", "iPad, Galaxy Tab and Surface tablets, Wi-Fi or cellular.",
        83, 110, 0, 140, 45,
    ),
    CategoryInfo(
        "smartwatches", "Smartwatches", "Apple Watch, Galaxy Watch, Pixel Watch and sports "
        "watches.", 83, 0, 0, 100, 35,
    ),
    CategoryInfo(
        "consoles", "Consoles", "PlayStation, Xbox, Switch and handheld PCs.", 95, 80, 0, 0, 40,
    ),
    CategoryInfo(
        "audio", "Audio", "Headphones, earbuds and portable speakers.", 85, 0, 0, 0, 30,
    ),
    CategoryInfo(
        "desktops", "Desktops", "iMac, Mac mini and business desktops.", 85, 150, 180, 0, 15,
    ),
    CategoryInfo(
        "cameras", "Cameras", "Mirrorless and reflex camera bodies.", 90, 0, 0, 0, 15,
    ),
    CategoryInfo(
        "e-readers", "E-readers", "Kindle and Kobo e-readers.", 90, 20, 0, 50, 15,
    ),
)  # fmt: skip
CATEGORY_BY_SLUG = {c.slug: c for c in CATEGORIES}

# Brand -> how well its devices hold their value, in basis points of the average.
BRANDS: dict[str, int] = {
    "Apple": 10800,
    "Samsung": 9600,
    "Google": 9500,
    "Xiaomi": 9000,
    "OnePlus": 9200,
    "Huawei": 8600,
    "Sony": 10000,
    "Motorola": 8800,
    "Nothing": 9300,
    "Fairphone": 10200,
    "Oppo": 8800,
    "Honor": 8700,
    "Realme": 8500,
    "Vivo": 8600,
    "Nokia": 8700,
    "Asus": 9300,
    "Lenovo": 9800,
    "Dell": 9800,
    "HP": 9600,
    "Acer": 9200,
    "Microsoft": 9800,
    "Nintendo": 10500,
    "Valve": 10300,
    "Garmin": 10000,
    "Bose": 9700,
    "JBL": 9300,
    "Sennheiser": 9800,
    "Canon": 10200,
    "Nikon": 10100,
    "Fujifilm": 10600,
    "Kobo": 9400,
    "Amazon": 9400,
}

# Brands shoppers look for first, for popularity; the rest count 1.
BRAND_DEMAND: dict[str, float] = {
    "Apple": 2.2,
    "Samsung": 1.6,
    "Google": 1.2,
    "Sony": 1.1,
    "Nintendo": 1.4,
    "Xiaomi": 1.1,
    "Lenovo": 1.1,
    "Dell": 1.05,
}


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A device model and the options it was sold with."""

    category: str
    brand: str
    name: str
    year: int
    price: int  # launch price of the base configuration, whole euros
    storages: tuple[int, ...] = ()
    rams: tuple[int, ...] = ()
    colours: tuple[str, ...] = ()
    connectivity: tuple[str, ...] = ()
    keyboard: bool = False
    battery: bool = True
    specs: tuple[tuple[str, str], ...] = ()


def colours(text: str) -> tuple[str, ...]:
    """Split a slash-separated colour list: "Black/White" -> ("Black", "White")."""
    return tuple(c.strip() for c in text.split("/") if c.strip())


def reference_models() -> list[ModelSpec]:
    """Return every real device model of the reference catalog."""
    from recommerce.demo.data import computers, devices, phones

    return [*phones.models(), *computers.models(), *devices.models()]
