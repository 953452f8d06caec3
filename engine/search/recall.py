"""How a recommender uses inverted indexes: a seeded demo shop and four recall channels, merged with quotas.

Channels (each an index look-up, each candidate carrying the reason it was found):
- term: the inverted index over item titles (BM25), as a search box would;
- region: a bitmap filter on the item's region (the user's city), ranked by recent popularity;
- behaviour: item-to-item co-occurrence (items engaged by the same users), seeded from the user's
  long-term history and, separately, a recent real-time window;
- preference: the user's preference tags looked up in tag postings.
The merger takes each channel's candidates up to its quota, round-robin, skipping duplicates; every
merged item lists every channel that proposed it, with why.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pyroaring import BitMap

from engine.messages import Message, define
from engine.search.analyzer import Analyzer
from engine.search.index import Index
from engine.search.snapshot import Doc

CATALOGUE = {  # category: (product nouns, tags)
    "数码": (["耳机", "手机", "平板", "键盘", "鼠标", "充电宝", "智能手表"],
             ["降噪", "无线", "便携", "快充", "高刷屏", "防水"]),
    "图书": (["小说", "编程指南", "历史读本", "绘本", "散文集", "数学导论"],
             ["科幻", "悬疑", "入门", "经典", "儿童", "推理"]),
    "运动": (["跑鞋", "瑜伽垫", "哑铃", "骑行头盔", "登山包", "泳镜"],
             ["轻量", "透气", "防滑", "户外", "专业", "耐磨"]),
    "家居": (["台灯", "收纳盒", "枕头", "香薰", "保温杯", "电饭煲"],
             ["护眼", "简约", "静音", "节能", "北欧风", "大容量"]),
    "食品": (["咖啡豆", "绿茶", "坚果", "巧克力", "蜂蜜", "燕麦"],
             ["有机", "低糖", "进口", "手工", "礼盒", "即食"]),
}
BRANDS = ["声悦", "山海", "青禾", "极光", "木森", "云栖", "星野", "拾光"]
REGIONS = ["北京", "上海", "广州", "深圳", "杭州", "成都"]
DEFAULT_QUOTAS = {"term": 4, "behaviour": 4, "preference": 3, "region": 3}


@dataclass(frozen=True)
class Item:
    """A product: title, category, the region it ships from, tags."""

    id: str
    title: str
    category: str
    region: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class User:
    """A shopper: home region and preference tags."""

    id: str
    region: str
    tags: tuple[str, ...]


define({
    "recall.term": "title matches “{query}” (BM25 {score})",
    "recall.region": "ships from your region {region} ({events} recent events)",
    "recall.behaviour_recent": "engaged together with “{title}” (in the last {hours} h)",
    "recall.behaviour_history": "engaged together with “{title}” (in your history)",
    "recall.preference": "preferred tag {tags}",
})


@dataclass(frozen=True)
class Event:
    """A view or purchase at time `ts` (hours since the log began)."""

    user: str
    item: str
    kind: str
    ts: float


@dataclass(frozen=True)
class Candidate:
    """An item a channel proposes, its channel-local score, and why."""

    item: str
    channel: str
    score: float
    reason: Message  # why the channel proposed it (a code; .text is the English default)


@dataclass
class Recalled:
    """A merged item: which channel's quota admitted it, and every channel that found it, with reasons."""

    item: Item
    admitted_by: str
    provenance: list[Candidate] = field(default_factory=list)


@dataclass
class Shop:
    """Items, users and their event log, with the indexes the channels read."""

    items: dict[str, Item]
    users: dict[str, User]
    events: list[Event]
    titles: Index
    item_nums: dict[str, int] = field(default_factory=dict)
    tag_postings: dict[str, BitMap] = field(default_factory=dict)
    region_postings: dict[str, BitMap] = field(default_factory=dict)
    cooccur: dict[str, Counter] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ids = list(self.items)
        self.item_nums = {i: n for n, i in enumerate(ids)}
        self._ids = ids
        for n, it in enumerate(self.items.values()):
            for tag in it.tags:
                self.tag_postings.setdefault(tag, BitMap()).add(n)
            self.region_postings.setdefault(it.region, BitMap()).add(n)
        per_user: dict[str, set[str]] = defaultdict(set)
        for e in self.events:
            per_user[e.user].add(e.item)
        self.cooccur = defaultdict(Counter)
        for engaged in per_user.values():
            for a in engaged:
                for b in engaged:
                    if a != b:
                        self.cooccur[a][b] += 1

    @property
    def now(self) -> float:
        """The time of the latest event."""
        return max((e.ts for e in self.events), default=0.0)

    def item_at(self, n: int) -> Item:
        """The item with internal number n."""
        return self.items[self._ids[n]]

    def popularity(self, since: float) -> Counter:
        """Events per item since time `since`."""
        return Counter(e.item for e in self.events if e.ts >= since)

    def history(self, user: str, since: float = float("-inf")) -> list[Event]:
        """A user's events since `since`, oldest first."""
        return [e for e in self.events if e.user == user and e.ts >= since]


def make_shop(seed: int = 0, n_items: int = 240, n_users: int = 30, n_events: int = 3000,
              analyzer: Analyzer | None = None) -> Shop:
    """A reproducible demo shop: users mostly engage with items matching their tags and city."""
    rng = random.Random(seed)
    items: dict[str, Item] = {}
    for i in range(n_items):
        category = rng.choice(list(CATALOGUE))
        nouns, adjectives = CATALOGUE[category]
        tags = tuple(rng.sample(adjectives, 2))
        title = f"{rng.choice(BRANDS)} {tags[0]}{rng.choice(nouns)} {tags[1]}款"
        items[f"i{i:03d}"] = Item(f"i{i:03d}", title, category, rng.choice(REGIONS), tags)
    all_tags = sorted({t for _, adjs in CATALOGUE.values() for t in adjs})
    users = {f"u{u:02d}": User(f"u{u:02d}", rng.choice(REGIONS), tuple(rng.sample(all_tags, 3)))
             for u in range(n_users)}
    by_tag: dict[str, list[str]] = defaultdict(list)
    for it in items.values():
        for tag in it.tags:
            by_tag[tag].append(it.id)
    events, ts = [], 0.0
    for _ in range(n_events):
        user = users[rng.choice(list(users))]
        ts += rng.expovariate(1 / 0.25)  # about four events an hour across the shop
        pool = [i for t in user.tags for i in by_tag[t]] if rng.random() < 0.7 else list(items)
        item = rng.choice(pool or list(items))
        events.append(Event(user.id, item, "purchase" if rng.random() < 0.12 else "view", round(ts, 3)))
    titles = Index(analyzer or Analyzer("search"))
    titles.add_many([Doc(it.id, it.title, it.title, {"category": it.category, "region": it.region})
                     for it in items.values()])
    return Shop(items, users, events, titles)


def term_channel(shop: Shop, query: str, n: int = 20) -> list[Candidate]:
    """Items whose titles match `query` in the title index, by BM25."""
    if not query.strip():
        return []
    res = shop.titles.search(query, k=n, explain=False, highlight=False)
    return [Candidate(h.doc_id, "term", h.score, Message("recall.term", query=query, score=f"{h.score:.2f}"))
            for h in res.hits]


def region_channel(shop: Shop, user: User, n: int = 20, days: float = 7) -> list[Candidate]:
    """Items in the user's region (a bitmap look-up), the most engaged-with in the last `days` first."""
    recent = shop.popularity(shop.now - 24 * days)
    nums = shop.region_postings.get(user.region, BitMap())
    ranked = sorted(nums, key=lambda k: (-recent[shop.item_at(k).id], shop.item_at(k).id))[:n]
    return [Candidate(shop.item_at(k).id, "region", float(recent[shop.item_at(k).id]),
                      Message("recall.region", region=user.region, events=recent[shop.item_at(k).id]))
            for k in ranked]


def behaviour_channel(shop: Shop, user: User, n: int = 20, window_hours: float = 24) -> list[Candidate]:
    """Items co-engaged with what the user engaged with: the recent window weighs 3×, long-term history 1×."""
    recent_start = shop.now - window_hours
    history = shop.history(user.id)
    bought = {e.item for e in history if e.kind == "purchase"}
    scores: Counter = Counter()
    because: dict[str, tuple[float, str, str]] = {}  # item -> (largest single gain, seed item, when)
    for e in history:
        recent = e.ts >= recent_start
        weight = 3.0 if recent else 1.0
        for other, count in shop.cooccur.get(e.item, {}).items():
            if other in bought or other == e.item:
                continue
            gain = weight * count
            scores[other] += gain
            if gain > because.get(other, (0.0,))[0]:
                because[other] = (gain, e.item, recent)
    out = []
    for item, score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:n]:
        _, seed, recent = because[item]
        out.append(Candidate(item, "behaviour", float(score),
                             Message("recall.behaviour_recent" if recent else "recall.behaviour_history",
                                     title=shop.items[seed].title, hours=f"{window_hours:g}")))
    return out


def preference_channel(shop: Shop, user: User, n: int = 20) -> list[Candidate]:
    """Items carrying the user's preference tags (tag postings), more shared tags first."""
    hits: Counter = Counter()
    for tag in user.tags:
        for k in shop.tag_postings.get(tag, BitMap()):
            hits[k] += 1
    ranked = sorted(hits.items(), key=lambda kv: (-kv[1], shop.item_at(kv[0]).id))[:n]
    return [Candidate(shop.item_at(k).id, "preference", float(c),
                      Message("recall.preference", tags="、".join(t for t in user.tags if t in shop.item_at(k).tags)))
            for k, c in ranked]


def recall(shop: Shop, user_id: str, query: str = "", quotas: dict[str, int] | None = None) -> tuple[
        list[Recalled], dict[str, list[Candidate]]]:
    """Run every channel for a user (and optional query), merge with quotas; returns (merged, per channel)."""
    user = shop.users[user_id]
    quotas = DEFAULT_QUOTAS if quotas is None else quotas
    channels = {"term": term_channel(shop, query), "behaviour": behaviour_channel(shop, user),
                "preference": preference_channel(shop, user), "region": region_channel(shop, user)}
    return merge(shop, channels, quotas), channels


def merge(shop: Shop, channels: dict[str, list[Candidate]], quotas: dict[str, int]) -> list[Recalled]:
    """Round-robin over channels in order, each up to its quota, skipping items already taken."""
    found: dict[str, list[Candidate]] = defaultdict(list)
    for cands in channels.values():
        for c in cands:
            found[c.item].append(c)
    taken: dict[str, Recalled] = {}
    used = Counter()
    cursors = dict.fromkeys(channels, 0)
    progress = True
    while progress:
        progress = False
        for name, cands in channels.items():
            while used[name] < quotas.get(name, 0) and cursors[name] < len(cands):
                c = cands[cursors[name]]
                cursors[name] += 1
                if c.item not in taken:
                    taken[c.item] = Recalled(shop.items[c.item], name, found[c.item])
                    used[name] += 1
                    progress = True
                    break
    return list(taken.values())
