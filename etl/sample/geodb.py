"""A tiny GeoIP2-City database that places the sample networks (etl/sample/networks.py) where GeoLite2 does: the
tests, the benchmarks and a demo without the GeoLite2 package place the sample data with it. It needs mmdb-writer
(a dev dependency). Its build date is the product's clock's now, so a moved clock does not find it stale."""

from __future__ import annotations

from pathlib import Path

from etl.core import clock
from etl.sample.networks import NETWORKS


def build_mmdb(path: Path) -> Path:
    """A tiny GeoIP2-City database placing the sample networks where GeoLite2 does."""
    from mmdb_writer import MMDBWriter
    from netaddr import IPSet

    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoIP2-City", languages=["en"])
    for net in NETWORKS:
        record = {
            "country": {"iso_code": net.country, "names": {"en": net.country}},
            "subdivisions": [{"iso_code": net.region.split("-", 1)[1], "names": {"en": net.region_name}}],
        }
        if net.city:
            record["city"] = {"names": {"en": net.city}}
        writer.insert_network(IPSet([net.cidr]), record)
    meta = writer._build_meta
    writer._build_meta = lambda: meta() | {"build_epoch": int(clock.now().timestamp())}  # type: ignore[method-assign]
    writer.to_db_file(str(path))
    return path
