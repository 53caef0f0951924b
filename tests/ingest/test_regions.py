"""Inquiry places from the gazetteer, and exports read whatever their encoding, delimiter or shape.

The table below was drawn from the gazetteer's sources (scripts/build_gazetteer.py lists them), not written from
memory: China's divisions from the adcode table (typed in full, without suffix, in pinyin with and without spaces
or tones, in traditional characters), ISO 3166-2 names in German, French, Italian, Spanish, Dutch and Polish, and
the biggest GeoNames towns of seven European countries with the region GeoLite2 gives their networks.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from etl.core.errors import InputError
from etl.core.places import UNKNOWN, division_name
from etl.core.readers import open_export
from etl.ingest.inquiries.regions import normalize_country, normalize_place
from etl.sample.forms import INQUIRY_COLUMNS

# (country, province_city, district) as typed -> (region, adcode or None when only the region is checked)
TYPED = [
    ('中国', '吕梁市', '', 'CN-SX', '141100'),
    ('中国', '普洱', '', 'CN-YN', '530800'),
    ('中国', 'Hegang', '', 'CN-HL', '230400'),
    ('中国', 'qu jing', '', 'CN-YN', '530300'),
    ('中国', 'Ānqìng', '', 'CN-AH', '340800'),
    ('中国', '惠州市', '', 'CN-GD', '441300'),
    ('中国', '长沙市', '', 'CN-HN', '430100'),
    ('中国', '文山壮族苗族自治州', '', 'CN-YN', '532600'),
    ('中国', '开封', '', 'CN-HA', '410200'),
    ('中国', 'Zhangye', '', 'CN-GS', '620700'),
    ('中国', '苏州', '', 'CN-JS', '320500'),
    ('中国', '陇南', '', 'CN-GS', '621200'),
    ('中国', '淄博市', '', 'CN-SD', '370300'),
    ('中国', 'Songyuan Shi', '', 'CN-JL', '220700'),
    ('中国', '揭阳市', '', 'CN-GD', '445200'),
    ('中国', '宜昌', '', 'CN-HB', '420500'),
    ('中国', 'Weifang', '', 'CN-SD', '370700'),
    ('中国', 'shi yan', '', 'CN-HB', '420300'),
    ('中国', 'Nányáng', '', 'CN-HA', '411300'),
    ('中国', '雄安新區', '', 'CN-HE', '133100'),
    ('中国', 'Ankang Shi', '', 'CN-SN', '610900'),
    ('中国', '石嘴山市', '', 'CN-NX', '640200'),
    ('中国', '黄山市', '', 'CN-AH', '341000'),
    ('中国', 'Dalian', '', 'CN-LN', '210200'),
    ('中国', 'ha er bin', '', 'CN-HL', '230100'),
    ('中国', 'Rìkāzé', '', 'CN-XZ', '540200'),
    ('中国', '瀘州市', '', 'CN-SC', '510500'),
    ('中国', 'Zhanjiang Shi', '', 'CN-GD', '440800'),
    ('中国', '鞍山市', '', 'CN-LN', '210300'),
    ('中国', '吉林市', '', 'CN-JL', '220200'),
    ('中国', 'Nanning', '', 'CN-GX', '450100'),
    ('中国', 'cang zhou', '', 'CN-HE', '130900'),
    ('中国', '白银市', '', 'CN-GS', '620400'),
    ('中国', '北海市', '', 'CN-GX', '450500'),
    ('中国', 'Meizhou Shi', '', 'CN-GD', '441400'),
    ('中国', '崇左市', '', 'CN-GX', '451400'),
    ('中国', '台中', '', 'CN-TW', '710400'),
    ('中国', '新乡市', '', 'CN-HA', '410700'),
    ('中国', 'shang luo', '', 'CN-SN', '611000'),
    ('中国', '黔西南布依族苗族自治州', '', 'CN-GZ', '522300'),
    ('中国', '鎮江市', '', 'CN-JS', '321100'),
    ('中国', 'Bayinguolengmenggu Shi', '', 'CN-XJ', '652800'),
    ('中国', '中山市', '', 'CN-GD', '442000'),
    ('中国', '宁德', '', 'CN-FJ', '350900'),
    ('中国', 'Linzhi', '', 'CN-XZ', '540400'),
    ('中国', 'jin chang', '', 'CN-GS', '620300'),
    ('中国', '宿州', '', 'CN-AH', '341300'),
    ('中国', '茂名市', '', 'CN-GD', '440900'),
    ('中国', 'Huainan Shi', '', 'CN-AH', '340400'),
    ('中国', '大兴安岭地区', '', 'CN-HL', '232700'),
    ('中国', '黑河', '', 'CN-HL', '231100'),
    ('中国', '乌鲁木齐市', '', 'CN-XJ', '650100'),
    ('中国', 'liu pan shui', '', 'CN-GZ', '520200'),
    ('中国', '通化市', '', 'CN-JL', '220500'),
    ('中国', '山南市', '', 'CN-XZ', '540500'),
    ('中国', 'Deyang Shi', '', 'CN-SC', '510600'),
    ('中国', '邯郸市', '', 'CN-HE', '130400'),
    ('中国', '攀枝花', '', 'CN-SC', '510400'),
    ('中国', 'Yaan', '', 'CN-SC', '511800'),
    ('中国', '铜仁', '', 'CN-GZ', '520600'),
    ('中国', 'Huáihuà', '', 'CN-HN', '431200'),
    ('中国', '貴港市', '', 'CN-GX', '450800'),
    ('中国', '台州', '', 'CN-ZJ', '331000'),
    ('中国', '唐山市', '', 'CN-HE', '130200'),
    ('中国', '鹰潭', '', 'CN-JX', '360600'),
    ('中国', '铁岭市', '', 'CN-LN', '211200'),
    ('中国', '大同市', '', 'CN-SX', '140200'),
    ('中国', 'Nèijiāng', '', 'CN-SC', '511000'),
    ('中国', '韶關市', '', 'CN-GD', '440200'),
    ('中国', 'Zigong Shi', '', 'CN-SC', '510300'),
    ('', '北京市', '', 'CN-BJ', None),
    ('', '天津', '', 'CN-TJ', None),
    ('', '河北省', '', 'CN-HE', None),
    ('', '山西省', '', 'CN-SX', None),
    ('', '内蒙古自治', '', 'CN-NM', None),
    ('', '遼寧省', '', 'CN-LN', None),
    ('', '吉林省', '', 'CN-JL', None),
    ('', '黑龙江', '', 'CN-HL', None),
    ('', '上海市', '', 'CN-SH', None),
    ('', '江苏省', '', 'CN-JS', None),
    ('', '浙江', '', 'CN-ZJ', None),
    ('', '安徽省', '', 'CN-AH', None),
    ('', '福建省', '', 'CN-FJ', None),
    ('', '江西', '', 'CN-JX', None),
    ('', '山東省', '', 'CN-SD', None),
    ('', '河南省', '', 'CN-HA', None),
    ('', '湖北', '', 'CN-HB', None),
    ('', '湖南省', '', 'CN-HN', None),
    ('', '广东省', '', 'CN-GD', None),
    ('', '广西壮族自治', '', 'CN-GX', None),
    ('', '海南省', '', 'CN-HI', None),
    ('', '重庆市', '', 'CN-CQ', None),
    ('', '四川', '', 'CN-SC', None),
    ('', '貴州省', '', 'CN-GZ', None),
    ('', '云南省', '', 'CN-YN', None),
    ('', '西藏自治', '', 'CN-XZ', None),
    ('', '陝西省', '', 'CN-SN', None),
    ('', '甘肃省', '', 'CN-GS', None),
    ('', '青海', '', 'CN-QH', None),
    ('', '寧夏回族自治區', '', 'CN-NX', None),
    ('', '新疆维吾尔自治区', '', 'CN-XJ', None),
    ('China', '辽宁', '宽甸满族自治', 'CN-LN', '210624'),
    ('China', '新疆维吾尔自治', '库尔勒市', 'CN-XJ', '652801'),
    ('China', '台湾', '杉林', 'CN-TW', '710228'),
    ('China', '青海', '城东区', 'CN-QH', '630102'),
    ('China', '福建', '武夷山', 'CN-FJ', '350782'),
    ('China', '吉林', '九台区', 'CN-JL', '220113'),
    ('China', '海南', '美兰', 'CN-HI', '460108'),
    ('China', '江西', '奉新县', 'CN-JX', '360921'),
    ('China', '广西壮族自治', '武鸣', 'CN-GX', '450110'),
    ('China', '湖南', '桃源县', 'CN-HN', '430725'),
    ('China', '山东', '章丘', 'CN-SD', '370114'),
    ('China', '台湾', '苗栗县', 'CN-TW', '719006'),
    ('China', '黑龙江', '加格达奇', 'CN-HL', '232761'),
    ('China', '广西壮族自治', '钦南区', 'CN-GX', '450702'),
    ('China', '广东', '平远', 'CN-GD', '441426'),
    ('China', '山东', '利津县', 'CN-SD', '370522'),
    ('China', '山东', '金乡', 'CN-SD', '370828'),
    ('China', '新疆维吾尔自治', '和静县', 'CN-XJ', '652827'),
    ('China', '河北', '大厂回族自治', 'CN-HE', '131028'),
    ('China', '内蒙古自治', '新城区', 'CN-NM', '150102'),
    ('China', '浙江', '平湖', 'CN-ZJ', '330482'),
    ('China', '山东', '肥城市', 'CN-SD', '370983'),
    ('China', '新疆维吾尔自治', '伊宁县', 'CN-XJ', '654021'),
    ('China', '广东', '增城区', 'CN-GD', '440118'),
    ('China', '内蒙古自治', '正蓝', 'CN-NM', '152530'),
    ('China', '广西壮族自治', '桂平市', 'CN-GX', '450881'),
    ('China', '山西', '忻府', 'CN-SX', '140902'),
    ('China', '广西壮族自治', '钟山县', 'CN-GX', '451122'),
    ('China', '四川', '东兴区', 'CN-SC', '511011'),
    ('China', '广西壮族自治', '柳南区', 'CN-GX', '450204'),
    ('China', '青海', '刚察', 'CN-QH', '632224'),
    ('China', '河北', '迁安市', 'CN-HE', '130283'),
    ('China', '上海', '青浦', 'CN-SH', '310118'),
    ('China', '广东', '惠东县', 'CN-GD', '441323'),
    ('China', '甘肃', '康乐', 'CN-GS', '622922'),
    ('China', '江西', '渝水区', 'CN-JX', '360502'),
    ('China', '山西', '柳林', 'CN-SX', '141125'),
    ('China', '内蒙古自治', '敖汉旗', 'CN-NM', '150430'),
    ('China', '辽宁', '建昌', 'CN-LN', '211422'),
    ('China', '广东', '开平市', 'CN-GD', '440783'),
    ('China', '江西', '高安', 'CN-JX', '360983'),
    ('China', '广西壮族自治', '西林县', 'CN-GX', '451030'),
    ('China', '辽宁', '南芬', 'CN-LN', '210505'),
    ('China', '浙江', '江北区', 'CN-ZJ', '330205'),
    ('China', '陕西', '富县', 'CN-SN', '610628'),
    ('Italia', 'Toskana', '', 'IT-52', None),
    ('Polska', 'Lubusz', '', 'PL-LB', None),
    ('Deutschland', 'Bassa Sassonia', '', 'DE-NI', None),
    ('Italia', 'Lombardía', '', 'IT-25', None),
    ('Nederland', 'Zuid-Holland', '', 'NL-ZH', None),
    ('Nederland', 'Utrecht', '', 'NL-UT', None),
    ('España', 'Kantabrien', '', 'ES-CB', None),
    ('Deutschland', 'Berlin', '', 'DE-BE', None),
    ('United Kingdom', 'Northern Ireland', '', 'GB-NIR', None),
    ('Nederland', 'Noord-Holland', '', 'NL-NH', None),
    ('Polska', 'Pommeren', '', 'PL-PM', None),
    ('France', 'Burgundia-Franche-Comté', '', 'FR-BFC', None),
    ('Polska', 'Podlachien', '', 'PL-PD', None),
    ('Deutschland', 'Hesse', '', 'DE-HE', None),
    ('Nederland', 'Drenthe', '', 'NL-DR', None),
    ('Italia', 'Calabria', '', 'IT-78', None),
    ('Nederland', 'Gelderland', '', 'NL-GE', None),
    ('France', 'Oksytania', '', 'FR-OCC', None),
    ('España', 'País Vasco', '', 'ES-PV', None),
    ('España', 'Galicia [Galicia]', '', 'ES-GA', None),
    ('España', 'La Rioja', '', 'ES-RI', None),
    ('Italia', 'Molise', '', 'IT-67', None),
    ('France', 'Grand-Est', '', 'FR-GES', None),
    ('Deutschland', 'Meklemburgia-Pomorze Przednie', '', 'DE-MV', None),
    ('Deutschland', 'Bayern', '', 'DE-BY', None),
    ('France', 'Corse', '', 'FR-COR', None),
    ('Polska', 'Piccola Polonia', '', 'PL-MA', None),
    ('Polska', 'Świętokrzyskie', '', 'PL-SK', None),
    ('España', 'Extremadura', '', 'ES-EX', None),
    ('Polska', 'wielkopolskie', '', 'PL-WP', None),
    ('Italia', 'Apulien', '', 'IT-75', None),
    ('Italia', 'Émilie-Romagne', '', 'IT-45', None),
    ('Italia', 'Abruzzo', '', 'IT-65', None),
    ('España', 'Aragón', '', 'ES-AR', None),
    ('France', 'Hauts-de-France', '', 'FR-HDF', None),
    ('Nederland', 'Brabancja Północna', '', 'NL-NB', None),
    ('Nederland', 'Flevoland', '', 'NL-FL', None),
    ('Italia', 'Vénétie', '', 'IT-34', None),
    ('Polska', 'Lublino', '', 'PL-LU', None),
    ('France', 'Provence-Alpes-Côte-d’Azur', '', 'FR-PAC', None),
    ('France', 'Pays-de-la-Loire', '', 'FR-PDL', None),
    ('Polska', 'podkarpackie', '', 'PL-PK', None),
    ('Italia', 'Kampanien', '', 'IT-72', None),
    ('Italia', 'Ligurie', '', 'IT-42', None),
    ('France', 'Nuova Aquitania', '', 'FR-NAQ', None),
    ('United Kingdom', 'London', '', 'GB-ENG', None),
    ('Deutschland', 'Berlin', '', 'DE-BE', None),
    ('España', 'Madrid', '', 'ES-MD', None),
    ('Italia', 'Rome', '', 'IT-62', None),
    ('France', 'Paris', '', 'FR-IDF', None),
    ('Deutschland', 'Hamburg', '', 'DE-HH', None),
    ('Polska', 'Warsaw', '', 'PL-MZ', None),
    ('España', 'Barcelona', '', 'ES-CT', None),
    ('Deutschland', 'Munich', '', 'DE-BY', None),
    ('Italia', 'Milan', '', 'IT-25', None),
    ('United Kingdom', 'Birmingham', '', 'GB-ENG', None),
    ('Deutschland', 'Köln', '', 'DE-NW', None),
    ('Italia', 'Naples', '', 'IT-72', None),
    ('France', 'Marseille', '', 'FR-PAC', None),
    ('Nederland', 'Rotterdam', '', 'NL-ZH', None),
    ('Italia', 'Turin', '', 'IT-21', None),
    ('España', 'Valencia', '', 'ES-VC', None),
    ('Polska', 'Kraków', '', 'PL-MA', None),
    ('Nederland', 'Amsterdam', '', 'NL-NH', None),
    ('España', 'Zaragoza', '', 'ES-AR', None),
    ('España', 'Sevilla', '', 'ES-AN', None),
    ('Polska', 'Wrocław', '', 'PL-DS', None),
    ('Deutschland', 'Frankfurt Am Main', '', 'DE-HE', None),
    ('Italia', 'Palermo', '', 'IT-82', None),
    ('Polska', 'Lodz', '', 'PL-LD', None),
    ('United Kingdom', 'Glasgow', '', 'GB-SCT', None),
    ('Deutschland', 'Dusseldorf', '', 'DE-NW', None),
    ('Deutschland', 'Stuttgart', '', 'DE-BW', None),
    ('Deutschland', 'Essen', '', 'DE-NW', None),
    ('España', 'Málaga', '', 'ES-AN', None),
    ('Deutschland', 'Dortmund', '', 'DE-NW', None),
    ('Italia', 'Genoa', '', 'IT-42', None),
    ('United Kingdom', 'Manchester', '', 'GB-ENG', None),
    ('Deutschland', 'Dresden', '', 'DE-SN', None),
    ('United Kingdom', 'Sheffield', '', 'GB-ENG', None),
    ('Deutschland', 'Bremen', '', 'DE-HB', None),
    ('United Kingdom', 'Leeds', '', 'GB-ENG', None),
    ('Polska', 'Poznań', '', 'PL-WP', None),
    ('France', 'Lyon', '', 'FR-ARA', None),
    ('Deutschland', 'Nuremberg', '', 'DE-BY', None),
    ('Deutschland', 'Hannover', '', 'DE-NI', None),
    ('United Kingdom', 'Edinburgh', '', 'GB-SCT', None),
    ('France', 'Toulouse', '', 'FR-OCC', None),
    ('Deutschland', 'Leipzig', '', 'DE-SN', None),
    ('Deutschland', 'Duisburg', '', 'DE-NW', None),
]


@pytest.mark.parametrize(("country", "province_city", "district", "region", "adcode"), TYPED)
def test_typed_places_land_in_their_region_and_division(country, province_city, district, region, adcode):
    place, findings = normalize_place(country, province_city, district)
    assert place.region == region, findings
    if adcode is not None:
        assert place.adcode == adcode


def test_the_table_is_big_and_varied_enough():
    assert len(TYPED) >= 200
    assert len({row[3][:2] for row in TYPED}) >= 7  # countries
    assert sum(1 for row in TYPED if row[2]) >= 40  # with a district


@pytest.mark.parametrize(
    "typed", ["温州", "温州市", "溫州市", "Wenzhou", "wenzhou", "wen zhou", "Wēnzhōu", "Wenzhou Shi", "Wenzhou City",
              "浙江温州", "浙江省温州市", "Zhejiang Wenzhou", "Wenzhou, Zhejiang", "Wenzhou City, Zhejiang Province"],
)
def test_one_city_typed_many_ways_is_one_place(typed):
    place, findings = normalize_place("中国", typed, "")
    assert (place.region, place.adcode, findings) == ("CN-ZJ", "330300", ())


@pytest.mark.parametrize(
    ("typed", "place"),
    [(("", "温州", ""), ("CN", "CN-ZJ")), (("China", "Shijiazhuang", ""), ("CN", "CN-HE")),
     (("中国", "昆明", ""), ("CN", "CN-YN")), (("", "哈尔滨", ""), ("CN", "CN-HL")),
     (("中国", "无锡", ""), ("CN", "CN-JS")),
     (("UK", "Manchester", ""), ("GB", "GB-ENG")), (("France", "Lyon", ""), ("FR", "FR-ARA")),
     (("Polska", "Kraków", ""), ("PL", "PL-MA")), (("Poland", "Krakow", ""), ("PL", "PL-MA")),
     (("España", "Valencia", ""), ("ES", "ES-VC")), (("Deutschland", "München", ""), ("DE", "DE-BY")),
     (("Italy", "Mailand", ""), ("IT", "IT-25")), (("Frankreich", "Île-de-France", ""), ("FR", "FR-IDF"))],
)
def test_the_places_the_issue_found_unknown_are_placed(typed, place):
    got, _ = normalize_place(*typed)
    assert (got.country, got.region) == place


def test_a_district_in_two_provinces_is_unknown_with_both_candidates():
    place, findings = normalize_place("中国", "朝阳区", "")
    assert place.region == UNKNOWN
    assert [(f.field, f.issue, f.candidates) for f in findings] == [
        ("province_city", "ambiguous_region", ("CN-BJ", "CN-JL"))
    ]


def test_the_province_says_which_chaoyang():
    beijing, _ = normalize_place("中国", "北京", "朝阳区")
    changchun, _ = normalize_place("中国", "吉林长春", "朝阳区")
    assert (beijing.region, beijing.adcode, beijing.district) == ("CN-BJ", "110105", "朝阳区")
    assert (changchun.region, changchun.adcode) == ("CN-JL", "220104")


def test_chaoyang_in_liaoning_is_the_province_but_not_a_guessed_division():
    place, findings = normalize_place("中国", "辽宁", "朝阳")  # 朝阳市 or its 朝阳县
    assert place.region == "CN-LN" and place.adcode == "211300"
    assert [(f.issue, f.candidates) for f in findings] == [("ambiguous_district", ("211300", "211321"))]


def test_gulou_needs_its_city():
    alone, findings = normalize_place("中国", "", "鼓楼区")
    assert alone.region == UNKNOWN
    assert findings[0].candidates == ("CN-FJ", "CN-HA", "CN-JS")
    in_jiangsu, findings = normalize_place("中国", "江苏", "鼓楼区")  # Nanjing's and Xuzhou's
    assert (in_jiangsu.region, in_jiangsu.adcode, findings[0].issue) == (
        "CN-JS",
        "320000"[:0] or None,
        "ambiguous_district",
    )
    nanjing, findings = normalize_place("中国", "南京", "鼓楼区")
    assert (nanjing.region, nanjing.adcode, findings) == ("CN-JS", "320106", ())


def test_a_town_name_in_two_regions_is_not_guessed():
    place, findings = normalize_place("Deutschland", "Frankfurt", "")
    assert place.region == UNKNOWN and findings[0].candidates == ("DE-BB", "DE-HE")
    place, findings = normalize_place("Deutschland", "Frankfurt am Main", "")
    assert place.region == "DE-HE"


def test_without_a_country_a_name_of_several_countries_is_unknown():
    place, findings = normalize_place("", "Valencia", "")
    assert (place.country, place.region) == (UNKNOWN, UNKNOWN)
    assert "ES" in findings[-1].candidates and "VE" in findings[-1].candidates


@pytest.mark.parametrize("typed", ["N/A", "-", "不知道", "my city", "13800138000", "高新区", "x" * 80, "@@@"])
def test_what_names_no_place_is_unknown(typed):
    assert normalize_place("中国", typed, "")[0].region == UNKNOWN


def test_regions_use_the_codes_geoip_puts_on_visits():
    # GeoLite2 still gives Polish voivodeships their letter codes (ISO 3166-2 now has PL-12 for Małopolskie)
    assert normalize_place("Polska", "Małopolskie", "")[0].region == "PL-MA"
    assert normalize_place("Polska", "Mazowieckie", "")[0].region == "PL-MZ"
    assert normalize_place("Polen", "Kleinpolen", "")[0].region == "PL-MA"


def test_regions_geoip_files_as_countries_keep_their_iso_3166_2_code():
    hong_kong, _ = normalize_place("Hong Kong", "香港", "")
    assert (hong_kong.country, hong_kong.region) == ("HK", "CN-HK")  # GeoIP says country HK
    assert normalize_place("中国", "香港特别行政区", "")[0].region == "CN-HK"
    assert normalize_place("Polska", "Warmińsko-Mazurskie", "")[0].region == "PL-WN"  # GeoLite2's code
    assert normalize_place("", "Taiwan", "")[0].region == "CN-TW"  # not Hainan (pycountry's Dutch mixes them up)


def test_districts_are_shown_with_their_names():
    place, _ = normalize_place("中国", "Zhejiang Wenzhou", "Lucheng")
    assert (place.adcode, place.district, division_name(place.adcode)) == ("330302", "鹿城区", "鹿城区")


@pytest.mark.parametrize(
    ("typed", "code"),
    [("中国", "CN"), ("China", "CN"), ("Volksrepublik China", "CN"), ("Chine", "CN"), ("Cina", "CN"), ("Chiny", "CN"),
     ("Duitsland", "DE"), ("Allemagne", "DE"), ("Niemcy", "DE"), ("Alemania", "DE"), ("Germania", "DE"),
     ("德国", "DE"), ("Polska", "PL"), ("CN", "CN"), ("DEU", "DE"), ("Atlantis", UNKNOWN)],
)
def test_countries_in_the_six_languages_and_chinese(typed, code):
    assert normalize_country(typed) == code


# ---- exports as they come --------------------------------------------------------------------------------------

ROWS = [
    {"submitted_at": "2026-11-10T10:00:00+08:00", "name": "王小明", "mobile": "13812345678",
     "email": "wang@example.cn", "company": "示例汽车", "support_type": "Sales", "country": "中国",
     "province_city": "浙江温州", "district": "鹿城区",
     "message": "你好, 请问价格; 多少?", "consent": "true", "status": "", "first_response_at": "", "closed_at": ""},
    {"submitted_at": "2026-11-10T11:00:00+01:00", "name": "Łukasz Żółć", "mobile": "", "email": "lz@example.pl",
     "company": "", "support_type": "Service", "country": "Polska", "province_city": "Kraków",
     "district": "Śródmieście", "message": "Dzień dobry", "consent": "yes", "status": "", "first_response_at": "",
     "closed_at": ""},
    {"submitted_at": "2026-11-10T12:00:00+08:00", "name": "李", "mobile": "13912345678", "email": "", "company": "",
     "support_type": "Parts", "country": "", "province_city": "广东省深圳市", "district": "南山区", "message": "",
     "consent": "是", "status": "", "first_response_at": "", "closed_at": ""},
]


def _csv(delimiter: str = ",") -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=INQUIRY_COLUMNS, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(ROWS)
    return out.getvalue()


def _save(path: Path, shape: str) -> Path:
    if shape == "xlsx":
        pl.DataFrame(ROWS, schema={c: pl.String for c in INQUIRY_COLUMNS}).write_excel(path)
        return path
    encoding, delimiter = {
        "utf-8": ("utf-8", ","), "utf-8-bom": ("utf-8-sig", ","), "gb18030": ("gb18030", ","),
        "utf-16": ("utf-16", "\t"), "semicolon": ("utf-8", ";"), "tab": ("utf-8", "\t"),
        "gb18030-semicolon": ("gb18030", ";"),
    }[shape]
    path.write_bytes(_csv(delimiter).encode(encoding))
    return path


SHAPES = {  # shape -> how the run reports it (encoding, delimiter)
    "utf-8": ("utf-8", ","), "utf-8-bom": ("utf-8-sig", ","), "gb18030": ("gb18030", ","), "utf-16": ("utf-16", "\t"),
    "semicolon": ("utf-8", ";"), "tab": ("utf-8", "\t"), "gb18030-semicolon": ("gb18030", ";"), "xlsx": (None, None),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_same_rows_in_any_encoding_delimiter_or_workbook_read_the_same(tmp_path, shape):
    suffix = ".xlsx" if shape == "xlsx" else ".txt" if shape == "utf-16" else ".csv"
    export = open_export(_save(tmp_path / f"inquiries{suffix}", shape), ("email", "country"))
    assert (export.encoding, export.delimiter) == SHAPES[shape]
    assert list(export.rows) == [(n, row) for n, row in enumerate(ROWS, start=2)]


@pytest.mark.parametrize("shape", ["gb18030", "xlsx", "semicolon"])
def test_every_shape_loads_the_same_inquiries(settings_env, tmp_path, shape):
    from etl.ingest.inquiries.ingest import ingest_inquiries
    from tests.helpers import warehouse_text

    baseline = ingest_inquiries(settings_env, _save(tmp_path / "base.csv", "utf-8"))
    before = _inquiries(settings_env)
    suffix = ".xlsx" if shape == "xlsx" else ".csv"
    stats = ingest_inquiries(settings_env, _save(tmp_path / f"other{suffix}", shape))
    assert (stats.rows_loaded, stats.unknown_region) == (baseline.rows_loaded, baseline.unknown_region) == (3, 0)
    assert _inquiries(settings_env) == before
    assert "�" not in warehouse_text(settings_env)


def _inquiries(cfg) -> list[tuple]:
    import duckdb

    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        return con.execute("SELECT inquiry_key, country, region, district, adcode, support_type, message_chars "
                           "FROM inquiries ORDER BY inquiry_key").fetchall()


def _vcar(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True, timeout=120)


def test_the_run_says_how_it_read_the_file(settings_env, tmp_path):
    done = _vcar("ingest", "inquiries", str(_save(tmp_path / "export.csv", "gb18030-semicolon")), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["shape"], report["encoding"], report["delimiter"]) == ("csv", "gb18030", ";")
    broken = tmp_path / "broken.csv"
    broken.write_bytes(_save(tmp_path / "x.csv", "gb18030").read_bytes().replace("价格".encode("gb18030"), b"\xff\x20"))
    done = _vcar("ingest", "inquiries", str(broken))
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert f"{broken}: line 2: bytes that are not valid gb18030" in done.stderr


@pytest.mark.parametrize(("encoding", "line"), [("gb18030", 3), ("utf-8", 4), ("utf-8-sig", 2)])
def test_invalid_bytes_stop_the_import_with_file_and_line(tmp_path, encoding, line):
    lines = _csv().encode(encoding).split(b"\n")
    lines[line - 1] = lines[line - 1].replace(b",", b",\xff\xfe", 1)
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as error:
        list(open_export(path, ("email",)).rows)
    message = str(error.value)
    assert message.startswith(f"{path}: line {line}: ") and "\n" not in message
    assert "UTF-8" in message  # the hint: save it again as UTF-8 or .xlsx


def test_a_file_that_is_not_a_workbook_is_one_line(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(InputError, match=r"export\.xlsx: not a readable \.xlsx workbook"):
        list(open_export(path, ("email",)).rows)


def test_a_workbook_missing_a_column_names_it(tmp_path):
    path = tmp_path / "export.xlsx"
    pl.DataFrame({"email": ["a@b.cn"]}).write_excel(path)
    with pytest.raises(InputError, match="missing column"):
        list(open_export(path, ("email", "country")).rows)


# ---- what the gazetteer misses, on the inquiry page ---------------------------------------------------------------


def _unplaced_export(path: Path) -> Path:
    # each typed by two people (a value typed once is counted, never kept), but the phone number and the street
    typed = 2 * [("中国", "浙江温州", "鹿城区"), ("中国", "", "鼓楼区"), ("Deutschland", "Frankfurt", ""),
                 ("中国", "我的城市", ""), ("中国", "广东", "高新区")] + [("中国", "13800138000", ""),
                 ("Polska", "Kraków", "Jan Kowalski ul. Długa 5")]
    rows = [ROWS[0] | {"submitted_at": f"2026-11-{10 + i // 10}T1{i % 10}:00:00+08:00", "country": c,
                       "province_city": p, "district": d} for i, (c, p, d) in enumerate(typed)]
    pl.DataFrame(rows, schema={c: pl.String for c in INQUIRY_COLUMNS}).write_csv(path)
    return path


def test_the_quality_report_gives_shares_per_country_and_field_and_the_values_typed(settings_env, tmp_path):
    import datetime as dt

    from etl.ingest.inquiries.ingest import ingest_inquiries
    from etl.ingest.inquiries.quality import place_quality

    ingest_inquiries(settings_env, _unplaced_export(tmp_path / "export.csv"))
    quality = place_quality(settings_env, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    shares = {(s.country, s.field): (s.inquiries, s.unplaced) for s in quality.shares}
    assert shares == {("CN", "province_city"): (9, 5), ("CN", "district"): (4, 2), ("DE", "province_city"): (2, 2),
                      ("PL", "province_city"): (1, 0)}
    typed = {(v.field, v.issue, v.typed): v.candidates for v in quality.unplaced}
    assert typed == {
        ("district", "ambiguous_region", "鼓楼区"): "CN-FJ Fujian Sheng, CN-HA Henan Sheng, CN-JS Jiangsu Sheng",
        ("province_city", "ambiguous_region", "Frankfurt"): "DE-BB Brandenburg, DE-HE Hessen",
        ("province_city", "unknown_region", "我的城市"): None,
        ("district", "unknown_district", "高新区"): None,
    }  # the phone number typed as a city is counted, never kept

    from etl.core import warehouse

    with warehouse.read(settings_env.warehouse) as con:
        districts = {row[0] for row in con.execute("SELECT DISTINCT district FROM inquiries").fetchall()}
    assert not any("Kowalski" in (d or "") for d in districts)  # a street no gazetteer knows is not stored


@pytest.mark.slow
def test_the_inquiry_page_shows_what_the_gazetteer_missed(settings_env, tmp_path):
    from dashboard.navigation import pages_for
    from etl.core.roles import ROLES
    from etl.ingest.inquiries.ingest import ingest_inquiries
    from tests.helpers import app_as

    ingest_inquiries(settings_env, _unplaced_export(tmp_path / "export.csv"))
    role = next(r for r in ROLES if any(p.file == "views/inquiries.py" for p in pages_for(r)))
    at = app_as(role).run()
    at.switch_page("views/inquiries.py").run()
    assert not at.exception, at.exception
    assert "Places the gazetteer could not place" in [h.value for h in at.subheader]
    typed = next(d.value for d in at.dataframe if "Typed" in d.value.columns)["Typed"].to_list()
    assert "Frankfurt" in typed and "鼓楼区" in typed


def test_a_district_of_another_city_keeps_the_city_and_is_counted():
    place, findings = normalize_place("中国", "广东省深圳市", "白云区")  # 白云区 is Guangzhou's (and Guiyang's)
    assert (place.region, place.adcode) == ("CN-GD", "440300")
    assert [(f.field, f.issue) for f in findings] == [("district", "district_mismatch")]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [("empty.csv", b"", "the file is empty"), ("old.xls", b"\xd0\xcf\x11\xe0", "old Excel .xls"),
     ("export.csv", b'{"email": "a@b.cn"}\n', "looks like JSON Lines")],
)
def test_exports_of_the_wrong_kind_are_one_clear_line(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=words):
        list(open_export(path, ("email",)).rows)
