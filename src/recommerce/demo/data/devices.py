"""Real tablets, smartwatches, consoles, audio devices, cameras and e-readers."""

# ruff: noqa: E501

from __future__ import annotations

from recommerce.demo.data import ModelSpec, colours

WIFI = ("Wi-Fi",)
WIFI_CELL = ("Wi-Fi", "Wi-Fi + Cellular")
GPS = ("GPS",)
GPS_CELL = ("GPS", "GPS + Cellular")

# fmt: off
# brand, name, year, launch price (EUR), storage (GB), colours, connectivity, screen, processor
Tablet = tuple[str, str, int, int, tuple[int, ...], str, tuple[str, ...], str, str]

TABLETS: list[Tablet] = [
    ("Apple", "iPad (7th generation)", 2019, 389, (32, 128), "Space Grey/Silver/Gold", WIFI_CELL, '10.2" Retina', "A10 Fusion"),
    ("Apple", "iPad (8th generation)", 2020, 389, (32, 128), "Space Grey/Silver/Gold", WIFI_CELL, '10.2" Retina', "A12 Bionic"),
    ("Apple", "iPad (9th generation)", 2021, 389, (64, 256), "Space Grey/Silver", WIFI_CELL, '10.2" Retina', "A13 Bionic"),
    ("Apple", "iPad (10th generation)", 2022, 589, (64, 256), "Blue/Pink/Yellow/Silver", WIFI_CELL, '10.9" Liquid Retina', "A14 Bionic"),
    ("Apple", "iPad Air (3rd generation)", 2019, 549, (64, 256), "Space Grey/Silver/Gold", WIFI_CELL, '10.5" Retina', "A12 Bionic"),
    ("Apple", "iPad Air (4th generation)", 2020, 669, (64, 256), "Space Grey/Silver/Rose Gold/Green/Sky Blue", WIFI_CELL, '10.9" Liquid Retina', "A14 Bionic"),
    ("Apple", "iPad Air (5th generation)", 2022, 699, (64, 256), "Space Grey/Starlight/Pink/Purple/Blue", WIFI_CELL, '10.9" Liquid Retina', "Apple M1"),
    ("Apple", 'iPad Air 11" M2 (2024)', 2024, 719, (128, 256, 512, 1024), "Space Grey/Starlight/Purple/Blue", WIFI_CELL, '11" Liquid Retina', "Apple M2"),
    ("Apple", 'iPad Air 13" M2 (2024)', 2024, 969, (128, 256, 512, 1024), "Space Grey/Starlight/Purple/Blue", WIFI_CELL, '13" Liquid Retina', "Apple M2"),
    ("Apple", "iPad mini (5th generation)", 2019, 459, (64, 256), "Space Grey/Silver/Gold", WIFI_CELL, '7.9" Retina', "A12 Bionic"),
    ("Apple", "iPad mini (6th generation)", 2021, 559, (64, 256), "Space Grey/Pink/Purple/Starlight", WIFI_CELL, '8.3" Liquid Retina', "A15 Bionic"),
    ("Apple", 'iPad Pro 11" (1st generation)', 2018, 899, (64, 256, 512, 1024), "Space Grey/Silver", WIFI_CELL, '11" Liquid Retina 120 Hz', "A12X Bionic"),
    ("Apple", 'iPad Pro 11" (2nd generation)', 2020, 899, (128, 256, 512, 1024), "Space Grey/Silver", WIFI_CELL, '11" Liquid Retina 120 Hz', "A12Z Bionic"),
    ("Apple", 'iPad Pro 11" (3rd generation)', 2021, 899, (128, 256, 512, 1024, 2048), "Space Grey/Silver", WIFI_CELL, '11" Liquid Retina 120 Hz', "Apple M1"),
    ("Apple", 'iPad Pro 11" (4th generation)', 2022, 1069, (128, 256, 512, 1024, 2048), "Space Grey/Silver", WIFI_CELL, '11" Liquid Retina 120 Hz', "Apple M2"),
    ("Apple", 'iPad Pro 12.9" (3rd generation)', 2018, 1119, (64, 256, 512, 1024), "Space Grey/Silver", WIFI_CELL, '12.9" Liquid Retina 120 Hz', "A12X Bionic"),
    ("Apple", 'iPad Pro 12.9" (4th generation)', 2020, 1119, (128, 256, 512, 1024), "Space Grey/Silver", WIFI_CELL, '12.9" Liquid Retina 120 Hz', "A12Z Bionic"),
    ("Apple", 'iPad Pro 12.9" (5th generation)', 2021, 1219, (128, 256, 512, 1024, 2048), "Space Grey/Silver", WIFI_CELL, '12.9" Liquid Retina XDR', "Apple M1"),
    ("Apple", 'iPad Pro 12.9" (6th generation)', 2022, 1469, (128, 256, 512, 1024, 2048), "Space Grey/Silver", WIFI_CELL, '12.9" Liquid Retina XDR', "Apple M2"),
    ("Apple", 'iPad Pro 11" M4 (2024)', 2024, 1219, (256, 512, 1024, 2048), "Space Black/Silver", WIFI_CELL, '11" Ultra Retina XDR', "Apple M4"),
    ("Apple", 'iPad Pro 13" M4 (2024)', 2024, 1569, (256, 512, 1024, 2048), "Space Black/Silver", WIFI_CELL, '13" Ultra Retina XDR', "Apple M4"),
    ("Samsung", "Galaxy Tab S7", 2020, 699, (128, 256), "Mystic Black/Mystic Silver/Mystic Bronze", WIFI_CELL, '11" LCD 120 Hz', "Snapdragon 865+"),
    ("Samsung", "Galaxy Tab S7+", 2020, 899, (128, 256), "Mystic Black/Mystic Silver/Mystic Bronze", WIFI_CELL, '12.4" AMOLED 120 Hz', "Snapdragon 865+"),
    ("Samsung", "Galaxy Tab S7 FE", 2021, 549, (64, 128), "Mystic Black/Mystic Silver/Mystic Green/Mystic Pink", WIFI_CELL, '12.4" LCD', "Snapdragon 750G"),
    ("Samsung", "Galaxy Tab S8", 2022, 749, (128, 256), "Graphite/Silver/Pink Gold", WIFI_CELL, '11" LCD 120 Hz', "Snapdragon 8 Gen 1"),
    ("Samsung", "Galaxy Tab S8+", 2022, 949, (128, 256), "Graphite/Silver/Pink Gold", WIFI_CELL, '12.4" AMOLED 120 Hz', "Snapdragon 8 Gen 1"),
    ("Samsung", "Galaxy Tab S8 Ultra", 2022, 1149, (128, 256, 512), "Graphite", WIFI_CELL, '14.6" AMOLED 120 Hz', "Snapdragon 8 Gen 1"),
    ("Samsung", "Galaxy Tab S9", 2023, 929, (128, 256), "Graphite/Beige", WIFI_CELL, '11" AMOLED 120 Hz', "Snapdragon 8 Gen 2"),
    ("Samsung", "Galaxy Tab S9+", 2023, 1129, (256, 512), "Graphite/Beige", WIFI_CELL, '12.4" AMOLED 120 Hz', "Snapdragon 8 Gen 2"),
    ("Samsung", "Galaxy Tab S9 Ultra", 2023, 1379, (256, 512, 1024), "Graphite/Beige", WIFI_CELL, '14.6" AMOLED 120 Hz', "Snapdragon 8 Gen 2"),
    ("Samsung", "Galaxy Tab S9 FE", 2023, 529, (128, 256), "Gray/Silver/Mint/Lavender", WIFI_CELL, '10.9" LCD 90 Hz', "Exynos 1380"),
    ("Samsung", "Galaxy Tab A8", 2022, 229, (32, 64, 128), "Gray/Silver/Pink Gold", WIFI_CELL, '10.5" LCD', "Unisoc T618"),
    ("Samsung", "Galaxy Tab A9+", 2023, 249, (64, 128), "Graphite/Silver/Navy", WIFI_CELL, '11" LCD 90 Hz', "Snapdragon 695"),
    ("Lenovo", "Tab P11 (2nd Gen)", 2023, 349, (128,), "Storm Grey", WIFI, '11.5" LCD 120 Hz', "MediaTek Helio G99"),
    ("Lenovo", "Tab P12", 2023, 399, (128, 256), "Storm Grey", WIFI, '12.7" LCD', "MediaTek Dimensity 7050"),
    ("Microsoft", "Surface Pro 7", 2019, 899, (128, 256, 512), "Platinum/Matte Black", WIFI, '12.3" PixelSense', "Intel Core i5-1035G4"),
    ("Microsoft", "Surface Pro 8", 2021, 1179, (128, 256, 512), "Platinum/Graphite", WIFI, '13" PixelSense Flow 120 Hz', "Intel Core i5-1135G7"),
    ("Microsoft", "Surface Pro 9", 2022, 1229, (128, 256, 512), "Platinum/Graphite/Sapphire/Forest", WIFI, '13" PixelSense Flow 120 Hz', "Intel Core i5-1235U"),
    ("Microsoft", "Surface Go 3", 2021, 479, (64, 128), "Platinum", WIFI, '10.5" PixelSense', "Intel Pentium Gold 6500Y"),
    ("Xiaomi", "Pad 5", 2021, 349, (128, 256), "Cosmic Gray/Pearl White", WIFI, '11" LCD 120 Hz', "Snapdragon 860"),
    ("Xiaomi", "Pad 6", 2023, 399, (128, 256), "Gravity Gray/Mist Blue/Champagne", WIFI, '11" LCD 144 Hz', "Snapdragon 870"),
    ("Huawei", "MatePad 11 (2021)", 2021, 399, (64, 128), "Matte Grey", WIFI, '10.95" LCD 120 Hz', "Snapdragon 865"),
]

# brand, name, year, launch price (EUR), colours, connectivity, display, battery life
Watch = tuple[str, str, int, int, str, tuple[str, ...], str, str]

WATCHES: list[Watch] = [
    ("Apple", "Watch Series 4 (40 mm)", 2018, 429, "Silver Aluminium/Gold Aluminium/Space Grey Aluminium", GPS_CELL, "LTPO OLED Retina", "Up to 18 h"),
    ("Apple", "Watch Series 4 (44 mm)", 2018, 459, "Silver Aluminium/Gold Aluminium/Space Grey Aluminium", GPS_CELL, "LTPO OLED Retina", "Up to 18 h"),
    ("Apple", "Watch Series 5 (40 mm)", 2019, 449, "Silver Aluminium/Gold Aluminium/Space Grey Aluminium", GPS_CELL, "Always-on Retina", "Up to 18 h"),
    ("Apple", "Watch Series 5 (44 mm)", 2019, 479, "Silver Aluminium/Gold Aluminium/Space Grey Aluminium", GPS_CELL, "Always-on Retina", "Up to 18 h"),
    ("Apple", "Watch SE (40 mm)", 2020, 299, "Silver Aluminium/Gold Aluminium/Space Grey Aluminium", GPS_CELL, "Retina", "Up to 18 h"),
    ("Apple", "Watch SE (44 mm)", 2020, 329, "Silver Aluminium/Gold Aluminium/Space Grey Aluminium", GPS_CELL, "Retina", "Up to 18 h"),
    ("Apple", "Watch Series 6 (40 mm)", 2020, 429, "Silver Aluminium/Gold Aluminium/Space Grey Aluminium/Blue Aluminium/(PRODUCT)RED", GPS_CELL, "Always-on Retina", "Up to 18 h"),
    ("Apple", "Watch Series 6 (44 mm)", 2020, 459, "Silver Aluminium/Gold Aluminium/Space Grey Aluminium/Blue Aluminium/(PRODUCT)RED", GPS_CELL, "Always-on Retina", "Up to 18 h"),
    ("Apple", "Watch Series 7 (41 mm)", 2021, 429, "Midnight/Starlight/Green/Blue/(PRODUCT)RED", GPS_CELL, "Always-on Retina", "Up to 18 h"),
    ("Apple", "Watch Series 7 (45 mm)", 2021, 459, "Midnight/Starlight/Green/Blue/(PRODUCT)RED", GPS_CELL, "Always-on Retina", "Up to 18 h"),
    ("Apple", "Watch Series 8 (41 mm)", 2022, 499, "Midnight/Starlight/Silver/(PRODUCT)RED", GPS_CELL, "Always-on Retina", "Up to 18 h"),
    ("Apple", "Watch Series 8 (45 mm)", 2022, 529, "Midnight/Starlight/Silver/(PRODUCT)RED", GPS_CELL, "Always-on Retina", "Up to 18 h"),
    ("Apple", "Watch SE (2nd generation) (40 mm)", 2022, 299, "Midnight/Starlight/Silver", GPS_CELL, "Retina", "Up to 18 h"),
    ("Apple", "Watch SE (2nd generation) (44 mm)", 2022, 339, "Midnight/Starlight/Silver", GPS_CELL, "Retina", "Up to 18 h"),
    ("Apple", "Watch Ultra (49 mm)", 2022, 999, "Natural Titanium", ("GPS + Cellular",), "Always-on Retina, 2000 nits", "Up to 36 h"),
    ("Apple", "Watch Series 9 (41 mm)", 2023, 449, "Midnight/Starlight/Silver/Pink/(PRODUCT)RED", GPS_CELL, "Always-on Retina", "Up to 18 h"),
    ("Apple", "Watch Series 9 (45 mm)", 2023, 479, "Midnight/Starlight/Silver/Pink/(PRODUCT)RED", GPS_CELL, "Always-on Retina", "Up to 18 h"),
    ("Apple", "Watch Ultra 2 (49 mm)", 2023, 899, "Natural Titanium/Black Titanium", ("GPS + Cellular",), "Always-on Retina, 3000 nits", "Up to 36 h"),
    ("Apple", "Watch Series 10 (42 mm)", 2024, 449, "Jet Black/Rose Gold/Silver Aluminium", GPS_CELL, "Wide-angle OLED", "Up to 18 h"),
    ("Apple", "Watch Series 10 (46 mm)", 2024, 479, "Jet Black/Rose Gold/Silver Aluminium", GPS_CELL, "Wide-angle OLED", "Up to 18 h"),
    ("Samsung", "Galaxy Watch4 (40 mm)", 2021, 269, "Black/Silver/Pink Gold", GPS_CELL, '1.2" Super AMOLED', "Up to 40 h"),
    ("Samsung", "Galaxy Watch4 (44 mm)", 2021, 299, "Black/Silver/Green", GPS_CELL, '1.4" Super AMOLED', "Up to 40 h"),
    ("Samsung", "Galaxy Watch4 Classic (42 mm)", 2021, 369, "Black/Silver", GPS_CELL, '1.2" Super AMOLED', "Up to 40 h"),
    ("Samsung", "Galaxy Watch4 Classic (46 mm)", 2021, 399, "Black/Silver", GPS_CELL, '1.4" Super AMOLED', "Up to 40 h"),
    ("Samsung", "Galaxy Watch5 (40 mm)", 2022, 299, "Graphite/Silver/Pink Gold", GPS_CELL, '1.2" Super AMOLED', "Up to 50 h"),
    ("Samsung", "Galaxy Watch5 (44 mm)", 2022, 329, "Graphite/Silver/Sapphire", GPS_CELL, '1.4" Super AMOLED', "Up to 50 h"),
    ("Samsung", "Galaxy Watch5 Pro (45 mm)", 2022, 469, "Black Titanium/Grey Titanium", GPS_CELL, '1.4" Super AMOLED', "Up to 80 h"),
    ("Samsung", "Galaxy Watch6 (40 mm)", 2023, 319, "Graphite/Gold", GPS_CELL, '1.3" Super AMOLED', "Up to 40 h"),
    ("Samsung", "Galaxy Watch6 (44 mm)", 2023, 349, "Graphite/Silver", GPS_CELL, '1.5" Super AMOLED', "Up to 40 h"),
    ("Samsung", "Galaxy Watch6 Classic (43 mm)", 2023, 419, "Black/Silver", GPS_CELL, '1.3" Super AMOLED', "Up to 40 h"),
    ("Samsung", "Galaxy Watch6 Classic (47 mm)", 2023, 449, "Black/Silver", GPS_CELL, '1.5" Super AMOLED', "Up to 40 h"),
    ("Google", "Pixel Watch (41 mm)", 2022, 379, "Matte Black/Polished Silver/Champagne Gold", GPS_CELL, "AMOLED", "Up to 24 h"),
    ("Google", "Pixel Watch 2 (41 mm)", 2023, 399, "Matte Black/Polished Silver/Champagne Gold", GPS_CELL, "AMOLED", "Up to 24 h"),
    ("Google", "Pixel Watch 3 (41 mm)", 2024, 399, "Matte Black/Polished Silver/Champagne Gold", GPS_CELL, "AMOLED", "Up to 24 h"),
    ("Google", "Pixel Watch 3 (45 mm)", 2024, 449, "Matte Black/Polished Silver", GPS_CELL, "AMOLED", "Up to 24 h"),
    ("Garmin", "Fenix 6 Pro", 2019, 699, "Black/Silver", GPS, '1.3" MIP', "Up to 14 days"),
    ("Garmin", "Fenix 7", 2022, 699, "Silver/Graphite", GPS, '1.3" MIP', "Up to 18 days"),
    ("Garmin", "Fenix 7 Pro Solar", 2023, 799, "Slate Grey/Graphite", GPS, '1.3" MIP', "Up to 22 days"),
    ("Garmin", "Forerunner 255", 2022, 349, "Slate Grey/Tidal Blue", GPS, '1.3" MIP', "Up to 14 days"),
    ("Garmin", "Forerunner 265", 2023, 449, "Black/Aqua/Whitestone", GPS, '1.3" AMOLED', "Up to 13 days"),
    ("Garmin", "Forerunner 955", 2022, 499, "Black/Whitestone", GPS, '1.3" MIP', "Up to 15 days"),
    ("Garmin", "Forerunner 965", 2023, 649, "Carbon Grey/Whitestone/Amp Yellow", GPS, '1.4" AMOLED', "Up to 23 days"),
    ("Garmin", "Venu 2", 2021, 399, "Slate/Silver", GPS, '1.3" AMOLED', "Up to 11 days"),
    ("Garmin", "Venu 3", 2023, 449, "Slate/Silver", GPS, '1.4" AMOLED', "Up to 14 days"),
    ("Garmin", "Instinct 2", 2022, 299, "Graphite/Moss/Tidal Blue", GPS, '0.9" MIP', "Up to 28 days"),
    ("Huawei", "Watch GT 3 (46 mm)", 2021, 249, "Black/Brown/Silver", GPS, '1.43" AMOLED', "Up to 14 days"),
    ("Huawei", "Watch GT 4 (46 mm)", 2023, 249, "Black/Brown/Grey", GPS, '1.43" AMOLED', "Up to 14 days"),
    ("Huawei", "Watch 4 Pro", 2023, 549, "Titanium/Dark Brown", GPS_CELL, '1.5" LTPO AMOLED', "Up to 4.5 days"),
]

# brand, name, year, launch price (EUR), storage (GB), colours, processor, output, portable
Console = tuple[str, str, int, int, tuple[int, ...], str, str, str, bool]

CONSOLES: list[Console] = [
    ("Sony", "PlayStation 4 Slim", 2016, 299, (500, 1024), "Jet Black", "AMD Jaguar 8-core", "1080p", False),
    ("Sony", "PlayStation 4 Pro", 2016, 399, (1024,), "Jet Black", "AMD Jaguar 8-core", "4K", False),
    ("Sony", "PlayStation 5", 2020, 499, (825,), "White", "AMD Zen 2 8-core", "4K 120 Hz", False),
    ("Sony", "PlayStation 5 Digital Edition", 2020, 399, (825,), "White", "AMD Zen 2 8-core", "4K 120 Hz", False),
    ("Sony", "PlayStation 5 Slim", 2023, 549, (1024,), "White", "AMD Zen 2 8-core", "4K 120 Hz", False),
    ("Sony", "PlayStation 5 Slim Digital Edition", 2023, 449, (1024,), "White", "AMD Zen 2 8-core", "4K 120 Hz", False),
    ("Sony", "PlayStation 5 Pro", 2024, 799, (2048,), "White", "AMD Zen 2 8-core", "4K 120 Hz, 8K", False),
    ("Nintendo", "Switch", 2019, 329, (32,), "Neon Blue/Neon Red/Grey", "NVIDIA Tegra X1", '6.2" LCD, 1080p docked', True),
    ("Nintendo", "Switch OLED", 2021, 349, (64,), "White/Neon Blue/Neon Red", "NVIDIA Tegra X1", '7" OLED, 1080p docked', True),
    ("Nintendo", "Switch Lite", 2019, 219, (32,), "Turquoise/Yellow/Grey/Coral/Blue", "NVIDIA Tegra X1", '5.5" LCD', True),
    ("Microsoft", "Xbox One S", 2016, 299, (500, 1024), "Robot White", "AMD Jaguar 8-core", "4K video, 1080p games", False),
    ("Microsoft", "Xbox One X", 2017, 499, (1024,), "Black", "AMD Jaguar 8-core", "4K", False),
    ("Microsoft", "Xbox Series X", 2020, 499, (1024,), "Carbon Black", "AMD Zen 2 8-core", "4K 120 Hz", False),
    ("Microsoft", "Xbox Series S", 2020, 299, (512, 1024), "Robot White/Carbon Black", "AMD Zen 2 8-core", "1440p 120 Hz", False),
    ("Valve", "Steam Deck", 2022, 419, (64, 256, 512), "Black", "AMD Zen 2 APU", '7" LCD', True),
    ("Valve", "Steam Deck OLED", 2023, 569, (512, 1024), "Black", "AMD Zen 2 APU", '7.4" OLED 90 Hz', True),
]

# brand, name, year, launch price (EUR), colours, type, noise cancelling, battery life
Audio = tuple[str, str, int, int, str, str, str, str]

AUDIO: list[Audio] = [
    ("Apple", "AirPods (2nd generation)", 2019, 179, "White", "True wireless earbuds", "No", "Up to 24 h with case"),
    ("Apple", "AirPods (3rd generation)", 2021, 199, "White", "True wireless earbuds", "No", "Up to 30 h with case"),
    ("Apple", "AirPods 4", 2024, 149, "White", "True wireless earbuds", "No", "Up to 30 h with case"),
    ("Apple", "AirPods Pro", 2019, 279, "White", "True wireless earbuds", "Active", "Up to 24 h with case"),
    ("Apple", "AirPods Pro (2nd generation)", 2022, 299, "White", "True wireless earbuds", "Active", "Up to 30 h with case"),
    ("Apple", "AirPods Max", 2020, 629, "Space Grey/Silver/Sky Blue/Pink/Green", "Over-ear headphones", "Active", "Up to 20 h"),
    ("Sony", "WH-1000XM3", 2018, 379, "Black/Silver", "Over-ear headphones", "Active", "Up to 30 h"),
    ("Sony", "WH-1000XM4", 2020, 379, "Black/Silver/Midnight Blue", "Over-ear headphones", "Active", "Up to 30 h"),
    ("Sony", "WH-1000XM5", 2022, 449, "Black/Silver/Midnight Blue", "Over-ear headphones", "Active", "Up to 30 h"),
    ("Sony", "WF-1000XM4", 2021, 279, "Black/Silver", "True wireless earbuds", "Active", "Up to 24 h with case"),
    ("Sony", "WF-1000XM5", 2023, 319, "Black/Silver", "True wireless earbuds", "Active", "Up to 24 h with case"),
    ("Bose", "QuietComfort 35 II", 2017, 379, "Black/Silver", "Over-ear headphones", "Active", "Up to 20 h"),
    ("Bose", "Noise Cancelling Headphones 700", 2019, 399, "Black/Silver/Soapstone", "Over-ear headphones", "Active", "Up to 20 h"),
    ("Bose", "QuietComfort 45", 2021, 349, "Black/White Smoke", "Over-ear headphones", "Active", "Up to 24 h"),
    ("Bose", "QuietComfort Ultra Headphones", 2023, 499, "Black/White Smoke", "Over-ear headphones", "Active", "Up to 24 h"),
    ("Bose", "QuietComfort Earbuds II", 2022, 299, "Triple Black/Soapstone", "True wireless earbuds", "Active", "Up to 24 h with case"),
    ("JBL", "Flip 5", 2019, 129, "Black/Blue/Red", "Portable speaker", "No", "Up to 12 h"),
    ("JBL", "Flip 6", 2022, 149, "Black/Blue/Red/Grey", "Portable speaker", "No", "Up to 12 h"),
    ("JBL", "Charge 5", 2021, 179, "Black/Blue/Red", "Portable speaker", "No", "Up to 20 h"),
    ("JBL", "Tune 760NC", 2021, 129, "Black/White/Blue", "Over-ear headphones", "Active", "Up to 35 h"),
    ("JBL", "Live 660NC", 2021, 199, "Black/Blue", "Over-ear headphones", "Active", "Up to 40 h"),
    ("Sennheiser", "Momentum 4 Wireless", 2022, 349, "Black/White", "Over-ear headphones", "Active", "Up to 60 h"),
    ("Sennheiser", "Momentum True Wireless 3", 2022, 249, "Black/White/Graphite", "True wireless earbuds", "Active", "Up to 28 h with case"),
    ("Sennheiser", "HD 450BT", 2020, 179, "Black/White", "Over-ear headphones", "Active", "Up to 30 h"),
    ("Samsung", "Galaxy Buds2 Pro", 2022, 229, "Graphite/White/Bora Purple", "True wireless earbuds", "Active", "Up to 29 h with case"),
    ("Samsung", "Galaxy Buds FE", 2023, 109, "Graphite/White", "True wireless earbuds", "Active", "Up to 30 h with case"),
    ("Google", "Pixel Buds Pro", 2022, 219, "Charcoal/Fog/Coral/Lemongrass", "True wireless earbuds", "Active", "Up to 31 h with case"),
    ("Nothing", "Ear (2)", 2023, 149, "White", "True wireless earbuds", "Active", "Up to 36 h with case"),
]

# brand, name, year, launch price (EUR, body only), colours, sensor, resolution, video
Camera = tuple[str, str, int, int, str, str, str, str]

CAMERAS: list[Camera] = [
    ("Canon", "EOS R", 2018, 2599, "Black", "Full frame", "30.3 MP", "4K 30p"),
    ("Canon", "EOS RP", 2019, 1599, "Black", "Full frame", "26.2 MP", "4K 25p"),
    ("Canon", "EOS R5", 2020, 4499, "Black", "Full frame", "45 MP", "8K 30p"),
    ("Canon", "EOS R6", 2020, 2699, "Black", "Full frame", "20.1 MP", "4K 60p"),
    ("Canon", "EOS R6 Mark II", 2022, 2899, "Black", "Full frame", "24.2 MP", "4K 60p"),
    ("Canon", "EOS R8", 2023, 1699, "Black", "Full frame", "24.2 MP", "4K 60p"),
    ("Canon", "EOS R10", 2022, 999, "Black", "APS-C", "24.2 MP", "4K 60p"),
    ("Canon", "EOS R50", 2023, 799, "Black/White", "APS-C", "24.2 MP", "4K 30p"),
    ("Canon", "EOS 90D", 2019, 1349, "Black", "APS-C", "32.5 MP", "4K 30p"),
    ("Canon", "EOS 250D", 2019, 599, "Black/Silver/White", "APS-C", "24.1 MP", "4K 25p"),
    ("Canon", "EOS M50 Mark II", 2020, 649, "Black/White", "APS-C", "24.1 MP", "4K 25p"),
    ("Nikon", "Z5", 2020, 1699, "Black", "Full frame", "24.3 MP", "4K 30p"),
    ("Nikon", "Z6 II", 2020, 2199, "Black", "Full frame", "24.5 MP", "4K 60p"),
    ("Nikon", "Z7 II", 2020, 3299, "Black", "Full frame", "45.7 MP", "4K 60p"),
    ("Nikon", "Z8", 2023, 4699, "Black", "Full frame", "45.7 MP", "8K 60p"),
    ("Nikon", "Z fc", 2021, 999, "Black/Silver", "APS-C", "20.9 MP", "4K 30p"),
    ("Nikon", "Z50", 2019, 999, "Black", "APS-C", "20.9 MP", "4K 30p"),
    ("Nikon", "Z30", 2022, 799, "Black", "APS-C", "20.9 MP", "4K 30p"),
    ("Nikon", "D750", 2014, 1999, "Black", "Full frame", "24.3 MP", "1080p 60p"),
    ("Nikon", "D7500", 2017, 1399, "Black", "APS-C", "20.9 MP", "4K 30p"),
    ("Nikon", "D3500", 2018, 499, "Black", "APS-C", "24.2 MP", "1080p 60p"),
    ("Fujifilm", "X-T4", 2020, 1799, "Black/Silver", "APS-C", "26.1 MP", "4K 60p"),
    ("Fujifilm", "X-T5", 2022, 1899, "Black/Silver", "APS-C", "40.2 MP", "6.2K 30p"),
    ("Fujifilm", "X-S10", 2020, 999, "Black", "APS-C", "26.1 MP", "4K 30p"),
    ("Fujifilm", "X-S20", 2023, 1299, "Black", "APS-C", "26.1 MP", "6.2K 30p"),
    ("Fujifilm", "X100V", 2020, 1499, "Black/Silver", "APS-C", "26.1 MP", "4K 30p"),
    ("Fujifilm", "X100VI", 2024, 1799, "Black/Silver", "APS-C", "40.2 MP", "6.2K 30p"),
    ("Fujifilm", "X-E4", 2021, 899, "Black/Silver", "APS-C", "26.1 MP", "4K 30p"),
    ("Fujifilm", "X-T30 II", 2021, 899, "Black/Silver", "APS-C", "26.1 MP", "4K 30p"),
    ("Sony", "Alpha 7 III", 2018, 2299, "Black", "Full frame", "24.2 MP", "4K 30p"),
    ("Sony", "Alpha 7 IV", 2021, 2799, "Black", "Full frame", "33 MP", "4K 60p"),
    ("Sony", "Alpha 7C", 2020, 2099, "Black/Silver", "Full frame", "24.2 MP", "4K 30p"),
    ("Sony", "Alpha 6400", 2019, 1049, "Black/Silver", "APS-C", "24.2 MP", "4K 30p"),
    ("Sony", "Alpha 6700", 2023, 1699, "Black", "APS-C", "26 MP", "4K 120p"),
    ("Sony", "ZV-1", 2020, 799, "Black/White", '1" type', "20.1 MP", "4K 30p"),
    ("Sony", "ZV-E10", 2021, 749, "Black/White", "APS-C", "24.2 MP", "4K 30p"),
    ("Sony", "RX100 VII", 2019, 1299, "Black", '1" type', "20.1 MP", "4K 30p"),
]

# brand, name, year, launch price (EUR), storage (GB), colours, connectivity, screen
Reader = tuple[str, str, int, int, tuple[int, ...], str, tuple[str, ...], str]

READERS: list[Reader] = [
    ("Kobo", "Clara HD", 2018, 129, (8,), "Black", WIFI, '6" E Ink Carta, 300 ppi'),
    ("Kobo", "Clara 2E", 2022, 149, (16,), "Deep Ocean Blue", WIFI, '6" E Ink Carta 1200, 300 ppi'),
    ("Kobo", "Clara BW", 2024, 139, (16,), "Black", WIFI, '6" E Ink Carta 1300, 300 ppi'),
    ("Kobo", "Clara Colour", 2024, 159, (16,), "Black/White", WIFI, '6" E Ink Kaleido 3'),
    ("Kobo", "Nia", 2020, 99, (8,), "Black", WIFI, '6" E Ink Carta, 212 ppi'),
    ("Kobo", "Libra H2O", 2019, 179, (8,), "Black/White", WIFI, '7" E Ink Carta, 300 ppi'),
    ("Kobo", "Libra 2", 2021, 189, (32,), "Black/White", WIFI, '7" E Ink Carta 1200, 300 ppi'),
    ("Kobo", "Forma", 2018, 279, (8, 32), "Black", WIFI, '8" E Ink Carta, 300 ppi'),
    ("Kobo", "Sage", 2021, 279, (32,), "Black", WIFI, '8" E Ink Carta 1200, 300 ppi'),
    ("Kobo", "Elipsa 2E", 2023, 399, (32,), "Black", WIFI, '10.3" E Ink Carta 1200, 227 ppi'),
    ("Amazon", "Kindle (10th generation)", 2019, 89, (8,), "Black/White", WIFI, '6" E Ink, 167 ppi'),
    ("Amazon", "Kindle (11th generation)", 2022, 109, (16,), "Black/Denim", WIFI, '6" E Ink, 300 ppi'),
    ("Amazon", "Kindle Paperwhite (10th generation)", 2018, 129, (8, 32), "Black/Twilight Blue/Plum/Sage", ("Wi-Fi", "Wi-Fi + 4G"), '6" E Ink, 300 ppi'),
    ("Amazon", "Kindle Paperwhite (11th generation)", 2021, 149, (8, 16), "Black/Agave Green/Denim", WIFI, '6.8" E Ink, 300 ppi'),
    ("Amazon", "Kindle Paperwhite Signature Edition", 2021, 199, (32,), "Black/Agave Green/Denim", WIFI, '6.8" E Ink, 300 ppi'),
    ("Amazon", "Kindle Oasis (10th generation)", 2019, 249, (8, 32), "Graphite/Champagne Gold", ("Wi-Fi", "Wi-Fi + 4G"), '7" E Ink, 300 ppi'),
    ("Amazon", "Kindle Scribe", 2022, 369, (16, 32, 64), "Tungsten", WIFI, '10.2" E Ink, 300 ppi'),
    ("Amazon", "Kindle Colorsoft Signature Edition", 2024, 279, (32,), "Metallic Black", WIFI, '7" E Ink Kaleido, 300 ppi'),
]
# fmt: on


def models() -> list[ModelSpec]:
    """Return the reference tablets, watches, consoles, audio devices, cameras and readers."""
    found: list[ModelSpec] = []
    for brand, name, year, price, storages, colour_list, links, screen, cpu in TABLETS:
        found.append(
            ModelSpec("tablets", brand, name, year, price, storages=storages,
                      colours=colours(colour_list), connectivity=links,
                      specs=(("Screen", screen), ("Processor", cpu)))
        )  # fmt: skip
    for brand, name, year, price, colour_list, links, display, life in WATCHES:
        found.append(
            ModelSpec("smartwatches", brand, name, year, price, colours=colours(colour_list),
                      connectivity=links, specs=(("Display", display), ("Battery", life)))
        )  # fmt: skip
    for brand, name, year, price, storages, colour_list, cpu, output, portable in CONSOLES:
        found.append(
            ModelSpec("consoles", brand, name, year, price, storages=storages,
                      colours=colours(colour_list), battery=portable,
                      specs=(("Processor", cpu), ("Display", output)))
        )  # fmt: skip
    for brand, name, year, price, colour_list, kind, anc, life in AUDIO:
        found.append(
            ModelSpec("audio", brand, name, year, price, colours=colours(colour_list),
                      specs=(("Type", kind), ("Noise cancelling", anc), ("Battery", life)))
        )  # fmt: skip
    for brand, name, year, price, colour_list, sensor, resolution, video in CAMERAS:
        found.append(
            ModelSpec("cameras", brand, name, year, price, colours=colours(colour_list),
                      specs=(("Sensor", sensor), ("Resolution", resolution), ("Video", video)))
        )  # fmt: skip
    for brand, name, year, price, storages, colour_list, links, screen in READERS:
        found.append(
            ModelSpec("e-readers", brand, name, year, price, storages=storages,
                      colours=colours(colour_list), connectivity=links,
                      specs=(("Screen", screen),))
        )  # fmt: skip
    return found
