"""What a user agent is when the maintained bot lists and the public test data disagree: one table, one row per
decision, each with a real agent it decides and a real agent close to it that it must leave alone.

A row is ``people`` (a person reading: its agent is never a bot because a list matches one of its tokens), or a
kind of automated client the lists miss or that a test set calls a person: ``link_preview`` (an app fetching a
shared link's title and picture), ``monitor`` (uptime checks and feed or podcast pollers: they fetch on a
schedule), ``crawler`` or ``tool`` (HTTP libraries, RPC clients, scanners, scripts, AI agents' fetchers). Bot rows
are asked before the lists and name the ``bot_reason``; people rows cancel a list's match. Patterns are native
(Rust) regular expressions. README's table of decisions is generated from this one (``readme_table``).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("people", "link_preview", "monitor", "crawler", "tool")


@dataclass(frozen=True)
class AgentClass:
    kind: str  # one of KINDS
    name: str  # what the row decides, for README
    pattern: str  # native regex over the whole agent
    catches: str  # a real agent it decides (tests/ingest/test_agent_classes.py)
    spares: str  # a real agent close to it that it must not decide


_VIBER = "Mozilla/5.0 (Linux; Android 7.1.2; G011A Build/N2G48H; wv) AppleWebKit/537.36 (KHTML, like Gecko) " \
         "Version/4.0 Chrome/66.0.3359.158 Safari/537.36 Viber/11.9.5.8"
_ELECTRON = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) {} " \
            "Chrome/142.0.7444.265 Electron/39.8.5 Safari/537.36"

AGENT_CLASSES: tuple[AgentClass, ...] = (
    # --- automated clients: asked before the lists ---
    AgentClass(
        "tool",
        "gRPC clients (a service calling another, not a reader)",
        r"^grpc-(?:go|java|java-netty|java-okhttp|node|node-js|python|python-asyncio|c|dotnet|csharp|ruby|objc)/\d",
        "grpc-go/1.26.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    ),
    AgentClass(
        "tool",
        "AI coding agents' own HTTP clients (Codex CLI, Claude Code's CLI)",
        r"^(?:codex_cli_rs|claude-cli)/\d",
        "codex_cli_rs/0.101.0 (Mac OS 26.0.1; arm64) Apple_Terminal/464",
        _ELECTRON.format("Code/1.115.0"),
    ),
    AgentClass(
        "tool",
        "git, Microsoft Edge's updater (Matomo's fixtures file them as a person's app)",
        r"^git/\d|^Microsoft Edge Update/",
        "git/2.32.0.windows.2",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
    ),
    AgentClass(
        "link_preview",
        "WhatsApp: the app fetches a shared link's preview; it has no browser of its own",
        r"^WhatsApp/\d",
        "WhatsApp/2.17.427 Android/7.0 Device/motorola-Moto_C_Plus",
        _VIBER,
    ),
    AgentClass(
        "monitor",
        "podcast and feed apps: they poll feeds and download episodes on a schedule",
        r"^(?:PodcastAddict|Podimo|GoldenPod|FeedStation)/|\bRssDemon",
        "PodcastAddict/v2 - Dalvik/2.1.0 (Linux; U; Android 9; SM-N950U Build/PPR1.180610.011)",
        "AppleCoreMedia/1.0.0.18J383 (Apple TV; U; CPU OS 14_0 like Mac OS X; en_us)",
    ),
    # --- people: a list's match is cancelled ---
    AgentClass(
        "people",
        "TikTok's and Douyin's in-app browsers (Bytespider stays a crawler)",
        r"\bTikTok \d|\bmusical_ly_|\bBytedanceWebview/|\bAppName/aweme\b",
        "TikTok 17.8.1 rv:178102 (iPhone; iOS 14.1; ja_JP) Cronet",
        "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; "
        "Bytespider; https://zhanzhang.toutiao.com/)",
    ),
    AgentClass(
        "people",
        "Viber's in-app browser (ViberUrlDownloader stays a link preview)",
        r"\bViber/\d",
        _VIBER,
        "ViberUrlDownloader",
    ),
    AgentClass(
        "people",
        "the Slack app (Slackbot stays a link preview)",
        r"\bSlack/\d",
        "Slack/396839 CFNetwork/889.9 Darwin/17.2.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    ),
    AgentClass(
        "people",
        "desktop apps built on Electron, by name (Pingdom's Electron monitor stays a bot)",
        r"\b(?:Code|Slack|Notion|Teams|Discord|Figma|Obsidian|Cursor|Trae|Lark|Feishu)/\d[\d.]* .*Electron/\d",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Trae/1.107.1 "
        "Chrome/142.0.7444.235 Electron/39.2.7 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
        "Gecko) browser/2020.2.1 Chrome/78.0.3904.130 Electron/7.3.2 Safari/537.36 PingdomTMS/2020.2",
    ),
    AgentClass(
        "people",
        "Sogou's mobile browser and search app (Sogou's spider stays a crawler)",
        r"SogouMobileBrowser/|\bSogouMSE\b|SogouSearch Android",
        "Mozilla/5.0 (Linux; Android 6.0.1; vivo X9Plus; Build/MMB29M; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/46.0.2490.92 Mobile Safari/537.36 SogouMSE,SogouMobileBrowser/5.9.2",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    ),
    AgentClass(
        "people",
        "Outlook, Office and Apple Mail: a link clicked in a message or a document (Office's WebDAV probes stay tools)",
        r"\bOutlook-(?:iOS|Android)/|\bMicrosoft Outlook \d|\bms-office\b|^Microsoft Office/\d|"
        r"\bMicrosoft Office (?:Word|Excel|PowerPoint|OneNote|Outlook|Visio|Mobile)\b|^(?:Word|Excel|PowerPoint)/\d|"
        r"^Mail/\d+ CFNetwork/",
        "Microsoft Office Word 2013 (15.0.4693) Windows NT 6.2",
        "Microsoft Office Existence Discovery",
    ),
    AgentClass(
        "people",
        "the Google Go and Yandex search apps",
        r"\bcom\.google\.android\.apps\.searchlite/|\bYaSearchBrowser/",
        "com.google.android.apps.searchlite/101032 (Linux; U; Android 8.1.0; ru_RU; M580; Build/O11019; "
        "Cronet/74.0.3729.182)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    ),
    AgentClass(
        "people",
        "text and early browsers, Emacs' (libwww inside them is a browser's, not a script's)",
        r"^(?:Lynx|amaya|AmigaVoyager|Cyberdog)/|Mosaic/\d|\bOffByOne\b|^URL/Emacs ",
        "Lynx/2.8.8pre.3 libwww-FM/2.14 SSL-MM/1.4.1 OpenSSL/1.0.1e",
        "libwww-perl/5.69",
    ),
    AgentClass(
        "people",
        "TVs, consoles, set-top boxes and their apps (HbbTV, webOS, PlayStation, Cronet TV apps, a Yandex station)",
        r"\bPlayStation\b|\bHbbTV/|\bWeb0S\b|\bSmartTV\b|\bappletv\.client\b|\byandexstation|Cronet/[\d.]+\)?$",
        "Linux; U; Android 11; en_GB; Box R 4K; Build/RTT0.211009.001; Cronet/114.0.5735.33",
        "Mozilla/5.0 (compatible; Cloudflare-Healthchecks/1.0; +https://www.cloudflare.com/; healthcheck-id: 0)",
    ),
    AgentClass(
        "people",
        "an Android phone's own browser or web view, when only its model name looks like a bot's (XBot, "
        "VR BOT, Spider 8, HTC Butterfly, ViewSonic, Fever, Expanse, AUPO Zeus)",
        r"^Mozilla/5\.0 \(Linux; (?:U; )?Android [\d.]+; ?(?:[a-z]{2}[-_][A-Za-z]{2}; )?[\w .+-]+(?: [Bb]uild/[\w.-]+)?"
        r"(?:; wv)?\) AppleWebKit/[\d.+]+ \(KHTML,? like Gecko\)(?: Version/[\d.]+)?(?: Chrome/[\d.]+)? "
        r"(?:Mobile )?Safari/[\d.]+(?: OPR/[\d.]+)?$",
        "Mozilla/5.0 (Linux; Android 8.1.0; XBot_Senior Build/O11019) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/65.0.3325.109 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 4.1.2; Galaxy Nexus Build/JZO54K; GTmetrix https://gtmetrix.com/) "
        "AppleWebKit/537.22 (KHTML, like Gecko) Chrome/26.0.1410.58 Mobile Safari/537.22",
    ),
    AgentClass(
        "people",
        "Internet Explorer 11 with a company's branding token (Banca Caboto)",
        r"^Mozilla/5\.0 \(Windows NT [\d.]+; (?:WOW64; |Win64; x64; )?Trident/7\.0; [^()]*rv:11\.0\) like Gecko$",
        "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; Banca Caboto s.p.a.; rv:11.0) like Gecko",
        "Mozilla/5.0 (Windows NT 6.3; WOW64; Trident/7.0; rv:11.0; BingPreview/1.0b) like Gecko",
    ),
    AgentClass(
        "people",
        "apps a person reads or downloads with (Android's download manager, GoodReader, VictorReader, "
        "Fluid, Baidu's app, Yandex Zen, Snapchat's network stack, QQ's download add-on)",
        r"^AndroidDownloadManager/|^GoodReader\w*/|^VictorReader|\bFluid/\d|\bbaiduboxapp/|\bcom\.yandex\.zen/|"
        r"\bQQDownload \d|^CronetSnap\w*/\d",
        "AndroidDownloadManager/10 (Linux; U; Android 10; TECNO KD7 Build/QP1A.190711.020)",
        "Wget/1.14 (linux-gnu)",
    ),
    AgentClass(
        "people",
        "Android build ids of the form AP3A... (a device build, not a bot)",
        r"Build/AP\dA\.\d+",
        "Mozilla/5.0 (Linux; Android 15; CPH2557 Build/AP3A.240617.008; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Version/4.0 Chrome/142.0.7444.142 Mobile Safari/537.36",
        "AdsBot-Google (+http://www.google.com/adsbot.html)",
    ),
)


def people_pattern() -> str:
    """One alternation of every ``people`` row."""
    return "|".join(f"(?:{c.pattern})" for c in AGENT_CLASSES if c.kind == "people")


def bot_rows() -> tuple[AgentClass, ...]:
    return tuple(c for c in AGENT_CLASSES if c.kind != "people")


def readme_table() -> str:
    """README's table of decisions, one line per row, people last."""
    lines = ["| decided | what | catches, for example | must not catch, for example |", "|---|---|---|---|"]
    for c in sorted(AGENT_CLASSES, key=lambda c: c.kind == "people"):
        lines.append(f"| {c.kind} | {c.name} | `{_short(c.catches)}` | `{_short(c.spares)}` |")
    return "\n".join(lines)


def _short(agent: str) -> str:
    return agent if len(agent) <= 60 else agent[:57] + "..."
