"""Real smartphones: name, year, launch price, storage, colours and main specifications."""

# ruff: noqa: E501

from __future__ import annotations

from recommerce.demo.data import ModelSpec, colours

# fmt: off
# name, year, launch price (EUR), storage (GB), colours, screen, processor, camera, battery
Row = tuple[str, int, int, tuple[int, ...], str, str, str, str, int]

APPLE: list[Row] = [
    ("iPhone 8", 2017, 809, (64, 256), "Space Grey/Silver/Gold", '4.7" LCD', "A11 Bionic", "12 MP", 1821),
    ("iPhone 8 Plus", 2017, 919, (64, 256), "Space Grey/Silver/Gold", '5.5" LCD', "A11 Bionic", "12 MP dual", 2691),
    ("iPhone X", 2017, 1159, (64, 256), "Space Grey/Silver", '5.8" OLED', "A11 Bionic", "12 MP dual", 2716),
    ("iPhone XR", 2018, 859, (64, 128, 256), "Black/White/Blue/Yellow/Coral/(PRODUCT)RED", '6.1" LCD', "A12 Bionic", "12 MP", 2942),
    ("iPhone XS", 2018, 1159, (64, 256, 512), "Space Grey/Silver/Gold", '5.8" OLED', "A12 Bionic", "12 MP dual", 2658),
    ("iPhone XS Max", 2018, 1259, (64, 256, 512), "Space Grey/Silver/Gold", '6.5" OLED', "A12 Bionic", "12 MP dual", 3174),
    ("iPhone 11", 2019, 809, (64, 128, 256), "Black/White/Green/Yellow/Purple/(PRODUCT)RED", '6.1" LCD', "A13 Bionic", "12 MP dual", 3110),
    ("iPhone 11 Pro", 2019, 1159, (64, 256, 512), "Midnight Green/Space Grey/Silver/Gold", '5.8" OLED', "A13 Bionic", "12 MP triple", 3046),
    ("iPhone 11 Pro Max", 2019, 1259, (64, 256, 512), "Midnight Green/Space Grey/Silver/Gold", '6.5" OLED', "A13 Bionic", "12 MP triple", 3969),
    ("iPhone SE (2nd generation)", 2020, 489, (64, 128, 256), "Black/White/(PRODUCT)RED", '4.7" LCD', "A13 Bionic", "12 MP", 1821),
    ("iPhone 12 mini", 2020, 809, (64, 128, 256), "Black/White/Blue/Green/Purple/(PRODUCT)RED", '5.4" OLED', "A14 Bionic", "12 MP dual", 2227),
    ("iPhone 12", 2020, 909, (64, 128, 256), "Black/White/Blue/Green/Purple/(PRODUCT)RED", '6.1" OLED', "A14 Bionic", "12 MP dual", 2815),
    ("iPhone 12 Pro", 2020, 1159, (128, 256, 512), "Graphite/Silver/Gold/Pacific Blue", '6.1" OLED', "A14 Bionic", "12 MP triple + LiDAR", 2815),
    ("iPhone 12 Pro Max", 2020, 1259, (128, 256, 512), "Graphite/Silver/Gold/Pacific Blue", '6.7" OLED', "A14 Bionic", "12 MP triple + LiDAR", 3687),
    ("iPhone 13 mini", 2021, 809, (128, 256, 512), "Midnight/Starlight/Blue/Pink/Green/(PRODUCT)RED", '5.4" OLED', "A15 Bionic", "12 MP dual", 2438),
    ("iPhone 13", 2021, 909, (128, 256, 512), "Midnight/Starlight/Blue/Pink/Green/(PRODUCT)RED", '6.1" OLED', "A15 Bionic", "12 MP dual", 3227),
    ("iPhone 13 Pro", 2021, 1159, (128, 256, 512, 1024), "Graphite/Gold/Silver/Sierra Blue/Alpine Green", '6.1" OLED 120 Hz', "A15 Bionic", "12 MP triple + LiDAR", 3095),
    ("iPhone 13 Pro Max", 2021, 1259, (128, 256, 512, 1024), "Graphite/Gold/Silver/Sierra Blue/Alpine Green", '6.7" OLED 120 Hz', "A15 Bionic", "12 MP triple + LiDAR", 4352),
    ("iPhone SE (3rd generation)", 2022, 529, (64, 128, 256), "Midnight/Starlight/(PRODUCT)RED", '4.7" LCD', "A15 Bionic", "12 MP", 2018),
    ("iPhone 14", 2022, 1019, (128, 256, 512), "Midnight/Starlight/Blue/Purple/Yellow/(PRODUCT)RED", '6.1" OLED', "A15 Bionic", "12 MP dual", 3279),
    ("iPhone 14 Plus", 2022, 1169, (128, 256, 512), "Midnight/Starlight/Blue/Purple/Yellow/(PRODUCT)RED", '6.7" OLED', "A15 Bionic", "12 MP dual", 4325),
    ("iPhone 14 Pro", 2022, 1329, (128, 256, 512, 1024), "Space Black/Silver/Gold/Deep Purple", '6.1" OLED 120 Hz', "A16 Bionic", "48 MP triple + LiDAR", 3200),
    ("iPhone 14 Pro Max", 2022, 1479, (128, 256, 512, 1024), "Space Black/Silver/Gold/Deep Purple", '6.7" OLED 120 Hz', "A16 Bionic", "48 MP triple + LiDAR", 4323),
    ("iPhone 15", 2023, 969, (128, 256, 512), "Black/Blue/Green/Yellow/Pink", '6.1" OLED', "A16 Bionic", "48 MP dual", 3349),
    ("iPhone 15 Plus", 2023, 1119, (128, 256, 512), "Black/Blue/Green/Yellow/Pink", '6.7" OLED', "A16 Bionic", "48 MP dual", 4383),
    ("iPhone 15 Pro", 2023, 1229, (128, 256, 512, 1024), "Black Titanium/White Titanium/Blue Titanium/Natural Titanium", '6.1" OLED 120 Hz', "A17 Pro", "48 MP triple + LiDAR", 3274),
    ("iPhone 15 Pro Max", 2023, 1479, (256, 512, 1024), "Black Titanium/White Titanium/Blue Titanium/Natural Titanium", '6.7" OLED 120 Hz', "A17 Pro", "48 MP triple + LiDAR", 4441),
    ("iPhone 16", 2024, 969, (128, 256, 512), "Black/White/Pink/Teal/Ultramarine", '6.1" OLED', "A18", "48 MP dual", 3561),
    ("iPhone 16 Plus", 2024, 1119, (128, 256, 512), "Black/White/Pink/Teal/Ultramarine", '6.7" OLED', "A18", "48 MP dual", 4674),
    ("iPhone 16 Pro", 2024, 1229, (128, 256, 512, 1024), "Black Titanium/White Titanium/Natural Titanium/Desert Titanium", '6.3" OLED 120 Hz', "A18 Pro", "48 MP triple + LiDAR", 3582),
    ("iPhone 16 Pro Max", 2024, 1479, (256, 512, 1024), "Black Titanium/White Titanium/Natural Titanium/Desert Titanium", '6.9" OLED 120 Hz', "A18 Pro", "48 MP triple + LiDAR", 4685),
    ("iPhone 16e", 2025, 719, (128, 256, 512), "Black/White", '6.1" OLED', "A18", "48 MP", 4005),
]

SAMSUNG: list[Row] = [
    ("Galaxy S10e", 2019, 759, (128, 256), "Prism Black/Prism White/Prism Blue/Canary Yellow", '5.8" AMOLED', "Exynos 9820", "12 MP dual", 3100),
    ("Galaxy S10", 2019, 909, (128, 512), "Prism Black/Prism White/Prism Blue/Prism Green", '6.1" AMOLED', "Exynos 9820", "12 MP triple", 3400),
    ("Galaxy S10+", 2019, 1009, (128, 512, 1024), "Prism Black/Prism White/Prism Blue", '6.4" AMOLED', "Exynos 9820", "12 MP triple", 4100),
    ("Galaxy S20", 2020, 909, (128,), "Cosmic Grey/Cloud Blue/Cloud Pink", '6.2" AMOLED 120 Hz', "Exynos 990", "64 MP triple", 4000),
    ("Galaxy S20+", 2020, 1009, (128, 512), "Cosmic Grey/Cloud Blue/Cosmic Black", '6.7" AMOLED 120 Hz', "Exynos 990", "64 MP quad", 4500),
    ("Galaxy S20 Ultra", 2020, 1349, (128, 512), "Cosmic Grey/Cosmic Black", '6.9" AMOLED 120 Hz', "Exynos 990", "108 MP quad", 5000),
    ("Galaxy S20 FE", 2020, 659, (128, 256), "Cloud Navy/Cloud Lavender/Cloud Mint/Cloud Red/Cloud White/Cloud Orange", '6.5" AMOLED 120 Hz', "Exynos 990", "12 MP triple", 4500),
    ("Galaxy S21", 2021, 859, (128, 256), "Phantom Grey/Phantom White/Phantom Violet/Phantom Pink", '6.2" AMOLED 120 Hz', "Exynos 2100", "64 MP triple", 4000),
    ("Galaxy S21+", 2021, 1059, (128, 256), "Phantom Black/Phantom Silver/Phantom Violet", '6.7" AMOLED 120 Hz', "Exynos 2100", "64 MP triple", 4800),
    ("Galaxy S21 Ultra", 2021, 1259, (128, 256, 512), "Phantom Black/Phantom Silver", '6.8" AMOLED 120 Hz', "Exynos 2100", "108 MP quad", 5000),
    ("Galaxy S21 FE", 2022, 759, (128, 256), "Graphite/Olive/Lavender/White", '6.4" AMOLED 120 Hz', "Exynos 2100", "12 MP triple", 4500),
    ("Galaxy S22", 2022, 859, (128, 256), "Phantom Black/Phantom White/Green/Pink Gold", '6.1" AMOLED 120 Hz', "Exynos 2200", "50 MP triple", 3700),
    ("Galaxy S22+", 2022, 1059, (128, 256), "Phantom Black/Phantom White/Green/Pink Gold", '6.6" AMOLED 120 Hz', "Exynos 2200", "50 MP triple", 4500),
    ("Galaxy S22 Ultra", 2022, 1259, (128, 256, 512), "Phantom Black/Phantom White/Burgundy/Green", '6.8" AMOLED 120 Hz', "Exynos 2200", "108 MP quad", 5000),
    ("Galaxy S23", 2023, 959, (128, 256), "Phantom Black/Cream/Green/Lavender", '6.1" AMOLED 120 Hz', "Snapdragon 8 Gen 2", "50 MP triple", 3900),
    ("Galaxy S23+", 2023, 1219, (256, 512), "Phantom Black/Cream/Green/Lavender", '6.6" AMOLED 120 Hz', "Snapdragon 8 Gen 2", "50 MP triple", 4700),
    ("Galaxy S23 Ultra", 2023, 1419, (256, 512, 1024), "Phantom Black/Cream/Green/Lavender", '6.8" AMOLED 120 Hz', "Snapdragon 8 Gen 2", "200 MP quad", 5000),
    ("Galaxy S23 FE", 2023, 699, (128, 256), "Mint/Cream/Graphite/Purple", '6.4" AMOLED 120 Hz', "Exynos 2200", "50 MP triple", 4500),
    ("Galaxy S24", 2024, 899, (128, 256), "Onyx Black/Marble Grey/Cobalt Violet/Amber Yellow", '6.2" AMOLED 120 Hz', "Exynos 2400", "50 MP triple", 4000),
    ("Galaxy S24+", 2024, 1169, (256, 512), "Onyx Black/Marble Grey/Cobalt Violet/Amber Yellow", '6.7" AMOLED 120 Hz', "Exynos 2400", "50 MP triple", 4900),
    ("Galaxy S24 Ultra", 2024, 1469, (256, 512, 1024), "Titanium Black/Titanium Grey/Titanium Violet/Titanium Yellow", '6.8" AMOLED 120 Hz', "Snapdragon 8 Gen 3", "200 MP quad", 5000),
    ("Galaxy S24 FE", 2024, 799, (128, 256), "Blue/Graphite/Grey/Mint/Yellow", '6.7" AMOLED 120 Hz', "Exynos 2400e", "50 MP triple", 4700),
    ("Galaxy Z Fold3", 2021, 1799, (256, 512), "Phantom Black/Phantom Green/Phantom Silver", '7.6" foldable AMOLED', "Snapdragon 888", "12 MP triple", 4400),
    ("Galaxy Z Flip3", 2021, 1059, (128, 256), "Cream/Green/Lavender/Phantom Black", '6.7" foldable AMOLED', "Snapdragon 888", "12 MP dual", 3300),
    ("Galaxy Z Fold4", 2022, 1799, (256, 512, 1024), "Graygreen/Phantom Black/Beige", '7.6" foldable AMOLED', "Snapdragon 8+ Gen 1", "50 MP triple", 4400),
    ("Galaxy Z Flip4", 2022, 1109, (128, 256, 512), "Bora Purple/Graphite/Pink Gold/Blue", '6.7" foldable AMOLED', "Snapdragon 8+ Gen 1", "12 MP dual", 3700),
    ("Galaxy Z Fold5", 2023, 1899, (256, 512, 1024), "Icy Blue/Phantom Black/Cream", '7.6" foldable AMOLED', "Snapdragon 8 Gen 2", "50 MP triple", 4400),
    ("Galaxy Z Flip5", 2023, 1199, (256, 512), "Mint/Graphite/Cream/Lavender", '6.7" foldable AMOLED', "Snapdragon 8 Gen 2", "12 MP dual", 3700),
    ("Galaxy Z Fold6", 2024, 1999, (256, 512, 1024), "Silver Shadow/Pink/Navy", '7.6" foldable AMOLED', "Snapdragon 8 Gen 3", "50 MP triple", 4400),
    ("Galaxy Z Flip6", 2024, 1199, (256, 512), "Blue/Silver Shadow/Mint/Yellow", '6.7" foldable AMOLED', "Snapdragon 8 Gen 3", "50 MP dual", 4000),
    ("Galaxy A12", 2020, 179, (32, 64, 128), "Black/White/Blue/Red", '6.5" LCD', "Helio P35", "48 MP quad", 5000),
    ("Galaxy A13", 2022, 199, (64, 128), "Black/White/Blue/Peach", '6.6" LCD', "Exynos 850", "50 MP quad", 5000),
    ("Galaxy A14", 2023, 199, (64, 128), "Black/Silver/Light Green/Dark Red", '6.6" LCD', "Exynos 850", "50 MP triple", 5000),
    ("Galaxy A15 5G", 2024, 249, (128,), "Blue Black/Light Blue/Yellow", '6.5" AMOLED', "Dimensity 6100+", "50 MP triple", 5000),
    ("Galaxy A32", 2021, 279, (128,), "Awesome Black/Awesome White/Awesome Blue/Awesome Violet", '6.4" AMOLED', "Helio G80", "64 MP quad", 5000),
    ("Galaxy A33 5G", 2022, 369, (128,), "Awesome Black/Awesome White/Awesome Blue/Awesome Peach", '6.4" AMOLED', "Exynos 1280", "48 MP quad", 5000),
    ("Galaxy A34 5G", 2023, 389, (128, 256), "Awesome Graphite/Awesome Silver/Awesome Lime/Awesome Violet", '6.6" AMOLED', "Dimensity 1080", "48 MP triple", 5000),
    ("Galaxy A35 5G", 2024, 379, (128, 256), "Awesome Navy/Awesome Iceblue/Awesome Lilac/Awesome Lemon", '6.6" AMOLED', "Exynos 1380", "50 MP triple", 5000),
    ("Galaxy A52", 2021, 369, (128, 256), "Awesome Black/Awesome White/Awesome Blue/Awesome Violet", '6.5" AMOLED 90 Hz', "Snapdragon 720G", "64 MP quad", 4500),
    ("Galaxy A53 5G", 2022, 449, (128, 256), "Awesome Black/Awesome White/Awesome Blue/Awesome Peach", '6.5" AMOLED 120 Hz', "Exynos 1280", "64 MP quad", 5000),
    ("Galaxy A54 5G", 2023, 489, (128, 256), "Awesome Graphite/Awesome White/Awesome Lime/Awesome Violet", '6.4" AMOLED 120 Hz', "Exynos 1380", "50 MP triple", 5000),
    ("Galaxy A55 5G", 2024, 479, (128, 256), "Awesome Navy/Awesome Iceblue/Awesome Lilac/Awesome Lemon", '6.6" AMOLED 120 Hz', "Exynos 1480", "50 MP triple", 5000),
    ("Galaxy A71", 2020, 469, (128,), "Prism Crush Black/Prism Crush Silver/Prism Crush Blue", '6.7" AMOLED', "Snapdragon 730", "64 MP quad", 4500),
    ("Galaxy A72", 2021, 449, (128, 256), "Awesome Black/Awesome White/Awesome Blue/Awesome Violet", '6.7" AMOLED 90 Hz', "Snapdragon 720G", "64 MP quad", 5000),
]

GOOGLE: list[Row] = [
    ("Pixel 4a", 2020, 349, (128,), "Just Black", '5.8" OLED', "Snapdragon 730G", "12.2 MP", 3140),
    ("Pixel 5", 2020, 629, (128,), "Just Black/Sorta Sage", '6.0" OLED 90 Hz', "Snapdragon 765G", "12.2 MP dual", 4080),
    ("Pixel 6", 2021, 649, (128, 256), "Stormy Black/Sorta Seafoam/Kinda Coral", '6.4" OLED 90 Hz', "Google Tensor", "50 MP dual", 4614),
    ("Pixel 6 Pro", 2021, 899, (128, 256), "Stormy Black/Cloudy White/Sorta Sunny", '6.7" OLED 120 Hz', "Google Tensor", "50 MP triple", 5003),
    ("Pixel 6a", 2022, 459, (128,), "Charcoal/Chalk/Sage", '6.1" OLED', "Google Tensor", "12.2 MP dual", 4410),
    ("Pixel 7", 2022, 649, (128, 256), "Obsidian/Snow/Lemongrass", '6.3" OLED 90 Hz', "Google Tensor G2", "50 MP dual", 4355),
    ("Pixel 7 Pro", 2022, 899, (128, 256, 512), "Obsidian/Snow/Hazel", '6.7" OLED 120 Hz', "Google Tensor G2", "50 MP triple", 5000),
    ("Pixel 7a", 2023, 509, (128,), "Charcoal/Snow/Sea/Coral", '6.1" OLED 90 Hz', "Google Tensor G2", "64 MP dual", 4385),
    ("Pixel 8", 2023, 799, (128, 256), "Obsidian/Hazel/Rose/Mint", '6.2" OLED 120 Hz', "Google Tensor G3", "50 MP dual", 4575),
    ("Pixel 8 Pro", 2023, 1099, (128, 256, 512), "Obsidian/Porcelain/Bay/Mint", '6.7" OLED 120 Hz', "Google Tensor G3", "50 MP triple", 5050),
    ("Pixel 8a", 2024, 549, (128, 256), "Obsidian/Porcelain/Bay/Aloe", '6.1" OLED 120 Hz', "Google Tensor G3", "64 MP dual", 4492),
    ("Pixel 9", 2024, 899, (128, 256), "Obsidian/Porcelain/Wintergreen/Peony", '6.3" OLED 120 Hz', "Google Tensor G4", "50 MP dual", 4700),
    ("Pixel 9 Pro", 2024, 1099, (128, 256, 512), "Obsidian/Porcelain/Hazel/Rose Quartz", '6.3" OLED 120 Hz', "Google Tensor G4", "50 MP triple", 4700),
    ("Pixel 9 Pro XL", 2024, 1199, (128, 256, 512), "Obsidian/Porcelain/Hazel/Rose Quartz", '6.8" OLED 120 Hz', "Google Tensor G4", "50 MP triple", 5060),
    ("Pixel 9 Pro Fold", 2024, 1899, (256, 512), "Obsidian/Porcelain", '8.0" foldable OLED', "Google Tensor G4", "48 MP triple", 4650),
]

XIAOMI: list[Row] = [
    ("Mi 11", 2021, 749, (128, 256), "Midnight Gray/Horizon Blue/Cloud White", '6.81" AMOLED 120 Hz', "Snapdragon 888", "108 MP triple", 4600),
    ("11T", 2021, 549, (128, 256), "Meteorite Gray/Celestial Blue/Moonlight White", '6.67" AMOLED 120 Hz', "Dimensity 1200-Ultra", "108 MP triple", 5000),
    ("11T Pro", 2021, 649, (128, 256), "Meteorite Gray/Celestial Blue/Moonlight White", '6.67" AMOLED 120 Hz', "Snapdragon 888", "108 MP triple", 5000),
    ("12", 2022, 899, (128, 256), "Gray/Blue/Purple", '6.28" AMOLED 120 Hz', "Snapdragon 8 Gen 1", "50 MP triple", 4500),
    ("12T", 2022, 599, (128, 256), "Black/Silver/Blue", '6.67" AMOLED 120 Hz', "Dimensity 8100-Ultra", "108 MP triple", 5000),
    ("12T Pro", 2022, 749, (256,), "Black/Silver/Blue", '6.67" AMOLED 120 Hz', "Snapdragon 8+ Gen 1", "200 MP triple", 5000),
    ("13", 2023, 999, (256,), "Black/White/Flora Green", '6.36" AMOLED 120 Hz', "Snapdragon 8 Gen 2", "50 MP triple", 4500),
    ("13T", 2023, 649, (256,), "Black/Meadow Green/Alpine Blue", '6.67" AMOLED 144 Hz', "Dimensity 8200-Ultra", "50 MP triple", 5000),
    ("13T Pro", 2023, 799, (512,), "Black/Meadow Green/Alpine Blue", '6.67" AMOLED 144 Hz', "Dimensity 9200+", "50 MP triple", 5000),
    ("14", 2024, 999, (256, 512), "Black/White/Jade Green", '6.36" AMOLED 120 Hz', "Snapdragon 8 Gen 3", "50 MP triple", 4610),
    ("14T", 2024, 649, (256, 512), "Titan Black/Titan Gray/Titan Blue/Lemon Green", '6.67" AMOLED 144 Hz', "Dimensity 8300-Ultra", "50 MP triple", 5000),
    ("14 Ultra", 2024, 1499, (512,), "Black/White", '6.73" AMOLED 120 Hz', "Snapdragon 8 Gen 3", "50 MP quad", 5000),
    ("Redmi Note 10", 2021, 199, (64, 128), "Onyx Gray/Pebble White/Lake Green", '6.43" AMOLED', "Snapdragon 678", "48 MP quad", 5000),
    ("Redmi Note 10 Pro", 2021, 279, (64, 128), "Onyx Gray/Glacier Blue/Gradient Bronze", '6.67" AMOLED 120 Hz', "Snapdragon 732G", "108 MP quad", 5020),
    ("Redmi Note 11", 2022, 199, (64, 128), "Graphite Gray/Twilight Blue/Star Blue", '6.43" AMOLED 90 Hz', "Snapdragon 680", "50 MP quad", 5000),
    ("Redmi Note 11 Pro 5G", 2022, 349, (64, 128), "Graphite Gray/Polar White/Atlantic Blue", '6.67" AMOLED 120 Hz', "Snapdragon 695", "108 MP triple", 5000),
    ("Redmi Note 12", 2023, 229, (64, 128), "Onyx Gray/Ice Blue/Mint Green", '6.67" AMOLED 120 Hz', "Snapdragon 685", "50 MP triple", 5000),
    ("Redmi Note 12 Pro 5G", 2023, 399, (128, 256), "Midnight Black/Polar White/Sky Blue", '6.67" OLED 120 Hz', "Dimensity 1080", "50 MP triple", 5000),
    ("Redmi Note 13", 2024, 199, (128, 256), "Midnight Black/Mint Green/Ice Blue/Ocean Sunset", '6.67" AMOLED 120 Hz', "Snapdragon 685", "108 MP triple", 5000),
    ("Redmi Note 13 Pro 5G", 2024, 399, (256, 512), "Midnight Black/Aurora Purple/Ocean Teal", '6.67" AMOLED 120 Hz', "Snapdragon 7s Gen 2", "200 MP triple", 5100),
]

ONEPLUS: list[Row] = [
    ("8", 2020, 699, (128, 256), "Onyx Black/Glacial Green/Interstellar Glow", '6.55" AMOLED 90 Hz', "Snapdragon 865", "48 MP triple", 4300),
    ("8 Pro", 2020, 899, (128, 256), "Onyx Black/Glacial Green/Ultramarine Blue", '6.78" AMOLED 120 Hz', "Snapdragon 865", "48 MP quad", 4510),
    ("8T", 2020, 599, (128, 256), "Aquamarine Green/Lunar Silver", '6.55" AMOLED 120 Hz', "Snapdragon 865", "48 MP quad", 4500),
    ("9", 2021, 709, (128, 256), "Winter Mist/Arctic Sky/Astral Black", '6.55" AMOLED 120 Hz', "Snapdragon 888", "48 MP triple", 4500),
    ("9 Pro", 2021, 919, (128, 256), "Morning Mist/Pine Green/Stellar Black", '6.7" AMOLED 120 Hz', "Snapdragon 888", "48 MP quad", 4500),
    ("10 Pro", 2022, 919, (128, 256), "Volcanic Black/Emerald Forest", '6.7" AMOLED 120 Hz', "Snapdragon 8 Gen 1", "48 MP triple", 5000),
    ("10T", 2022, 649, (128, 256), "Moonstone Black/Jade Green", '6.7" AMOLED 120 Hz', "Snapdragon 8+ Gen 1", "50 MP triple", 4800),
    ("11", 2023, 849, (128, 256), "Titan Black/Eternal Green", '6.7" AMOLED 120 Hz', "Snapdragon 8 Gen 2", "50 MP triple", 5000),
    ("12", 2024, 969, (256, 512), "Silky Black/Flowy Emerald", '6.82" AMOLED 120 Hz', "Snapdragon 8 Gen 3", "50 MP triple", 5400),
    ("12R", 2024, 699, (128, 256), "Iron Gray/Cool Blue", '6.78" AMOLED 120 Hz', "Snapdragon 8 Gen 2", "50 MP triple", 5500),
    ("Nord 2 5G", 2021, 399, (128, 256), "Blue Haze/Gray Sierra", '6.43" AMOLED 90 Hz', "Dimensity 1200-AI", "50 MP triple", 4500),
    ("Nord 3 5G", 2023, 449, (128, 256), "Misty Green/Tempest Gray", '6.74" AMOLED 120 Hz', "Dimensity 9000", "50 MP triple", 5000),
    ("Nord CE 3 Lite 5G", 2023, 329, (128, 256), "Pastel Lime/Chromatic Gray", '6.72" LCD 120 Hz', "Snapdragon 695", "108 MP triple", 5000),
]

OTHERS: list[tuple[str, Row]] = [
    ("Huawei", ("P20 Pro", 2018, 899, (128,), "Black/Twilight/Midnight Blue", '6.1" OLED', "Kirin 970", "40 MP triple", 4000)),
    ("Huawei", ("Mate 20 Pro", 2018, 1049, (128,), "Black/Twilight/Emerald Green", '6.39" OLED', "Kirin 980", "40 MP triple", 4200)),
    ("Huawei", ("P30", 2019, 799, (128,), "Black/Breathing Crystal/Aurora", '6.1" OLED', "Kirin 980", "40 MP triple", 3650)),
    ("Huawei", ("P30 Pro", 2019, 999, (128, 256), "Black/Breathing Crystal/Aurora", '6.47" OLED', "Kirin 980", "40 MP quad", 4200)),
    ("Huawei", ("P40", 2020, 799, (128,), "Black/Silver Frost/Deep Sea Blue", '6.1" OLED', "Kirin 990 5G", "50 MP triple", 3800)),
    ("Huawei", ("P40 Pro", 2020, 999, (256,), "Black/Silver Frost/Deep Sea Blue", '6.58" OLED 90 Hz', "Kirin 990 5G", "50 MP quad", 4200)),
    ("Sony", ("Xperia 1 III", 2021, 1299, (256,), "Frosted Black/Frosted Purple", '6.5" OLED 120 Hz', "Snapdragon 888", "12 MP triple", 4500)),
    ("Sony", ("Xperia 1 IV", 2022, 1399, (256,), "Black/Purple", '6.5" OLED 120 Hz', "Snapdragon 8 Gen 1", "12 MP triple", 5000)),
    ("Sony", ("Xperia 1 V", 2023, 1399, (256,), "Black/Khaki Green", '6.5" OLED 120 Hz', "Snapdragon 8 Gen 2", "48 MP triple", 5000)),
    ("Sony", ("Xperia 5 III", 2021, 999, (128,), "Black/Green/Pink", '6.1" OLED 120 Hz', "Snapdragon 888", "12 MP triple", 4500)),
    ("Sony", ("Xperia 5 IV", 2022, 1049, (128,), "Black/Green/Ecru White", '6.1" OLED 120 Hz', "Snapdragon 8 Gen 1", "12 MP triple", 5000)),
    ("Sony", ("Xperia 10 IV", 2022, 499, (128,), "Black/White/Mint/Lavender", '6.0" OLED', "Snapdragon 695", "12 MP triple", 5000)),
    ("Sony", ("Xperia 10 V", 2023, 449, (128,), "Black/White/Lavender/Sage Green", '6.1" OLED', "Snapdragon 695", "48 MP triple", 5000)),
    ("Motorola", ("Moto G54 5G", 2023, 229, (256,), "Midnight Blue/Mint Green/Pearl Blue", '6.5" LCD 120 Hz', "Dimensity 7020", "50 MP dual", 6000)),
    ("Motorola", ("Moto G84 5G", 2023, 299, (256,), "Midnight Blue/Marshmallow Blue/Viva Magenta", '6.55" OLED 120 Hz', "Snapdragon 695", "50 MP dual", 5000)),
    ("Motorola", ("Edge 30", 2022, 449, (128,), "Meteor Grey/Aurora Green", '6.5" OLED 144 Hz', "Snapdragon 778G+", "50 MP triple", 4020)),
    ("Motorola", ("Edge 40", 2023, 599, (256,), "Eclipse Black/Nebula Green/Lunar Blue", '6.55" OLED 144 Hz', "Dimensity 8020", "50 MP dual", 4400)),
    ("Motorola", ("Edge 40 Pro", 2023, 899, (256,), "Interstellar Black/Lunar Blue", '6.67" OLED 165 Hz', "Snapdragon 8 Gen 2", "50 MP triple", 4600)),
    ("Motorola", ("Edge 50 Pro", 2024, 699, (512,), "Black Beauty/Moonlight Pearl/Luxe Lavender", '6.7" OLED 144 Hz', "Snapdragon 7 Gen 3", "50 MP triple", 4500)),
    ("Motorola", ("Razr 40", 2023, 699, (256,), "Sage Green/Summer Lilac/Vanilla Cream", '6.9" foldable OLED', "Snapdragon 7 Gen 1", "64 MP", 4200)),
    ("Motorola", ("Razr 40 Ultra", 2023, 1199, (256,), "Infinite Black/Glacier Blue/Viva Magenta", '6.9" foldable OLED', "Snapdragon 8+ Gen 1", "12 MP dual", 3800)),
    ("Nothing", ("Phone (1)", 2022, 469, (128, 256), "Black/White", '6.55" OLED 120 Hz', "Snapdragon 778G+", "50 MP dual", 4500)),
    ("Nothing", ("Phone (2)", 2023, 679, (128, 256, 512), "Dark Grey/White", '6.7" OLED 120 Hz', "Snapdragon 8+ Gen 1", "50 MP dual", 4700)),
    ("Nothing", ("Phone (2a)", 2024, 329, (128, 256), "Black/White", '6.7" OLED 120 Hz', "Dimensity 7200 Pro", "50 MP dual", 5000)),
    ("Fairphone", ("Fairphone 3", 2019, 450, (64,), "Black", '5.65" LCD', "Snapdragon 632", "12 MP", 3000)),
    ("Fairphone", ("Fairphone 3+", 2020, 469, (64,), "Black", '5.65" LCD', "Snapdragon 632", "48 MP", 3000)),
    ("Fairphone", ("Fairphone 4", 2021, 579, (128, 256), "Grey/Green/Speckled Green", '6.3" LCD', "Snapdragon 750G", "48 MP dual", 3905)),
    ("Fairphone", ("Fairphone 5", 2023, 699, (256,), "Matte Black/Sky Blue/Transparent", '6.46" OLED 90 Hz', "Qualcomm QCM6490", "50 MP dual", 4200)),
]
# fmt: on


def phone(brand: str, row: Row) -> ModelSpec:
    """Build a smartphone from one row of the tables above."""
    name, year, price, storages, colour_list, screen, processor, camera, battery = row
    return ModelSpec(
        category="smartphones",
        brand=brand,
        name=name,
        year=year,
        price=price,
        storages=storages,
        colours=colours(colour_list),
        connectivity=("Unlocked",),
        specs=(
            ("Screen", screen),
            ("Processor", processor),
            ("Main camera", camera),
            ("Battery", f"{battery} mAh"),
        ),
    )


def models() -> list[ModelSpec]:
    """Return the reference smartphones."""
    tables = [
        ("Apple", APPLE),
        ("Samsung", SAMSUNG),
        ("Google", GOOGLE),
        ("Xiaomi", XIAOMI),
        ("OnePlus", ONEPLUS),
    ]
    found = [phone(brand, row) for brand, rows in tables for row in rows]
    return found + [phone(brand, row) for brand, row in OTHERS]
