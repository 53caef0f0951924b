"""GeoIP: one lookup per database network, never blurring two networks the database tells apart."""

from __future__ import annotations

from mmdb_writer import MMDBWriter
from netaddr import IPSet

from etl.ingest.logs.enrich import GeoLocator


def place(country: str, sub: str) -> dict:
    return {"country": {"iso_code": country}, "subdivisions": [{"iso_code": sub, "names": {"en": sub}}]}


def test_networks_smaller_than_the_cache_group_are_looked_up_per_address(tmp_path):
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoIP2-City", languages=["en"])
    writer.insert_network(IPSet(["10.1.0.0/16"]), place("CN", "GD"))
    writer.insert_network(IPSet(["10.2.3.0/25"]), place("CN", "SH"))  # one /24, two provinces
    writer.insert_network(IPSet(["10.2.3.128/25"]), place("DE", "BY"))
    writer.insert_network(IPSet(["2001:db8::/32"]), place("FR", "IDF"))
    writer.to_db_file(str(tmp_path / "t.mmdb"))
    ips = [
        "10.1.7.1",
        "10.1.9.200",
        "10.2.3.5",
        "10.2.3.200",
        "10.2.3.127",
        "2001:db8:1::1",
        "2001:0DB8:0001::2",
        "2001:db8::3",
        "192.0.2.1",
        "bogus",
    ]
    expected = {
        "10.1.7.1": "CN-GD", "10.1.9.200": "CN-GD", "10.2.3.5": "CN-SH", "10.2.3.127": "CN-SH",
        "10.2.3.200": "DE-BY", "2001:db8:1::1": "FR-IDF", "2001:0DB8:0001::2": "FR-IDF",
        "2001:db8::3": "FR-IDF", "192.0.2.1": None, "bogus": None,
    }
    for order in (ips, list(reversed(ips))):  # whichever address of a /24 comes first
        locator = GeoLocator(tmp_path / "t.mmdb")
        frame = locator.frame(order)
        assert dict(zip(frame["ip"], frame["region"], strict=True)) == expected
        assert {ip: locator.lookup(ip).region for ip in ips} == expected
        locator.close()


def test_without_a_database_every_address_is_unknown():
    frame = GeoLocator(None).frame(["1.2.3.4"])
    assert frame.row(0) == ("1.2.3.4", None, None, None)
