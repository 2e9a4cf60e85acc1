"""Real laptops and desktops: memory, storage, colours, keyboard layouts and specifications."""

# ruff: noqa: E501

from __future__ import annotations

from recommerce.demo.data import ModelSpec, colours

# fmt: off
# brand, name, year, launch price (EUR), RAM (GB), storage (GB), colours, screen, processor, graphics, battery life, weight
Laptop = tuple[str, str, int, int, tuple[int, ...], tuple[int, ...], str, str, str, str, str, str]

LAPTOPS: list[Laptop] = [
    ("Apple", 'MacBook Air 13" (2019)', 2019, 1249, (8, 16), (128, 256), "Space Grey/Silver/Gold", '13.3" Retina', "Intel Core i5 1.6 GHz", "Intel UHD 617", "Up to 12 h", "1.25 kg"),
    ("Apple", 'MacBook Air 13" (2020, Intel)', 2020, 1199, (8, 16), (256, 512), "Space Grey/Silver/Gold", '13.3" Retina', "Intel Core i3 1.1 GHz", "Intel Iris Plus", "Up to 11 h", "1.29 kg"),
    ("Apple", 'MacBook Air 13" M1 (2020)', 2020, 1129, (8, 16), (256, 512, 1024), "Space Grey/Silver/Gold", '13.3" Retina', "Apple M1, 8-core CPU", "7-core GPU", "Up to 18 h", "1.29 kg"),
    ("Apple", 'MacBook Air 13" M2 (2022)', 2022, 1499, (8, 16, 24), (256, 512, 1024), "Midnight/Starlight/Space Grey/Silver", '13.6" Liquid Retina', "Apple M2, 8-core CPU", "8-core GPU", "Up to 18 h", "1.24 kg"),
    ("Apple", 'MacBook Air 15" M2 (2023)', 2023, 1599, (8, 16, 24), (256, 512, 1024), "Midnight/Starlight/Space Grey/Silver", '15.3" Liquid Retina', "Apple M2, 8-core CPU", "10-core GPU", "Up to 18 h", "1.51 kg"),
    ("Apple", 'MacBook Air 13" M3 (2024)', 2024, 1299, (8, 16, 24), (256, 512, 1024), "Midnight/Starlight/Space Grey/Silver", '13.6" Liquid Retina', "Apple M3, 8-core CPU", "8-core GPU", "Up to 18 h", "1.24 kg"),
    ("Apple", 'MacBook Air 15" M3 (2024)', 2024, 1599, (8, 16, 24), (256, 512, 1024), "Midnight/Starlight/Space Grey/Silver", '15.3" Liquid Retina', "Apple M3, 8-core CPU", "10-core GPU", "Up to 18 h", "1.51 kg"),
    ("Apple", 'MacBook Air 13" M4 (2025)', 2025, 1199, (16, 24, 32), (256, 512, 1024), "Midnight/Starlight/Silver/Sky Blue", '13.6" Liquid Retina', "Apple M4, 10-core CPU", "8-core GPU", "Up to 18 h", "1.24 kg"),
    ("Apple", 'MacBook Pro 16" (2019)', 2019, 2699, (16, 32), (512, 1024), "Space Grey/Silver", '16" Retina', "Intel Core i7 2.6 GHz", "AMD Radeon Pro 5300M", "Up to 11 h", "2.0 kg"),
    ("Apple", 'MacBook Pro 13" (2020, Intel)', 2020, 1999, (16, 32), (512, 1024), "Space Grey/Silver", '13.3" Retina', "Intel Core i5 2.0 GHz", "Intel Iris Plus", "Up to 10 h", "1.4 kg"),
    ("Apple", 'MacBook Pro 13" M1 (2020)', 2020, 1449, (8, 16), (256, 512, 1024), "Space Grey/Silver", '13.3" Retina', "Apple M1, 8-core CPU", "8-core GPU", "Up to 20 h", "1.4 kg"),
    ("Apple", 'MacBook Pro 13" M2 (2022)', 2022, 1599, (8, 16, 24), (256, 512, 1024), "Space Grey/Silver", '13.3" Retina', "Apple M2, 8-core CPU", "10-core GPU", "Up to 20 h", "1.4 kg"),
    ("Apple", 'MacBook Pro 14" M1 Pro (2021)', 2021, 2249, (16, 32), (512, 1024), "Space Grey/Silver", '14.2" Liquid Retina XDR', "Apple M1 Pro, 8-core CPU", "14-core GPU", "Up to 17 h", "1.6 kg"),
    ("Apple", 'MacBook Pro 14" M1 Max (2021)', 2021, 3449, (32, 64), (1024, 2048), "Space Grey/Silver", '14.2" Liquid Retina XDR', "Apple M1 Max, 10-core CPU", "24-core GPU", "Up to 17 h", "1.6 kg"),
    ("Apple", 'MacBook Pro 16" M1 Pro (2021)', 2021, 2749, (16, 32), (512, 1024), "Space Grey/Silver", '16.2" Liquid Retina XDR', "Apple M1 Pro, 10-core CPU", "16-core GPU", "Up to 21 h", "2.1 kg"),
    ("Apple", 'MacBook Pro 16" M1 Max (2021)', 2021, 3749, (32, 64), (1024, 2048), "Space Grey/Silver", '16.2" Liquid Retina XDR', "Apple M1 Max, 10-core CPU", "32-core GPU", "Up to 21 h", "2.2 kg"),
    ("Apple", 'MacBook Pro 14" M2 Pro (2023)', 2023, 2499, (16, 32), (512, 1024), "Space Grey/Silver", '14.2" Liquid Retina XDR', "Apple M2 Pro, 10-core CPU", "16-core GPU", "Up to 18 h", "1.6 kg"),
    ("Apple", 'MacBook Pro 14" M2 Max (2023)', 2023, 3699, (32, 64), (1024, 2048), "Space Grey/Silver", '14.2" Liquid Retina XDR', "Apple M2 Max, 12-core CPU", "30-core GPU", "Up to 18 h", "1.6 kg"),
    ("Apple", 'MacBook Pro 16" M2 Pro (2023)', 2023, 2999, (16, 32), (512, 1024), "Space Grey/Silver", '16.2" Liquid Retina XDR', "Apple M2 Pro, 12-core CPU", "19-core GPU", "Up to 22 h", "2.15 kg"),
    ("Apple", 'MacBook Pro 14" M3 (2023)', 2023, 1999, (8, 16, 24), (512, 1024), "Space Grey/Silver", '14.2" Liquid Retina XDR', "Apple M3, 8-core CPU", "10-core GPU", "Up to 22 h", "1.55 kg"),
    ("Apple", 'MacBook Pro 14" M3 Pro (2023)', 2023, 2499, (18, 36), (512, 1024), "Space Black/Silver", '14.2" Liquid Retina XDR', "Apple M3 Pro, 11-core CPU", "14-core GPU", "Up to 18 h", "1.61 kg"),
    ("Apple", 'MacBook Pro 16" M3 Pro (2023)', 2023, 2999, (18, 36), (512, 1024), "Space Black/Silver", '16.2" Liquid Retina XDR', "Apple M3 Pro, 12-core CPU", "18-core GPU", "Up to 22 h", "2.14 kg"),
    ("Apple", 'MacBook Pro 16" M3 Max (2023)', 2023, 4299, (36, 48), (1024, 2048), "Space Black/Silver", '16.2" Liquid Retina XDR', "Apple M3 Max, 14-core CPU", "30-core GPU", "Up to 22 h", "2.16 kg"),
    ("Apple", 'MacBook Pro 14" M4 (2024)', 2024, 1899, (16, 24), (512, 1024), "Space Black/Silver", '14.2" Liquid Retina XDR', "Apple M4, 10-core CPU", "10-core GPU", "Up to 24 h", "1.55 kg"),
    ("Lenovo", "ThinkPad T14 Gen 1", 2020, 1299, (8, 16), (256, 512), "Black", '14" FHD IPS', "Intel Core i5-10210U", "Intel UHD", "Up to 14 h", "1.47 kg"),
    ("Lenovo", "ThinkPad T14 Gen 2", 2021, 1349, (8, 16), (256, 512), "Black", '14" FHD IPS', "Intel Core i5-1135G7", "Intel Iris Xe", "Up to 13 h", "1.47 kg"),
    ("Lenovo", "ThinkPad T14 Gen 3", 2022, 1399, (16, 32), (256, 512), "Thunder Black", '14" WUXGA IPS', "Intel Core i5-1235U", "Intel Iris Xe", "Up to 12 h", "1.37 kg"),
    ("Lenovo", "ThinkPad T14 Gen 4", 2023, 1449, (16, 32), (512, 1024), "Thunder Black", '14" WUXGA IPS', "Intel Core i5-1335U", "Intel Iris Xe", "Up to 12 h", "1.37 kg"),
    ("Lenovo", "ThinkPad T14s Gen 2", 2021, 1549, (16, 32), (256, 512), "Black", '14" FHD IPS', "Intel Core i5-1145G7", "Intel Iris Xe", "Up to 14 h", "1.27 kg"),
    ("Lenovo", "ThinkPad T14s Gen 3", 2022, 1649, (16, 32), (512, 1024), "Thunder Black", '14" WUXGA IPS', "Intel Core i5-1245U", "Intel Iris Xe", "Up to 13 h", "1.22 kg"),
    ("Lenovo", "ThinkPad T14s Gen 4", 2023, 1699, (16, 32), (512, 1024), "Deep Black", '14" WUXGA IPS', "Intel Core i5-1345U", "Intel Iris Xe", "Up to 13 h", "1.22 kg"),
    ("Lenovo", "ThinkPad X1 Carbon Gen 8", 2020, 1899, (8, 16), (256, 512), "Black", '14" FHD IPS', "Intel Core i5-10210U", "Intel UHD", "Up to 15 h", "1.09 kg"),
    ("Lenovo", "ThinkPad X1 Carbon Gen 9", 2021, 1999, (16, 32), (512, 1024), "Black", '14" WUXGA IPS', "Intel Core i5-1145G7", "Intel Iris Xe", "Up to 16 h", "1.13 kg"),
    ("Lenovo", "ThinkPad X1 Carbon Gen 10", 2022, 2099, (16, 32), (512, 1024), "Black", '14" WUXGA IPS', "Intel Core i7-1260P", "Intel Iris Xe", "Up to 15 h", "1.12 kg"),
    ("Lenovo", "ThinkPad X1 Carbon Gen 11", 2023, 2199, (16, 32), (512, 1024), "Deep Black", '14" WUXGA IPS', "Intel Core i7-1365U", "Intel Iris Xe", "Up to 15 h", "1.12 kg"),
    ("Lenovo", "ThinkPad X13 Gen 2", 2021, 1299, (8, 16), (256, 512), "Black", '13.3" WUXGA IPS', "Intel Core i5-1145G7", "Intel Iris Xe", "Up to 13 h", "1.2 kg"),
    ("Lenovo", "ThinkPad X13 Gen 3", 2022, 1399, (16, 32), (512, 1024), "Thunder Black", '13.3" WUXGA IPS', "Intel Core i5-1245U", "Intel Iris Xe", "Up to 12 h", "1.19 kg"),
    ("Lenovo", "ThinkPad E14 Gen 2", 2021, 799, (8, 16), (256, 512), "Black", '14" FHD IPS', "Intel Core i5-1135G7", "Intel Iris Xe", "Up to 10 h", "1.59 kg"),
    ("Lenovo", "ThinkPad E14 Gen 4", 2022, 849, (8, 16), (256, 512), "Black", '14" FHD IPS', "Intel Core i5-1235U", "Intel Iris Xe", "Up to 10 h", "1.64 kg"),
    ("Lenovo", "IdeaPad Slim 5 14", 2022, 799, (8, 16), (512,), "Abyss Blue/Cloud Grey", '14" WUXGA OLED', "AMD Ryzen 5 5625U", "AMD Radeon", "Up to 12 h", "1.39 kg"),
    ("Lenovo", "Yoga Slim 7 Pro 14", 2022, 1099, (16,), (512, 1024), "Storm Grey", '14" 2.8K OLED 90 Hz', "AMD Ryzen 7 6800HS", "AMD Radeon 680M", "Up to 11 h", "1.45 kg"),
    ("Lenovo", "Legion 5 Pro 16", 2022, 1699, (16, 32), (512, 1024), "Storm Grey", '16" WQXGA 165 Hz', "AMD Ryzen 7 6800H", "NVIDIA GeForce RTX 3070", "Up to 8 h", "2.49 kg"),
    ("Dell", "XPS 13 9300", 2020, 1399, (8, 16), (256, 512), "Platinum Silver/Frost White", '13.4" FHD+', "Intel Core i5-1035G1", "Intel UHD", "Up to 14 h", "1.2 kg"),
    ("Dell", "XPS 13 9310", 2021, 1499, (8, 16), (256, 512), "Platinum Silver/Frost White", '13.4" FHD+', "Intel Core i7-1165G7", "Intel Iris Xe", "Up to 14 h", "1.2 kg"),
    ("Dell", "XPS 13 9315", 2022, 1199, (8, 16), (256, 512), "Sky/Umber", '13.4" FHD+', "Intel Core i5-1230U", "Intel Iris Xe", "Up to 12 h", "1.17 kg"),
    ("Dell", "XPS 13 Plus 9320", 2022, 1599, (16, 32), (512, 1024), "Platinum/Graphite", '13.4" FHD+', "Intel Core i7-1260P", "Intel Iris Xe", "Up to 12 h", "1.26 kg"),
    ("Dell", "XPS 13 9340", 2024, 1499, (16, 32), (512, 1024), "Platinum/Graphite", '13.4" FHD+ 120 Hz', "Intel Core Ultra 7 155H", "Intel Arc", "Up to 14 h", "1.19 kg"),
    ("Dell", "XPS 15 9500", 2020, 1899, (16, 32), (512, 1024), "Platinum Silver", '15.6" FHD+', "Intel Core i7-10750H", "NVIDIA GeForce GTX 1650 Ti", "Up to 10 h", "1.83 kg"),
    ("Dell", "XPS 15 9510", 2021, 1999, (16, 32), (512, 1024), "Platinum Silver", '15.6" FHD+', "Intel Core i7-11800H", "NVIDIA GeForce RTX 3050 Ti", "Up to 10 h", "1.86 kg"),
    ("Dell", "XPS 15 9520", 2022, 2099, (16, 32), (512, 1024), "Platinum Silver", '15.6" 3.5K OLED', "Intel Core i7-12700H", "NVIDIA GeForce RTX 3050 Ti", "Up to 10 h", "1.86 kg"),
    ("Dell", "XPS 15 9530", 2023, 2199, (16, 32), (512, 1024), "Platinum Silver", '15.6" FHD+', "Intel Core i7-13700H", "NVIDIA GeForce RTX 4050", "Up to 10 h", "1.86 kg"),
    ("Dell", "Latitude 5420", 2021, 1149, (8, 16), (256, 512), "Black", '14" FHD', "Intel Core i5-1145G7", "Intel Iris Xe", "Up to 12 h", "1.36 kg"),
    ("Dell", "Latitude 5430", 2022, 1199, (8, 16), (256, 512), "Black", '14" FHD', "Intel Core i5-1245U", "Intel Iris Xe", "Up to 12 h", "1.36 kg"),
    ("Dell", "Latitude 5440", 2023, 1249, (16, 32), (256, 512), "Black", '14" FHD', "Intel Core i5-1345U", "Intel Iris Xe", "Up to 12 h", "1.39 kg"),
    ("Dell", "Latitude 7420", 2021, 1699, (16, 32), (256, 512), "Carbon Fibre", '14" FHD', "Intel Core i7-1185G7", "Intel Iris Xe", "Up to 14 h", "1.22 kg"),
    ("Dell", "Latitude 7430", 2022, 1749, (16, 32), (512, 1024), "Carbon Fibre", '14" FHD', "Intel Core i7-1265U", "Intel Iris Xe", "Up to 14 h", "1.22 kg"),
    ("Dell", "Latitude 7440", 2023, 1799, (16, 32), (512, 1024), "Aluminium", '14" FHD+', "Intel Core i7-1365U", "Intel Iris Xe", "Up to 14 h", "1.2 kg"),
    ("Dell", "Inspiron 14 5420", 2022, 799, (8, 16), (512,), "Platinum Silver", '14" FHD+', "Intel Core i5-1235U", "Intel Iris Xe", "Up to 10 h", "1.54 kg"),
    ("Dell", "Inspiron 15 3520", 2022, 599, (8, 16), (256, 512), "Carbon Black", '15.6" FHD', "Intel Core i5-1235U", "Intel Iris Xe", "Up to 8 h", "1.65 kg"),
    ("HP", "EliteBook 840 G7", 2020, 1399, (8, 16), (256, 512), "Silver", '14" FHD', "Intel Core i5-10210U", "Intel UHD", "Up to 14 h", "1.35 kg"),
    ("HP", "EliteBook 840 G8", 2021, 1499, (8, 16), (256, 512), "Silver", '14" FHD', "Intel Core i5-1135G7", "Intel Iris Xe", "Up to 14 h", "1.32 kg"),
    ("HP", "EliteBook 840 G9", 2022, 1599, (16, 32), (512, 1024), "Silver", '14" WUXGA', "Intel Core i5-1245U", "Intel Iris Xe", "Up to 13 h", "1.36 kg"),
    ("HP", "EliteBook 840 G10", 2023, 1699, (16, 32), (512, 1024), "Silver", '14" WUXGA', "Intel Core i5-1345U", "Intel Iris Xe", "Up to 13 h", "1.36 kg"),
    ("HP", "EliteBook 850 G7", 2020, 1449, (8, 16), (256, 512), "Silver", '15.6" FHD', "Intel Core i5-10210U", "Intel UHD", "Up to 13 h", "1.78 kg"),
    ("HP", "EliteBook 850 G8", 2021, 1549, (8, 16), (256, 512), "Silver", '15.6" FHD', "Intel Core i5-1135G7", "Intel Iris Xe", "Up to 13 h", "1.75 kg"),
    ("HP", "ProBook 450 G8", 2021, 899, (8, 16), (256, 512), "Pike Silver", '15.6" FHD', "Intel Core i5-1135G7", "Intel Iris Xe", "Up to 10 h", "1.74 kg"),
    ("HP", "ProBook 450 G9", 2022, 949, (8, 16), (256, 512), "Pike Silver", '15.6" FHD', "Intel Core i5-1235U", "Intel Iris Xe", "Up to 10 h", "1.74 kg"),
    ("HP", "Spectre x360 14", 2021, 1599, (16,), (512, 1024), "Nightfall Black/Poseidon Blue", '13.5" 3K2K OLED', "Intel Core i7-1165G7", "Intel Iris Xe", "Up to 15 h", "1.36 kg"),
    ("HP", "Envy 13", 2021, 999, (8, 16), (512,), "Natural Silver", '13.3" FHD', "Intel Core i5-1135G7", "Intel Iris Xe", "Up to 14 h", "1.3 kg"),
    ("HP", "Pavilion 15", 2021, 749, (8, 16), (512,), "Natural Silver/Fog Blue", '15.6" FHD', "Intel Core i5-1135G7", "Intel Iris Xe", "Up to 8 h", "1.75 kg"),
    ("Asus", "ZenBook 14 UX425", 2020, 999, (8, 16), (512,), "Pine Grey/Lilac Mist", '14" FHD', "Intel Core i5-1135G7", "Intel Iris Xe", "Up to 16 h", "1.17 kg"),
    ("Asus", "Zenbook 14 OLED UX3402", 2022, 1099, (16,), (512, 1024), "Ponder Blue/Aqua Celadon", '14" 2.8K OLED 90 Hz', "Intel Core i5-1240P", "Intel Iris Xe", "Up to 12 h", "1.39 kg"),
    ("Asus", "ROG Zephyrus G14 (2021)", 2021, 1499, (16, 32), (512, 1024), "Moonlight White/Eclipse Grey", '14" QHD 120 Hz', "AMD Ryzen 9 5900HS", "NVIDIA GeForce RTX 3060", "Up to 10 h", "1.7 kg"),
    ("Asus", "ROG Zephyrus G14 (2022)", 2022, 1799, (16, 32), (512, 1024), "Moonlight White/Eclipse Grey", '14" QHD+ 120 Hz', "AMD Ryzen 9 6900HS", "AMD Radeon RX 6700S", "Up to 10 h", "1.72 kg"),
    ("Asus", "ROG Zephyrus G14 (2023)", 2023, 1999, (16, 32), (1024,), "Moonlight White/Eclipse Grey", '14" QHD+ 165 Hz', "AMD Ryzen 9 7940HS", "NVIDIA GeForce RTX 4060", "Up to 10 h", "1.72 kg"),
    ("Asus", "VivoBook 15 X1502", 2022, 649, (8, 16), (512,), "Quiet Blue/Icelight Silver", '15.6" FHD', "Intel Core i5-1235U", "Intel Iris Xe", "Up to 7 h", "1.7 kg"),
    ("Asus", "TUF Gaming A15 (2022)", 2022, 1099, (16,), (512, 1024), "Mecha Gray", '15.6" FHD 144 Hz', "AMD Ryzen 7 6800H", "NVIDIA GeForce RTX 3060", "Up to 8 h", "2.2 kg"),
    ("Acer", "Swift 3 SF314-511", 2021, 799, (8, 16), (512,), "Pure Silver", '14" FHD', "Intel Core i5-1135G7", "Intel Iris Xe", "Up to 16 h", "1.2 kg"),
    ("Acer", "Swift 5 SF514-55", 2021, 1199, (16,), (512, 1024), "Mist Green", '14" FHD touch', "Intel Core i7-1165G7", "Intel Iris Xe", "Up to 15 h", "1.05 kg"),
    ("Acer", "Swift Go 14", 2023, 899, (16,), (512, 1024), "Pure Silver", '14" 2.8K OLED 90 Hz', "Intel Core i5-13500H", "Intel Iris Xe", "Up to 10 h", "1.25 kg"),
    ("Acer", "Aspire 5 A515-57", 2022, 649, (8, 16), (512,), "Steel Gray", '15.6" FHD', "Intel Core i5-1235U", "Intel Iris Xe", "Up to 10 h", "1.76 kg"),
    ("Acer", "Nitro 5 AN515-58", 2022, 1099, (16,), (512,), "Obsidian Black", '15.6" FHD 144 Hz', "Intel Core i5-12500H", "NVIDIA GeForce RTX 3050 Ti", "Up to 6 h", "2.5 kg"),
    ("Acer", "Predator Helios 300 (2022)", 2022, 1599, (16, 32), (512, 1024), "Abyssal Black", '15.6" QHD 165 Hz', "Intel Core i7-12700H", "NVIDIA GeForce RTX 3070 Ti", "Up to 6 h", "2.6 kg"),
    ("Microsoft", 'Surface Laptop 3 13.5"', 2019, 1149, (8, 16), (128, 256, 512), "Platinum/Matte Black/Cobalt Blue/Sandstone", '13.5" PixelSense touch', "Intel Core i5-1035G7", "Intel Iris Plus", "Up to 11 h", "1.29 kg"),
    ("Microsoft", 'Surface Laptop 4 13.5"', 2021, 1149, (8, 16), (256, 512), "Platinum/Matte Black/Ice Blue/Sandstone", '13.5" PixelSense touch', "Intel Core i5-1145G7", "Intel Iris Xe", "Up to 17 h", "1.27 kg"),
    ("Microsoft", 'Surface Laptop 5 13.5"', 2022, 1199, (8, 16), (256, 512), "Platinum/Matte Black/Sage/Sandstone", '13.5" PixelSense touch', "Intel Core i5-1235U", "Intel Iris Xe", "Up to 18 h", "1.27 kg"),
    ("Microsoft", 'Surface Laptop 5 15"', 2022, 1599, (8, 16, 32), (256, 512, 1024), "Platinum/Matte Black", '15" PixelSense touch', "Intel Core i7-1255U", "Intel Iris Xe", "Up to 17 h", "1.56 kg"),
    ("Microsoft", "Surface Laptop Go 2", 2022, 699, (4, 8), (128, 256), "Ice Blue/Sandstone/Sage/Platinum", '12.4" PixelSense touch', "Intel Core i5-1135G7", "Intel Iris Xe", "Up to 13 h", "1.13 kg"),
    ("Microsoft", "Surface Laptop Go 3", 2023, 899, (8, 16), (256,), "Ice Blue/Sandstone/Sage/Platinum", '12.4" PixelSense touch', "Intel Core i5-1235U", "Intel Iris Xe", "Up to 15 h", "1.13 kg"),
    ("Microsoft", "Surface Laptop Studio", 2021, 1699, (16, 32), (512, 1024), "Platinum", '14.4" PixelSense Flow 120 Hz', "Intel Core i5-11300H", "Intel Iris Xe", "Up to 19 h", "1.74 kg"),
]

# brand, name, year, launch price (EUR), RAM (GB), storage (GB), colours, form factor, processor, keyboard included
Desktop = tuple[str, str, int, int, tuple[int, ...], tuple[int, ...], str, str, str, bool]

DESKTOPS: list[Desktop] = [
    ("Apple", 'iMac 24" M1 (2021)', 2021, 1499, (8, 16), (256, 512), "Blue/Green/Pink/Silver/Yellow/Orange/Purple", '24" 4.5K Retina all-in-one', "Apple M1, 8-core CPU", True),
    ("Apple", 'iMac 24" M3 (2023)', 2023, 1599, (8, 16, 24), (256, 512, 1024), "Blue/Green/Pink/Silver/Yellow/Orange/Purple", '24" 4.5K Retina all-in-one', "Apple M3, 8-core CPU", True),
    ("Apple", 'iMac 27" (2020)', 2020, 2099, (8, 16, 32), (256, 512, 1024), "Silver", '27" 5K Retina all-in-one', "Intel Core i5 10th gen", True),
    ("Apple", "Mac mini M1 (2020)", 2020, 799, (8, 16), (256, 512), "Silver", "Compact desktop", "Apple M1, 8-core CPU", False),
    ("Apple", "Mac mini M2 (2023)", 2023, 719, (8, 16, 24), (256, 512), "Silver", "Compact desktop", "Apple M2, 8-core CPU", False),
    ("Apple", "Mac mini M2 Pro (2023)", 2023, 1549, (16, 32), (512, 1024), "Silver", "Compact desktop", "Apple M2 Pro, 10-core CPU", False),
    ("Apple", "Mac mini M4 (2024)", 2024, 699, (16, 24, 32), (256, 512), "Silver", "Compact desktop", "Apple M4, 10-core CPU", False),
    ("Apple", "Mac Studio M1 Max (2022)", 2022, 2299, (32, 64), (512, 1024), "Silver", "Compact workstation", "Apple M1 Max, 10-core CPU", False),
    ("Apple", "Mac Studio M2 Max (2023)", 2023, 2399, (32, 64), (512, 1024), "Silver", "Compact workstation", "Apple M2 Max, 12-core CPU", False),
    ("Dell", "OptiPlex 7090 Micro", 2021, 999, (8, 16), (256, 512), "Black", "Micro form factor", "Intel Core i5-10500T", False),
    ("Dell", "OptiPlex 7000 Micro", 2022, 1049, (8, 16), (256, 512), "Black", "Micro form factor", "Intel Core i5-12500T", False),
    ("Dell", "OptiPlex 5090 Tower", 2021, 899, (8, 16), (256, 512), "Black", "Tower", "Intel Core i5-10505", False),
    ("HP", "EliteDesk 800 G6 Mini", 2020, 949, (8, 16), (256, 512), "Black", "Mini form factor", "Intel Core i5-10500T", False),
    ("HP", "EliteDesk 800 G8 Mini", 2021, 999, (8, 16), (256, 512), "Black", "Mini form factor", "Intel Core i5-11500T", False),
    ("HP", "ProDesk 400 G7 SFF", 2020, 699, (8, 16), (256, 512), "Black", "Small form factor", "Intel Core i5-10500", False),
    ("Lenovo", "ThinkCentre M720q Tiny", 2018, 699, (8, 16), (256, 512), "Black", "Tiny form factor", "Intel Core i5-8400T", False),
    ("Lenovo", "ThinkCentre M70q Gen 2", 2021, 799, (8, 16), (256, 512), "Black", "Tiny form factor", "Intel Core i5-11400T", False),
    ("Lenovo", "ThinkCentre M90q Gen 3", 2022, 1099, (16, 32), (512, 1024), "Black", "Tiny form factor", "Intel Core i5-12500T", False),
    ("Microsoft", "Surface Studio 2", 2018, 3899, (16, 32), (1024, 2048), "Platinum", '28" PixelSense all-in-one', "Intel Core i7-7820HQ", True),
    ("Acer", "Aspire TC-1760", 2022, 599, (8, 16), (512,), "Black", "Tower", "Intel Core i5-12400", False),
]
# fmt: on


def laptop(row: Laptop) -> ModelSpec:
    """Build a laptop from one row of the table above."""
    brand, name, year, price, rams, storages, colour_list, screen, cpu, gpu, battery, weight = row
    return ModelSpec(
        category="laptops",
        brand=brand,
        name=name,
        year=year,
        price=price,
        storages=storages,
        rams=rams,
        colours=colours(colour_list),
        keyboard=True,
        specs=(
            ("Screen", screen),
            ("Processor", cpu),
            ("Graphics", gpu),
            ("Battery", battery),
            ("Weight", weight),
        ),
    )


def desktop(row: Desktop) -> ModelSpec:
    """Build a desktop from one row of the table above."""
    brand, name, year, price, rams, storages, colour_list, form, cpu, keyboard = row
    return ModelSpec(
        category="desktops",
        brand=brand,
        name=name,
        year=year,
        price=price,
        storages=storages,
        rams=rams,
        colours=colours(colour_list),
        keyboard=keyboard,
        battery=False,
        specs=(("Form factor", form), ("Processor", cpu)),
    )


def models() -> list[ModelSpec]:
    """Return the reference laptops and desktops."""
    return [laptop(row) for row in LAPTOPS] + [desktop(row) for row in DESKTOPS]
