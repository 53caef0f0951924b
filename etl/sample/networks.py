"""Networks that the GeoLite2-City database (2018 edition, shipped in ``maxminddb-geolite2``) places in
China's provinces and in Europe. The sample generator draws visitor addresses from them, and the tests build
their own tiny .mmdb from the same table, so generated logs geolocate the same way in both.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SampleNetwork:
    cidr: str
    country: str  # ISO 3166-1 alpha-2
    region: str  # ISO 3166-2
    region_name: str
    city: str | None
    weight: int  # relative share of human visitors drawn from it


NETWORKS: tuple[SampleNetwork, ...] = (
    SampleNetwork("1.0.8.0/21", "CN", "CN-GD", "Guangdong", "Guangzhou", 20),
    SampleNetwork("2001:250:3000::/41", "CN", "CN-GD", "Guangdong", "Guangzhou", 5),
    SampleNetwork("36.17.0.0/18", "CN", "CN-ZJ", "Zhejiang", "Hangzhou", 10),
    SampleNetwork("2001:250:6400::/41", "CN", "CN-ZJ", "Zhejiang", "Ningbo", 2),
    SampleNetwork("1.51.0.0/19", "CN", "CN-JS", "Jiangsu", "Nanjing", 10),
    SampleNetwork("2001:250:5000::/45", "CN", "CN-JS", "Jiangsu", "Nanjing", 2),
    SampleNetwork("5.10.195.0/24", "CN", "CN-SH", "Shanghai", "Shanghai", 8),
    SampleNetwork("2001:250:6000::/41", "CN", "CN-SH", "Shanghai", "Shanghai", 2),
    SampleNetwork("1.2.2.0/24", "CN", "CN-BJ", "Beijing", "Beijing", 8),
    SampleNetwork("2001:250:200::/41", "CN", "CN-BJ", "Beijing", "Beijing", 2),
    SampleNetwork("1.51.144.0/20", "CN", "CN-SD", "Shandong", "Jinan", 6),
    SampleNetwork("2001:250:5800::/44", "CN", "CN-SD", "Shandong", "Qingdao", 1),
    SampleNetwork("43.236.32.0/21", "CN", "CN-SC", "Sichuan", "Chengdu", 5),
    SampleNetwork("2001:250:2000::/41", "CN", "CN-SC", "Sichuan", "Chengdu", 1),
    SampleNetwork("14.127.64.0/20", "CN", "CN-HB", "Hubei", "Enshi", 4),
    SampleNetwork("2001:250:4000::/41", "CN", "CN-HB", "Hubei", "Wuhan", 1),
    SampleNetwork("1.192.0.0/19", "CN", "CN-HA", "Henan", "Zhengzhou", 4),
    SampleNetwork("2001:250:4800::/45", "CN", "CN-HA", "Henan", "Zhengzhou", 1),
    SampleNetwork("1.0.1.0/24", "CN", "CN-FJ", "Fujian", "Fuzhou", 4),
    SampleNetwork("2001:250:6800::/47", "CN", "CN-FJ", "Fujian", "Xiamen", 1),
    SampleNetwork("36.16.0.0/16", "CN", "CN-HN", "Hunan", None, 3),
    SampleNetwork("2001:250:4400::/46", "CN", "CN-HN", "Hunan", "Changsha", 1),
    SampleNetwork("1.80.0.0/17", "CN", "CN-SN", "Shaanxi", "Xi'an", 2),
    SampleNetwork("2001:250:c00::/47", "CN", "CN-SN", "Shaanxi", "Xi'an", 1),
    SampleNetwork("1.180.192.0/21", "CN", "CN-LN", "Liaoning", "Dalian", 2),
    SampleNetwork("2001:da8:9000::/41", "CN", "CN-LN", "Liaoning", "Shenyang", 1),
    SampleNetwork("27.0.132.0/22", "CN", "CN-TJ", "Tianjin", "Tianjin", 2),
    SampleNetwork("2001:250:400::/41", "CN", "CN-TJ", "Tianjin", "Tianjin", 1),
    SampleNetwork("14.104.0.0/15", "CN", "CN-CQ", "Chongqing", "Chongqing", 2),
    SampleNetwork("2001:da8:c800::/41", "CN", "CN-CQ", "Chongqing", "Chongqing", 1),
    SampleNetwork("2.164.24.0/21", "DE", "DE-BY", "Bavaria", "Munich", 4),
    SampleNetwork("2001:470:7272::/48", "DE", "DE-BY", "Bavaria", "Passau", 1),
    SampleNetwork("2.201.88.0/23", "DE", "DE-BE", "Land Berlin", "Berlin", 2),
    SampleNetwork("2001:638:810::/44", "DE", "DE-BE", "Land Berlin", "Berlin", 1),
    SampleNetwork("2.200.208.0/20", "DE", "DE-HH", "Hamburg", "Hamburg", 1),
    SampleNetwork("2001:470:999d::/48", "DE", "DE-HH", "Hamburg", "Hamburg", 1),
    SampleNetwork("2.0.152.0/24", "FR", "FR-IDF", "Île-de-France", "Sceaux", 3),
    SampleNetwork("2001:450:1e::/48", "FR", "FR-IDF", "Île-de-France", "Paris", 1),
    SampleNetwork("2.16.37.0/24", "GB", "GB-ENG", "England", "London", 3),
    SampleNetwork("2001:450:1d::/48", "GB", "GB-ENG", "England", "London", 1),
    SampleNetwork("5.2.68.0/24", "NL", "NL-NH", "North Holland", "Amsterdam", 2),
    SampleNetwork("2001:503:f3da::/48", "NL", "NL-NH", "North Holland", "Amsterdam", 1),
    SampleNetwork("2.136.4.0/23", "ES", "ES-MD", "Madrid", "Villarejo de Salvanes", 2),
    SampleNetwork("2001:503:5419::/48", "ES", "ES-MD", "Madrid", "Madrid", 1),
    SampleNetwork("5.60.8.0/23", "PL", "PL-MZ", "Mazovia", "Jaktorów", 2),
    SampleNetwork("2001:67c:21e0::/48", "PL", "PL-MZ", "Mazovia", "Warsaw", 1),
)

# Crawler networks (as the crawlers publish them); geolocation of bots is not needed for the demo.
BOT_NETWORKS: dict[str, str] = {
    "Googlebot": "66.249.66.0/24",
    "Baiduspider": "220.181.108.0/24",
    "bingbot": "40.77.167.0/24",
    "Bytespider": "110.249.201.0/24",
    "GPTBot": "20.171.207.0/24",
    "ClaudeBot": "3.224.220.0/24",
    "PetalBot": "114.119.134.0/24",
    "YandexBot": "5.255.253.0/24",
    "AhrefsBot": "54.36.148.0/24",
    "Sogou": "123.126.113.0/24",
    "automation": "45.155.205.0/24",
}
