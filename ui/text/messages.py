"""Translations of every code an engine can emit (engine.messages): errors, notes and explanation parts.

Keys are the engines' codes; the English side is the engine's own default, repeated here so a test can
hold the two equal and check every code has a translation with the same placeholders.
"""

TEXT = {
    # search: query syntax errors
    "search.not_text": ("a query must be text, not {type}", "查询必须是文本，而不是 {type}"),
    "search.too_long": ("the query is longer than {limit} characters", "查询超过了 {limit} 个字符"),
    "search.nul": ("the query contains a NUL character", "查询里有 NUL 字符"),
    "search.empty": ('the query is empty: type a word, a "phrase", prefix* or field:value',
                     '查询是空的：请输入一个词、"短语"、前缀* 或 字段:值'),
    "search.unmatched_rp": ("this ')' has no matching '('", "这个 ')' 没有对应的 '('"),
    "search.unexpected": ("unexpected {text}", "这里不应出现 {text}"),
    "search.needs_right": ("{op} needs something on its right", "{op} 的右边还缺内容"),
    "search.needs_left": ("{op} needs something on its left", "{op} 的左边还缺内容"),
    "search.ends_early": ("the query ends where a word was expected", "查询在应当出现词的地方结束了"),
    "search.not_needs_word": ("{op} needs a word after it", "{op} 后面需要跟一个词"),
    "search.too_deep": ("the query nests too deeply", "查询嵌套太深"),
    "search.unclosed_paren": ("this '(' is never closed", "这个 '(' 没有闭合"),
    "search.empty_parens": ("empty parentheses", "括号里是空的"),
    "search.unclosed_quote": ("this quote is never closed", "这个引号没有闭合"),
    "search.field_needs_value": ("{field}: needs a value, e.g. {field}:beijing", "{field}: 需要一个值，例如 {field}:北京"),
    "search.prefix_empty": ("a prefix needs at least one character before *", "前缀查询在 * 之前至少需要一个字符"),
    "search.star_inside": ("* is only allowed at the end of a word", "* 只能出现在词的末尾"),
    "search.unknown_field": ("unknown field {field}; fields here: {fields}", "没有字段 {field}；现有字段：{fields}"),
    "search.prefix_too_many": ("{prefix}* expands to more than {limit} terms: use a longer prefix",
                               "{prefix}* 展开后超过 {limit} 个词：请用更长的前缀"),
    # search: notes on a result
    "search.no_term": ("“{text}” has no searchable term (a stopword or punctuation): ignored",
                       "“{text}” 不含可检索的词（停用词或标点）：已忽略"),
    "search.phrase_no_term": ("the phrase “{text}” has no searchable term: ignored", "短语“{text}”不含可检索的词：已忽略"),
    "search.nothing": ("nothing to search for", "没有可检索的内容"),
    "search.prefix_expanded": ("{prefix}* expanded to {n} terms: {terms}", "{prefix}* 展开为 {n} 个词：{terms}"),
    # search: uploaded corpora
    "corpus.encoding": ("the file is neither UTF-8 nor GB18030 text (is it a binary or another encoding?)",
                        "该文件既不是 UTF-8 也不是 GB18030 文本（是二进制文件或其他编码吗？）"),
    "corpus.bad_json": ("line {line} is not valid JSON (at column {column})", "第 {line} 行不是有效的 JSON（第 {column} 列）"),
    "corpus.json_text": ('line {line} needs an object with a "text" string', '第 {line} 行需要一个带 "text" 字符串的对象'),
    "corpus.json_fields": ('line {line}: "fields" must be an object of strings', '第 {line} 行："fields" 必须是字符串组成的对象'),
    "corpus.csv_header": ('the CSV needs a header row with a "text" column (optional: id, title, and any fields)',
                          'CSV 需要带 "text" 列的表头（可选：id、title 及任意字段）'),
    "corpus.empty": ("the file holds no documents", "文件里没有文档"),
    "corpus.too_many": ("{n} documents is more than this demo indexes ({limit})", "{n} 篇文档超过了本演示可索引的上限（{limit}）"),
    "corpus.ids_repeat": ("document ids repeat; give each line a unique id or leave ids out",
                          "文档编号有重复；请给每行唯一编号，或不写编号"),
    "corpus.no_file": ("choose a file first", "请先选择文件"),
    # search: the parts of a BM25 explanation
    "expl.score": ("score = Σ BM25 weight of each matched query term", "得分 = Σ 每个命中查询词的 BM25 权重"),
    "expl.weight": ("weight(text:{term}) = idf × tf-norm", "权重(text:{term}) = idf × tf-norm"),
    "expl.idf": ("idf = ln(1 + (N − df + 0.5) / (df + 0.5))", "idf = ln(1 + (N − df + 0.5) / (df + 0.5))"),
    "expl.n_docs": ("N: live documents", "N：现存文档数"),
    "expl.df": ("df: live documents with the term", "df：含该词的现存文档数"),
    "expl.tf_norm": ("tf-norm = tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))",
                     "tf-norm = tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))"),
    "expl.tf": ("tf: occurrences in this document", "tf：该词在本文档中出现的次数"),
    "expl.k1": ("k1", "k1"),
    "expl.b": ("b", "b"),
    "expl.dl": ("dl: tokens in this document", "dl：本文档的词元数"),
    "expl.avgdl": ("avgdl: mean dl of live documents", "avgdl：现存文档的平均 dl"),
}
