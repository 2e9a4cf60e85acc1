"""Invented refurbishers: names, home towns and what each shop is known for."""

# ruff: noqa: E501

from __future__ import annotations

# fmt: off
# country -> (legal form, cities)
PLACES: dict[str, tuple[str, tuple[str, ...]]] = {
    "FR": ("SAS", ("Paris", "Lyon", "Marseille", "Lille", "Nantes", "Bordeaux", "Toulouse")),
    "DE": ("GmbH", ("Berlin", "Hamburg", "Munich", "Cologne", "Frankfurt", "Leipzig")),
    "ES": ("S.L.", ("Madrid", "Barcelona", "Valencia", "Seville", "Bilbao")),
    "IT": ("S.r.l.", ("Milan", "Rome", "Turin", "Bologna", "Florence")),
    "NL": ("B.V.", ("Amsterdam", "Rotterdam", "Utrecht", "Eindhoven")),
    "BE": ("SRL", ("Brussels", "Antwerp", "Ghent", "Liège")),
    "US": ("LLC", ("New York", "Austin", "Chicago", "Seattle", "Denver")),
    "PT": ("Lda.", ("Lisbon", "Porto", "Braga")),
    "PL": ("sp. z o.o.", ("Warsaw", "Kraków", "Wrocław")),
    "IE": ("Ltd", ("Dublin", "Cork")),
    "AT": ("GmbH", ("Vienna", "Graz")),
}
COUNTRY_WEIGHTS = {"FR": 26, "DE": 18, "ES": 12, "IT": 10, "NL": 8, "BE": 6, "US": 6, "PT": 4,
                   "PL": 4, "IE": 3, "AT": 3}

# name, country, city, speciality, founded, what makes the shop different
NAMED: list[tuple[str, str, str, str, int, str]] = [
    ("Revivo Tech", "FR", "Lyon", "general", 2014, "replaces every battery below 85 % with a new cell"),
    ("GreenCycle Devices", "NL", "Utrecht", "general", 2016, "ships in recycled packaging, carbon-neutral"),
    ("Second Spark", "FR", "Paris", "phones", 2018, "specialises in flagship smartphones"),
    ("Pomme Reborn", "FR", "Bordeaux", "apple", 2015, "restores iPhone, iPad and Mac only"),
    ("Kreislauf Elektronik", "DE", "Berlin", "general", 2013, "runs a 60-point test bench"),
    ("Nuevo Ciclo", "ES", "Barcelona", "phones", 2017, "repairs boards in-house"),
    ("RiGenera Tech", "IT", "Milan", "general", 2015, "grades every device twice"),
    ("Loop Laptops", "DE", "Hamburg", "computers", 2012, "refurbishes business laptops from leases"),
    ("ByteBack Refurb", "BE", "Ghent", "computers", 2019, "installs fresh SSDs in every laptop"),
    ("Orbit Mobile", "US", "Austin", "phones", 2011, "buys back devices from carriers"),
    ("Relife Electronics", "PT", "Porto", "general", 2020, "works as a young team with a fast workshop"),
    ("Cyclone Gadgets", "PL", "Warsaw", "gadgets", 2018, "refurbishes watches, audio and consoles"),
    ("Atelier Réparation", "FR", "Nantes", "phones", 2016, "began as a repair workshop"),
    ("Neuwert Technik", "AT", "Vienna", "computers", 2014, "focuses on workstations and desktops"),
    ("EcoPhone Hub", "IE", "Dublin", "phones", 2019, "sells unlocked phones across Europe"),
    ("Terra Devices", "ES", "Madrid", "general", 2012, "runs the largest grading line in Spain"),
    ("Ricarica Store", "IT", "Turin", "gadgets", 2017, "tests every console with a full game session"),
    ("Fenix Refurbished", "NL", "Rotterdam", "general", 2015, "erases every device to a certified standard"),
    ("Pixel Phoenix", "DE", "Munich", "phones", 2021, "focuses on Android phones"),
    ("Cadre Numérique", "FR", "Lille", "computers", 2013, "restores MacBook and ThinkPad laptops"),
    ("Orchard Again", "BE", "Antwerp", "apple", 2018, "fits genuine Apple parts"),
    ("Seconda Vita Digitale", "IT", "Rome", "general", 2016, "tests every device for a full day"),
    ("Reboot Workshop", "US", "Seattle", "computers", 2010, "refurbishes laptops for schools"),
    ("Circuit Circulaire", "FR", "Toulouse", "general", 2019, "trains refurbishing technicians"),
    ("Lenz & Linse", "DE", "Cologne", "gadgets", 2011, "services cameras and lenses"),
    ("Página Nueva", "ES", "Valencia", "gadgets", 2020, "refurbishes e-readers and tablets"),
    ("Hertz Audio Refit", "NL", "Amsterdam", "gadgets", 2014, "replaces ear cushions and batteries"),
    ("Renova Mobile", "PT", "Lisbon", "phones", 2017, "specialises in mid-range phones"),
    ("Verde Digital", "ES", "Seville", "general", 2018, "plants a tree for every order"),
    ("Blackforest Refurb", "DE", "Frankfurt", "general", 2012, "refurbishes in the Black Forest"),
]

PREFIXES = ("Revive", "Nova", "Circle", "Relay", "Rebound", "Evergreen", "Second Wind", "Kinetic",
            "Renew", "Upcycle", "Phoenix", "Echo", "Helix", "Lumen", "Vita", "Alto", "Tandem",
            "Boomerang", "Hexa", "Orbis", "Quartz", "Nimbus", "Zephyr", "Atlas", "Beacon",
            "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper", "Karma",
            "Lotus", "Meridian", "Nordic", "Opal", "Pioneer", "Quest")
SUFFIXES = ("Tech", "Devices", "Mobile", "Labs", "Electronics", "Refurb", "Works", "Store",
            "Trade", "Systems", "Gadgets", "Digital", "Renewed", "Circuit")
# fmt: on
