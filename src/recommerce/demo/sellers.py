"""Invented refurbishers: names, places, specialities and a varied track record."""

from __future__ import annotations

import random
from dataclasses import dataclass

from recommerce.accounts.quality import seller_quality_bp
from recommerce.demo.data.companies import (
    COUNTRY_WEIGHTS,
    NAMED,
    PLACES,
    PREFIXES,
    SUFFIXES,
)

# speciality -> (categories it sells, brands it sells; empty means every one)
SPECIALITIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "general": ((), ()),
    "phones": (("smartphones", "tablets", "smartwatches", "audio"), ()),
    "apple": ((), ("Apple",)),
    "computers": (("laptops", "desktops", "tablets"), ()),
    "gadgets": (("smartwatches", "audio", "consoles", "cameras", "e-readers"), ()),
}


@dataclass(frozen=True, slots=True)
class SellerProfile:
    """A generated seller and the habits that shape its offers."""

    name: str
    legal_name: str
    country: str
    city: str
    description: str
    categories: tuple[str, ...]  # empty: every category
    brands: tuple[str, ...]  # empty: every brand
    size: float  # relative number of offers
    price_level: float  # 0 = cheapest of a grade's band, 1 = dearest
    warranty_months: int
    dispatch_days: int
    battery_excellent: int
    battery_good: int
    rating_count: int
    rating_sum: int
    orders_shipped: int
    orders_late: int
    orders_defective: int

    @property
    def quality_bp(self) -> int:
        return seller_quality_bp(
            rating_count=self.rating_count,
            rating_sum=self.rating_sum,
            orders_shipped=self.orders_shipped,
            orders_late=self.orders_late,
            orders_defective=self.orders_defective,
        )

    def sells(self, category: str, brand: str) -> bool:
        return (not self.categories or category in self.categories) and (
            not self.brands or brand in self.brands
        )


def _describe(name: str, founded: int, trait: str) -> str:
    """One sentence the page shows nowhere else: the city, the devices, the warranty and the
    dispatch time are on the page already, so the description never restates them."""
    return f"Founded in {founded}, {name} {trait}."


def _profile(
    rng: random.Random, name: str, country: str, city: str, speciality: str, description: str
) -> SellerProfile:
    # One hidden "care" level drives both the track record and the prices, so careful
    # sellers tend to be rated better and to charge a little more.
    care = rng.betavariate(3, 1.4)
    stage = rng.choices(("new", "growing", "established"), weights=(1, 3, 6))[0]
    shipped = {
        "new": rng.randint(0, 40),
        "growing": rng.randint(150, 2500),
        "established": int(rng.lognormvariate(8.8, 0.9)),
    }[stage]
    late = round(shipped * max(0.0, rng.gauss(0.16 - 0.145 * care, 0.01)))
    defective = round(shipped * max(0.0, rng.gauss(0.08 - 0.07 * care, 0.006)))
    ratings = round(shipped * rng.uniform(0.08, 0.3))
    stars = min(5.0, max(1.0, rng.gauss(3.2 + 1.7 * care, 0.12)))
    categories, brands = SPECIALITIES[speciality]
    legal_form = PLACES[country][0]
    return SellerProfile(
        name=name,
        legal_name=f"{name} {legal_form}",
        country=country,
        city=city,
        description=description,
        categories=categories,
        brands=brands,
        size={"new": 0.4, "growing": 1.0, "established": 2.2}[stage] * rng.uniform(0.7, 1.3),
        price_level=min(1.0, max(0.0, 0.2 + 0.6 * care + rng.gauss(0, 0.12))),
        warranty_months=rng.choices((12, 18, 24), weights=(55, 15, 30))[0],
        dispatch_days=rng.choices((1, 2, 3, 4), weights=(45, 30, 17, 8))[0],
        battery_excellent=rng.choice((85, 90)),
        battery_good=rng.choice((80, 85)),
        rating_count=ratings,
        rating_sum=min(5 * ratings, max(ratings, round(ratings * stars))),
        orders_shipped=shipped,
        orders_late=min(late, shipped),
        orders_defective=min(defective, shipped),
    )


def seller_profiles(count: int, rng: random.Random) -> list[SellerProfile]:
    """Return ``count`` sellers: the named refurbishers first, then generated ones."""
    profiles = [
        _profile(rng, name, country, city, speciality, _describe(name, year, trait))
        for name, country, city, speciality, year, trait in NAMED[:count]
    ]
    taken = {p.name for p in profiles}
    names = [f"{p} {s}" for p in PREFIXES for s in SUFFIXES if f"{p} {s}" not in taken]
    rng.shuffle(names)
    if count - len(profiles) > len(names):
        raise ValueError(f"At most {len(names) + len(profiles)} sellers can be generated.")
    countries = list(COUNTRY_WEIGHTS)
    weights = list(COUNTRY_WEIGHTS.values())
    specialities = list(SPECIALITIES)
    traits = (
        "tests every device on a 40-point checklist",
        "replaces worn batteries with new cells",
        "erases data to a certified standard",
        "uses genuine parts where they exist",
        "repairs screens and boards in its own workshop",
        "recycles what it cannot repair",
    )
    for name in names[: count - len(profiles)]:
        country = rng.choices(countries, weights=weights)[0]
        city = rng.choice(PLACES[country][1])
        speciality = rng.choices(specialities, weights=(5, 3, 1, 2, 1))[0]
        description = _describe(name, rng.randint(2008, 2023), rng.choice(traits))
        profiles.append(_profile(rng, name, country, city, speciality, description))
    return profiles
