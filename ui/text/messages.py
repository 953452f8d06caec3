"""Translations of every code an engine can emit (engine.messages): errors, notes and explanation parts.

Keys are the engines' codes; the English side is the engine's own default, repeated here so a test can
hold the two equal and check every code has a translation with the same placeholders.
"""

TEXT = {
    # background work in a forked child (engine/forked.py)
    "job.worker_died": ("the worker process ended without a result (exit status {status})",
                        "工作进程没有返回结果就结束了（退出状态 {status}）"),
    "job.worker_failed": ("the work failed in its worker process ({kind})", "工作进程中的计算出错了（{kind}）"),
    # artifacts a user brings (engine.artifacts, issue #33)
    "artifact.empty": ("the {what} is empty", "{what}是空的"),
    "artifact.too_big": ("the {what} is {size:,} bytes; the limit is {limit:,}", "{what}有 {size:,} 字节，上限是 {limit:,}"),
    "artifact.encoding": ("the {what} is not UTF-8 text (byte {offset})", "{what}不是 UTF-8 文本（第 {offset} 字节）"),
    "artifact.json": ("the {what} is not valid JSON at line {line}, column {column}",
                      "{what}在第 {line} 行第 {column} 列处不是有效的 JSON"),
    "artifact.too_deep": ("the {what} nests too deeply to read", "{what}嵌套太深，无法读取"),
    "artifact.too_large_to_read": ("the {what} needs more memory to read than this server gives one visitor",
                                   "读取该{what}所需的内存超过了服务器给每位访客的额度"),
    "artifact.format": ("this does not look like {expected}", "这看起来不是 {expected}"),
    "artifact.number_too_long": ("the {what} holds a number with thousands of digits", "{what}中有一个长达数千位的数字"),
    "artifact.missing": ("{path}: {field} is missing", "{path}：缺少 {field}"),
    "artifact.bad_value": ("{path}: {field} must be {expected}, not {value}", "{path}：{field} 应为 {expected}，而不是 {value}"),
    # specdec: vLLM's /metrics (engine.specdec.vllm)
    "vllm.syntax": ("line {line} is not in Prometheus' text format: {detail}",
                    "第 {line} 行不符合 Prometheus 文本格式：{detail}"),
    "vllm.long_line": ("line {line} is {n:,} characters long; a /metrics line is at most {limit:,} here",
                       "第 {line} 行长 {n:,} 个字符；这里一行 /metrics 最多 {limit:,} 个字符"),
    "vllm.no_spec": ("there are vLLM metrics but no vllm:spec_decode_* counters: was the server started with "
                     "--speculative-config?",
                     "有 vLLM 的指标，但没有 vllm:spec_decode_* 计数器：服务器启动时带了 --speculative-config 吗？"),
    "vllm.too_many": ("more than {limit:,} speculative-decoding lines: this is not one vLLM server's /metrics",
                      "投机解码相关的行超过 {limit:,} 行：这不是单个 vLLM 服务器的 /metrics"),
    "vllm.count": ("{name}{labels} is {value}: a counter must be a whole number from 0 to 2^63",
                   "{name}{labels} 的值是 {value}：计数器必须是 0 到 2^63 之间的整数"),
    "vllm.position": ("{name} has position=\"{value}\": positions are whole numbers from 0 to 63",
                      "{name} 的 position=\"{value}\"：位置必须是 0 到 63 之间的整数"),
    "vllm.no_drafts": ("vLLM has not verified any drafts yet (drafts = {drafts:,}, draft tokens = {tokens:,})",
                       "vLLM 还没有验证过任何草稿（草稿数 = {drafts:,}，草拟 token 数 = {tokens:,}）"),
    "vllm.grows": ("position {pos} accepted {count:,} tokens, more than position {prev} ({prev_count:,}): a token "
                   "is only accepted when every earlier one in its draft was",
                   "位置 {pos} 接受了 {count:,} 个 token，比位置 {prev}（{prev_count:,}）还多：一个 token 只有在同一草稿中"
                   "它之前的 token 全被接受时才可能被接受"),
    "vllm.sum": ("the per-position counts add up to {total:,}, but vllm:spec_decode_num_accepted_tokens_total is "
                 "{accepted:,}",
                 "各位置的计数加起来是 {total:,}，但 vllm:spec_decode_num_accepted_tokens_total 是 {accepted:,}"),
    "vllm.over_drafts": ("position {pos} accepted {count:,} tokens in only {drafts:,} drafts",
                         "位置 {pos} 在只有 {drafts:,} 次草稿的情况下接受了 {count:,} 个 token"),
    "vllm.over_drafted": ("{accepted:,} tokens accepted of only {tokens:,} drafted",
                          "只草拟了 {tokens:,} 个 token，却接受了 {accepted:,} 个"),
    "vllm.too_many_tokens": ("{tokens:,} tokens drafted in {drafts:,} drafts is more than {k} per draft, the "
                             "positions counted",
                             "{drafts:,} 次草稿共草拟 {tokens:,} 个 token，超过了每次 {k} 个（计数的位置数）"),
    "vllm.gap": ("position {pos} is missing between 0 and {last}; read as 0", "缺少 0 到 {last} 之间的位置 {pos}；按 0 计"),
    # attention: a Hugging Face config.json (engine.attention.hfconfig)
    "attention.config.number_too_long": ("the {what} holds a number longer than {digits:,} digits",
                                         "{what}中有一个超过 {digits:,} 位的数字"),
    "attention.config.kv_not_divisor": (
        "{heads} query heads do not split into groups of the {kv_heads} key/value heads: grouped-query attention "
        "gives each K/V head the same number of query heads",
        "{heads} 个查询头无法平均分给 {kv_heads} 个键/值头：分组查询注意力要求每个 K/V 头对应相同数量的查询头"),
    "attention.config.hidden_split": (
        "hidden_size = {hidden} does not split into {heads} heads ({hidden} / {heads} is not a whole number) and no "
        "head_dim is given",
        "hidden_size = {hidden} 无法平均分成 {heads} 个头（{hidden} / {heads} 不是整数），而且没有给出 head_dim"),
    "attention.config.rope_odd": (
        "head_dim = {head_dim} is odd, but rotary position embeddings (rope_theta is set) rotate pairs of dimensions",
        "head_dim = {head_dim} 是奇数，但旋转位置编码（设置了 rope_theta）是成对旋转维度的"),
    "attention.config.layer_types": ("layer_types lists {listed} layers, num_hidden_layers says {layers}",
                                     "layer_types 列出了 {listed} 层，而 num_hidden_layers 是 {layers}"),
    "attention.config.head_dim_differs": (
        "head_dim = {head_dim} is given: heads × head_dim = {inner} differs from hidden_size = {hidden}, so the "
        "projections map {hidden} to {inner}",
        "给出了 head_dim = {head_dim}：头数 × head_dim = {inner}，与 hidden_size = {hidden} 不同，"
        "因此投影把 {hidden} 维映射到 {inner} 维"),
    "attention.config.dtype_missing": ("no torch_dtype or dtype: float32 assumed", "没有 torch_dtype 或 dtype：按 float32 计算"),
    "attention.config.nested": ("read from text_config, the language model inside a multimodal config",
                                "读取自 text_config，即多模态配置中的语言模型部分"),
    "attention.config.mqa_default": (
        "gpt_bigcode without multi_query: its default, multi-query (one K/V head), was assumed",
        "gpt_bigcode 没有给出 multi_query：按其默认值，即多查询注意力（一个 K/V 头）计算"),
    "attention.config.sliding_window": (
        "sliding_window = {window}: layers that use it keep at most {window} tokens of K and V; the figures here "
        "assume full attention",
        "sliding_window = {window}：使用滑动窗口的层最多保留 {window} 个词元的 K 和 V；这里的数字按完整注意力计算"),
    # attention: the Triton kernels with gradients (engine.attention.triton_grad)
    "attention.triton.missing": (
        "Triton is not installed here, so the fused kernels cannot run (CUDA builds of PyTorch bring it)",
        "这里没有安装 Triton，融合内核无法运行（CUDA 版的 PyTorch 自带 Triton）"),
    "attention.triton.needs_cuda": (
        "the Triton kernels need CUDA tensors; these are on {device} (a CPU runs them only in Triton's interpreter, "
        "TRITON_INTERPRET=1 set before triton is imported)",
        "Triton 内核需要 CUDA 张量；这些张量在 {device} 上（CPU 只能在 Triton 的解释器中运行它们，"
        "须在导入 triton 之前设置 TRITON_INTERPRET=1）"),
    "attention.triton.blocks": (
        "Triton's blocks must be powers of two of at least 16; got {block_q} query rows and {block_k} keys",
        "Triton 的分块大小必须是不小于 16 的 2 的幂；这里是 {block_q} 个查询行和 {block_k} 个键"),
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
    "corpus.encoding": ("the file is neither UTF-8 nor GB18030 text (is it a binary, or Latin-1 or another encoding? "
                        "save it as UTF-8)",
                        "该文件既不是 UTF-8 也不是 GB18030 文本（是二进制文件，或是 Latin-1 等其他编码？请另存为 UTF-8）"),
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
    "corpus.too_big": ("the file is {mb} MB; uploads may be at most {limit} MB", "文件大小为 {mb} MB；上传文件最多 {limit} MB"),
    "corpus.too_long": ("{where} has {n} characters; a document may have at most {limit}",
                        "{where} 有 {n} 个字符；每篇文档最多 {limit} 个字符"),
    "corpus.too_much": ("the documents hold {n} characters in all; an upload may hold at most {limit}",
                        "这些文档共有 {n} 个字符；一次上传最多 {limit} 个字符"),
    "corpus.long_run": ("{where} has an unbroken run of {n} letters or digits; runs may be at most {limit} "
                        "(split it with spaces)",
                        "{where} 含有连续 {n} 个字母或数字；连续段最多 {limit} 个（请用空格分开）"),
    "corpus.bad_id": ("line {line} has an empty id; give it one or leave the id out",
                      "第 {line} 行的编号为空；请给它一个编号，或者去掉编号"),
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
    # search: an Elasticsearch explain that does not recompute (engine.search.es, issue #33)
    "es.leaf_mismatch": ("{what} is {claimed:.7g}, but its own factors give {recomputed:.7g}",
                         "{what} 写的是 {claimed:.7g}，但按它自己的因子算得 {recomputed:.7g}"),
    "es.sum_mismatch": ("a sum is {claimed:.7g}, but its {n} parts add up to {recomputed:.7g}",
                        "求和写的是 {claimed:.7g}，但它的 {n} 项加起来是 {recomputed:.7g}"),
    "es.max_mismatch": ("a max is {claimed:.7g}, but the largest of its {n} parts is {recomputed:.7g}",
                        "最大值写的是 {claimed:.7g}，但它的 {n} 项中最大的是 {recomputed:.7g}"),
    "es.min_mismatch": ("a min is {claimed:.7g}, but the smallest of its {n} parts is {recomputed:.7g}",
                        "最小值写的是 {claimed:.7g}，但它的 {n} 项中最小的是 {recomputed:.7g}"),
    "es.product_mismatch": ("a product is {claimed:.7g}, but its {n} parts multiply to {recomputed:.7g}",
                            "乘积写的是 {claimed:.7g}，但它的 {n} 项相乘得 {recomputed:.7g}"),
    "es.tie_mismatch": ("a max plus {tie:g} times the others is {claimed:.7g}, but its {n} parts give {recomputed:.7g}",
                        "“最大值加其余之和乘 {tie:g}”写的是 {claimed:.7g}，但它的 {n} 项算得 {recomputed:.7g}"),
    "es.result_mismatch": ("a weight is {claimed:.7g}, but the score it is the result of is {recomputed:.7g}",
                           "weight 写的是 {claimed:.7g}，但它所来自的 score 是 {recomputed:.7g}"),
    "es.hit_score_mismatch": ("the hit's _score is {claimed:.7g}, but its explanation says {recomputed:.7g}",
                              "该结果的 _score 是 {claimed:.7g}，但它的解释给出 {recomputed:.7g}"),
    # search: why a document does not match (engine.search.diagnose)
    "doctor.unknown_id": ("there is no document with id {id}", "没有编号为 {id} 的文档"),
    "doctor.deleted": ("{id} was deleted: its postings stay in their segment until a merge, but a tombstone hides "
                       "it from every search",
                       "{id} 已被删除：它的倒排记录在合并之前仍留在所在的段里，但墓碑标记让每次搜索都看不到它"),
    "doctor.nothing": ("the query has no searchable term, so it matches nothing", "查询里没有可检索的词，所以什么也匹配不到"),
    "doctor.term_missing": ("{clause}: the document has no term {term}", "{clause}：文档里没有 {term} 这个词"),
    "doctor.split": ("{clause}: the document's text holds “{term}”, but the analyzer cut it there as {cut}, so {term} "
                     "is not one of its terms",
                     "{clause}：文档正文里有“{term}”这几个字，但分析器在那里切成了 {cut}，所以 {term} 不是它的词"),
    "doctor.title_only": ("{clause}: {term} is in the title, but only the text is searched",
                          "{clause}：{term} 在标题里，但搜索只查正文"),
    "doctor.field_value": ("{clause}: {term} is the document's {field}, a keyword field, not a word of its text",
                           "{clause}：{term} 是这篇文档的 {field} 字段值（关键词字段），不是正文里的词"),
    "doctor.phrase_gap": ("{clause}: every term is in the document, but never at the phrase's distances: the phrase "
                          "needs {need}; the document has {have}",
                          "{clause}：每个词都在文档里，但从未按短语要求的间距出现：短语要求 {need}；文档里是 {have}"),
    "doctor.prefix_none": ("{clause}: no term of the document starts with {prefix}",
                           "{clause}：文档里没有以 {prefix} 开头的词"),
    "doctor.field_missing": ("{clause}: the document has no {field} field", "{clause}：文档没有 {field} 字段"),
    "doctor.field_mismatch": ("{clause}: the document's {field} is {actual}", "{clause}：文档的 {field} 是 {actual}"),
    "doctor.excluded": ("{clause}: the query leaves out documents matching {inner}, and this one matches it",
                        "{clause}：查询排除了匹配 {inner} 的文档，而这篇正好匹配"),
    "fix.doc_terms": ("search for the document's own terms {terms} instead of {word}",
                      "改搜文档自己的词 {terms}，而不是 {word}"),
    "fix.add_word": ("add {word} to the dictionary, so the analyzer keeps it whole in the document too",
                     "把 {word} 加入词典，让分析器在文档里也把它切成一个词"),
    "fix.unquote": ("drop the quotes around {clause}: its words anywhere, not side by side",
                    "去掉 {clause} 的引号：各词出现在任意位置即可，不必相邻"),
    "fix.use_field": ("filter on the field instead: {part}", "改用字段过滤：{part}"),
    "fix.field_value": ("ask for the document's value: {part}", "改查文档的取值：{part}"),
    "fix.drop": ("leave out {clause}", "去掉 {clause}"),
    # numerics: what the bit explorer reads
    "numerics.too_long": ("at most {limit} characters: a number or a bit pattern is never longer",
                          "最多 {limit} 个字符：数字或位模式不会更长"),
    "numerics.empty": ("type a number such as 0.1, 1e-7 or -65504, or a bit pattern such as 0x3C00",
                       "请输入一个数（如 0.1、1e-7、-65504）或位模式（如 0x3C00）"),
    "numerics.bad_hex": ("{text} is not a valid hex pattern", "{text} 不是有效的十六进制位模式"),
    "numerics.bad_binary": ("{text} is not a valid binary pattern", "{text} 不是有效的二进制位模式"),
    "numerics.too_wide_hex": ("{fmt} has {bits} bits: a hex pattern needs at most {want} digits, and {text} has {n}",
                              "{fmt} 共 {bits} 位：十六进制位模式最多 {want} 位数字，而 {text} 有 {n} 位"),
    "numerics.too_wide_binary": ("{fmt} has {bits} bits: a binary pattern needs at most {want} digits, and {text} has {n}",
                                 "{fmt} 共 {bits} 位：二进制位模式最多 {want} 位数字，而 {text} 有 {n} 位"),
    "numerics.not_number": ("{text} is not a number: use digits, a decimal point and an optional exponent",
                            "{text} 不是数：请使用数字、小数点和可选的指数"),
    "numerics.beyond_fp64": ("{text} is beyond even fp64's range (max ≈ 1.8e308), so it was read as {value}",
                             "{text} 连 fp64 的范围（最大约 1.8e308）都超出了，因此读作 {value}"),
    "numerics.below_fp64": ("{text} is below fp64's smallest subnormal (≈ 4.9e-324), so it was read as 0",
                            "{text} 比 fp64 最小的次正规数（约 4.9e-324）还小，因此读作 0"),
    # numerics: how a value was rounded into a format
    "numerics.round.exact": ("{x} is exactly representable in {fmt}: nothing to round",
                             "{x} 在 {fmt} 中可以精确表示：无需舍入"),
    "numerics.round.nearer_below": ("{x} is nearer to {below} than to {above}: it rounds down",
                                    "{x} 离 {below} 比离 {above} 更近：向下舍入"),
    "numerics.round.nearer_above": ("{x} is nearer to {above} than to {below}: it rounds up",
                                    "{x} 离 {above} 比离 {below} 更近：向上舍入"),
    "numerics.round.tie_even": ("{x} lies exactly halfway between {below} and {above}: a tie goes to the neighbour "
                                "whose last mantissa bit is 0, {chosen}",
                                "{x} 恰好位于 {below} 和 {above} 的正中间：平局时取最后一位尾数为 0 的那个相邻值，即 {chosen}"),
    "numerics.round.overflow": ("{x} rounds past {fmt}'s largest finite value {max}: it becomes {chosen}",
                                "{x} 舍入后超过了 {fmt} 的最大有限值 {max}：结果为 {chosen}"),
    "numerics.round.saturate": ("{x} is beyond {fmt}'s largest value {max}; this format has no infinity, so the "
                                "cast saturates to {chosen}",
                                "{x} 超过了 {fmt} 的最大值 {max}；该格式没有无穷大，因此转换饱和为 {chosen}"),
    "numerics.round.via_fp32": ("the float64 input was first rounded to float32 ({x32}), as torch's casts do, and "
                                "that value was rounded to {fmt}",
                                "与 torch 的类型转换一样，float64 输入先被舍入为 float32（{x32}），再由该值舍入到 {fmt}"),
    "numerics.round.special": ("{x} is not a finite number: it is stored as {chosen}",
                               "{x} 不是有限数：存储为 {chosen}"),
    "numerics.round.is_float64": ("{x} is the float64 nearest to what was typed (reading a decimal already rounds "
                                  "it); fp64 keeps it as it is",
                                  "{x} 是离所输入十进制数最近的 float64（读入十进制数时就已经舍入）；fp64 原样保存它"),
    "numerics.blocks.element": ("{element} cannot hold a block's values: choose a signed format such as "
                                "fp8_e4m3, fp6_e2m3 or fp4_e2m1",
                                "{element} 不能存放块中的值：请选择有符号格式，例如 fp8_e4m3、fp6_e2m3 或 fp4_e2m1"),
    "numerics.blocks.scale": ("unknown scale format {scale}: choose e8m0, e4m3, fp32 or none",
                              "未知的缩放格式 {scale}：请选择 e8m0、e4m3、fp32 或 none"),
    "numerics.blocks.block": ("a block is a positive number of values or a (rows, columns) tile, not {block}",
                              "块必须是正整数个值，或一个（行, 列）分片，而不是 {block}"),
    "numerics.blocks.tile_dims": ("a {rows}×{cols} tile needs a tensor of at least 2 dimensions; this one has {ndim}",
                                  "{rows}×{cols} 分片要求张量至少 2 维；这个张量只有 {ndim} 维"),
    "numerics.blocks.scheme": ("unknown scheme {scheme}; choose one of {choices}", "未知方案 {scheme}；可选：{choices}"),
    "numerics.blocks.rule": ("unknown E8M0 scale rule {rule}: choose ocp or ceil",
                             "未知的 E8M0 缩放规则 {rule}：请选择 ocp 或 ceil"),
    "numerics.study.kind": ("unknown tensor kind {kind}; choose weight, activation or gradient",
                            "未知的张量类型 {kind}；请选择 weight、activation 或 gradient"),
    "numerics.study.layer": ("unknown layer {layer}", "未知的层 {layer}"),
    "numerics.rounding.mode": ("unknown rounding {rounding}: choose nearest or stochastic",
                               "未知的舍入方式 {rounding}：请选择 nearest 或 stochastic"),
    "numerics.rounding.scale_format": ("stochastic rounding needs a signed element format; {fmt} is a scale format",
                                       "随机舍入需要有符号的元素格式；{fmt} 是缩放格式"),
    "numerics.rounding.draws": ("draws and steps are whole numbers from 1 to {max:,}, not {n}",
                                "抽样次数和步数须是 1 到 {max:,} 之间的整数，而不是 {n}"),
    "numerics.hadamard.block": ("a Hadamard block is a power of two from 2 to 4096 dividing the last dimension "
                                "({n}), not {block}",
                                "Hadamard 块必须是 2 到 4096 之间、能整除最后一维（{n}）的 2 的幂，而不是 {block}"),
    "numerics.tensors.pickle": ("{name} is a pickle ({ext}); pickles can run code when loaded and are never "
                                "opened here: save the tensors with safetensors or numpy.save instead",
                                "{name} 是 pickle（{ext}）；pickle 加载时可能执行代码，这里从不打开：请改用 "
                                "safetensors 或 numpy.save 保存张量"),
    "numerics.tensors.kind": ("{name}: only .npy, .npz and .safetensors files are read",
                              "{name}：只读取 .npy、.npz 和 .safetensors 文件"),
    "numerics.tensors.object": ("{name} holds an object array ({dtype}), which is a pickle: refused",
                                "{name} 存的是对象数组（{dtype}），即 pickle：拒绝读取"),
    "numerics.tensors.dtype": ("{name} holds {dtype}; the study reads real numbers (floats or integers)",
                               "{name} 的类型是 {dtype}；这里只研究实数（浮点数或整数）"),
    "numerics.tensors.length": ("{name}: the header declares {expected:,} bytes of data but {actual:,} follow",
                                "{name}：文件头声明有 {expected:,} 字节数据，实际后面只有 {actual:,} 字节"),
    "numerics.tensors.npz_member": ("the .npz member {member} is not a .npy array",
                                    ".npz 中的成员 {member} 不是 .npy 数组"),
    "numerics.tensors.npz_many": ("the .npz holds {n:,} members; at most {max:,} are read",
                                  ".npz 含有 {n:,} 个成员；最多读取 {max:,} 个"),
    "numerics.tensors.unpacked": ("the .npz unpacks to more than {limit:,} bytes", ".npz 解压后超过 {limit:,} 字节"),
    "numerics.tensors.safetensors": ("the .safetensors file is not valid (safetensors says: {detail})",
                                     ".safetensors 文件无效（safetensors 库的报错：{detail}）"),
    "numerics.tensors.none": ("the file holds no tensor with any values", "文件中没有任何含有数值的张量"),
    "numerics.tensors.nonfinite": ("{name}: {n:,} values are NaN or ±inf (first at {at}: {value}); a block holding "
                                   "one gets a NaN scale",
                                   "{name}：有 {n:,} 个值是 NaN 或 ±inf（第一个在 {at}：{value}）；含有它的块会得到 NaN 缩放"),
    "numerics.tensors.zero": ("{name} is all zeros: nothing to quantise", "{name} 全是 0：没有可量化的内容"),
    "numerics.tensors.sampled": ("{name} has {n:,} values; the study reads its first {rows:,} rows ({m:,} values)",
                                 "{name} 有 {n:,} 个值；这里只研究它的前 {rows:,} 行（{m:,} 个值）"),
    "numerics.study.factor": ("the outlier is a multiple of the tensor's largest value between 1 and {max}, not "
                              "{factor}",
                              "离群值是张量最大值的倍数，须在 1 到 {max} 之间，而不是 {factor}"),
    "vqvae.update": ("unknown codebook update {update}; choose loss, ema or ema_restart",
                     "未知的码本更新规则 {update}；请选择 loss、ema 或 ema_restart"),
    "vqvae.grid": ("the code grid is 4×4 or 2×2 for 8×8 digits, not {grid}",
                   "对 8×8 的数字图像，码字网格只能是 4×4 或 2×2，而不是 {grid}"),
    "vqvae.size": ("codebook size and code dimension must be 2–{max_k} and 1–{max_d}, not {k} and {d}",
                   "码本大小须在 2–{max_k}、码字维度须在 1–{max_d} 之间，而不是 {k} 和 {d}"),
    "vqvae.decay": ("the EMA decay lies in (0, 1), not {decay}", "EMA 衰减须在 (0, 1) 之间，而不是 {decay}"),
    "vqvae.beta": ("β, the commitment weight, lies in [0, 10], not {beta}", "承诺损失权重 β 须在 [0, 10] 之间，而不是 {beta}"),
    "vqvae.dead": ("the dead-code threshold lies in (0, {start}), below the starting count, not {threshold}",
                   "死码阈值须在 (0, {start}) 之间、低于初始计数，而不是 {threshold}"),
    "vqvae.init": ("unknown codebook initialisation {init}; choose random, data or kmeans",
                   "未知的码本初始化方式 {init}；请选择 random、data 或 kmeans"),
    "vqvae.steps": ("a run trains 1–{max} steps, not {steps}", "一次训练的步数须在 1–{max} 之间，而不是 {steps}"),
    "vqvae.toy": ("the toy takes 10–{max_n} points, 2–{max_k} codes, 1–{max_t} steps and a rule among kmeans, ema, "
                  "ema_restart; not {n}, {k}, {t}, {rule}",
                  "二维示例要求 10–{max_n} 个点、2–{max_k} 个码字、1–{max_t} 步，规则为 kmeans、ema 或 ema_restart 之一；"
                  "而不是 {n}、{k}、{t}、{rule}"),
    # vqvae: the visitor's own codes (.npy)
    "vqvae.npy_object": ("the .npy holds an object array ({dtype}), which is a pickle: refused",
                         ".npy 中是对象数组（{dtype}），那是 pickle：拒绝读取"),
    "vqvae.npy_dtype": ("the .npy holds {dtype}; code indices are integers (int8–int64, uint8–uint64)",
                        ".npy 中是 {dtype}；码字索引应为整数（int8–int64、uint8–uint64）"),
    "vqvae.npy_length": ("the .npy header declares {expected:,} bytes of data but {actual:,} follow",
                         ".npy 文件头声明有 {expected:,} 字节数据，实际只有 {actual:,} 字节"),
    "vqvae.npy_version": ("the .npy format version {version} is not one numpy writes for plain arrays",
                          ".npy 格式版本 {version} 不是 numpy 为普通数组写出的版本"),
    "vqvae.codebook_size": ("the codebook size is 2–{max:,}, not {k}", "码本大小须在 2–{max:,} 之间，而不是 {k}"),
    "vqvae.no_codes": ("none of the {n:,} codes lies in [0, {k}): is the codebook size right?",
                       "{n:,} 个码字没有一个落在 [0, {k}) 内：码本大小设对了吗？"),
    "vqvae.negative": ("negative codes: {n:,} (first at {at}, value {value}), a padding value? Not counted",
                       "负数码字：{n:,} 个（第一个在 {at}，值为 {value}），是填充值吗？未计入"),
    "vqvae.beyond": ("codes ≥ the codebook size {k}: {n:,} (first at {at}, value {value}); not counted",
                     "≥ 码本大小 {k} 的码字：{n:,} 个（第一个在 {at}，值为 {value}）；未计入"),
    "vqvae.fsq_levels": ("FSQ takes one level count per dimension ({d}), each 3–65,536, at most {max} codes in all; "
                         "not {levels}",
                         "FSQ 要求每个维度一个级数（共 {d} 个），每个在 3–65,536 之间，总码字数至多 {max}；而不是 {levels}"),
    "vqvae.prior_temperature": ("the sampling temperature lies in [{lo}, {max}], not {temperature}",
                                "抽样温度须在 [{lo}, {max}] 之间，而不是 {temperature}"),
    "vqvae.prior_samples": ("draw {lo}–{max} grids at a time, not {n}", "每次抽取 {lo}–{max} 个网格，而不是 {n}"),
    "vqvae.prior_stale": ("the shipped prior was trained on the codes of another VQ-VAE checkpoint than {file}; "
                          "run python -m engine.vqvae.prior --train",
                          "随附的先验是在另一个 VQ-VAE 检查点（不是 {file}）的码字上训练的；请运行 "
                          "python -m engine.vqvae.prior --train"),
    "numerics.round.no_nan": ("{fmt} has no NaN: every one of its patterns is a number, so NaN cannot be stored "
                              "(in an MX block, the block's E8M0 scale carries it)",
                              "{fmt} 没有 NaN：它的每个位模式都是一个数，所以无法存储 NaN（在 MX 块中由块的 E8M0 缩放因子表示 NaN）"),
    "numerics.round.e8m0_nan": ("{fmt} holds only positive powers of two: {x} has no pattern and becomes NaN",
                                "{fmt} 只能表示 2 的正数次幂：{x} 没有对应的位模式，变为 NaN"),
    "numerics.round.e8m0_floor": ("{x} is below {fmt}'s smallest value {min}; there is no zero, so it becomes {chosen}",
                                  "{x} 小于 {fmt} 的最小值 {min}；该格式没有零，因此变为 {chosen}"),
    "numerics.round.tie_up": ("{x} lies exactly halfway between {below} and {above}; {fmt} breaks the tie upwards, "
                              "as ml_dtypes does: {chosen}",
                              "{x} 恰好位于 {below} 与 {above} 的正中间；与 ml_dtypes 一样，{fmt} 向上取：{chosen}"),
    # search: why a recall channel proposed an item
    "recall.term": ("title matches “{query}” (BM25 {score})", "标题匹配“{query}”（BM25 {score}）"),
    "recall.region": ("ships from your region {region} ({events} recent events)", "从你所在的地区{region}发货（近期 {events} 条行为）"),
    "recall.behaviour_recent": ("engaged together with “{title}” (in the last {hours} h)", "与“{title}”一同被浏览或购买（最近 {hours} 小时）"),
    "recall.behaviour_history": ("engaged together with “{title}” (in your history)", "与“{title}”一同被浏览或购买（历史记录）"),
    "recall.preference": ("preferred tag {tags}", "偏好标签 {tags}"),
    # modules: nn.Xxx against nn.functional.xxx
    "modules.equal_bitwise": ("the module and the function give bitwise identical outputs", "模块与函数的输出逐位相同"),
    "modules.equal_close": ("the outputs agree to {diff} (not bitwise: a different kernel or order of additions)",
                            "输出在 {diff} 以内一致（并非逐位相同：内核或加法顺序不同）"),
    "modules.differs": ("the outputs differ (largest difference {diff})", "输出不同（最大差值 {diff}）"),
    "modules.dropout_flag": ("F.dropout defaults to training=True: called without the module's `training` flag, it "
                             "keeps dropping in eval mode, while nn.Dropout passes its input through",
                             "F.dropout 默认 training=True：如果调用时不传模块的 `training` 标志，它在 eval 模式下仍会丢弃，"
                             "而 nn.Dropout 会原样输出"),
    "modules.bn_modes_measured": ("the same input through one BatchNorm2d in train mode, then in eval mode: the "
                                  "outputs differ by up to {out} (train normalises with this batch's statistics, "
                                  "eval with the running ones); train moved running_mean by up to {mean} and "
                                  "running_var by up to {var}, eval moved them by {eval_mean} and {eval_var}",
                                  "同一输入先以 train 模式、再以 eval 模式经过同一个 BatchNorm2d：两次输出最多相差 {out}"
                                  "（train 用本批的统计量归一化，eval 用滑动统计量）；train 让 running_mean 最多变化 {mean}、"
                                  "running_var 最多变化 {var}，eval 让它们变化 {eval_mean} 和 {eval_var}"),
    "modules.state_changed": ("{where} changed {names} during the call", "{where} 在调用中改变了 {names}"),
    "modules.functional_call_same": ("torch.func.functional_call with a dict of the module's own parameters and "
                                     "buffers gives bitwise the module's output",
                                     "用模块自身参数和缓冲区组成的字典调用 torch.func.functional_call，输出与模块逐位相同"),
    "modules.functional_call_differs": ("torch.func.functional_call with a dict of the module's own parameters and "
                                        "buffers differs from the module by {diff}",
                                        "用模块自身参数和缓冲区组成的字典调用 torch.func.functional_call，与模块相差 {diff}"),
    "modules.functional_call_follows": ("handed a dict with nn.{name}'s {n} parameter tensor(s) multiplied by "
                                        "−1, torch.func.functional_call returned −(the module's output) (largest "
                                        "|difference| {diff}), up to {away} away from what the module itself "
                                        "returns, and the module's own parameters did not change: the output "
                                        "follows the dict, not the module",
                                        "把 nn.{name} 的 {n} 个参数张量乘以 −1 放进字典交给 torch.func.functional_call，"
                                        "它返回的正是 −(模块的输出)（最大 |差值| {diff}），与模块自己的输出最多相差 {away}，"
                                        "而模块自身的参数没有改变：输出跟随字典，而不是模块"),
    "modules.functional_call_ignored": ("handed a dict with nn.{name}'s {n} parameter tensor(s) multiplied by "
                                        "−1, the call returned the module's own output (largest |difference| "
                                        "{away}): it ignored the dict",
                                        "把 nn.{name} 的 {n} 个参数张量乘以 −1 放进字典，调用却返回了模块自己的输出"
                                        "（最大 |差值| {away}）：它忽略了字典"),
    "modules.functional_call_nothing": ("nn.{name} has no parameters or buffers: functional_call has no tensor to "
                                        "swap, so it is the module itself",
                                        "nn.{name} 没有参数也没有缓冲区：functional_call 没有可替换的张量，所以它就是模块本身"),
    "modules.bug.plain_list": ("layers kept in a plain Python list: nn.Module never sees them, so they have no "
                               "parameters here, are missing from state_dict, and an optimizer never updates them",
                               "层放在普通的 Python list 里：nn.Module 看不到它们，因此这里没有参数，state_dict 里也没有，"
                               "优化器永远不会更新它们"),
    "modules.bug.module_list": ("the same layers in nn.ModuleList: registered, so their parameters and state_dict "
                                "entries are there",
                                "同样的层放在 nn.ModuleList 里：已注册，所以参数和 state_dict 条目都在"),
    "modules.bug.tensor_attr": ("a plain tensor attribute: not a parameter (never trained), not a buffer (not saved, "
                                "does not move with .to())",
                                "普通张量属性：不是参数（不会被训练），也不是缓冲区（不会被保存，也不会随 .to() 移动）"),
    "modules.bug.parameter": ("nn.Parameter: registered, trained and saved", "nn.Parameter：已注册、会被训练、会被保存"),
    "modules.bug.buffer": ("register_buffer: saved and moved with the module, not trained",
                           "register_buffer：随模块保存和移动，不参与训练"),
    "modules.bug.buffer_nonpersistent": ("register_buffer(persistent=False): moved with the module, not saved",
                                         "register_buffer(persistent=False)：随模块移动，不会被保存"),
    "modules.bug.functional_dropout": ("F.dropout called without training=self.training: eval() does not stop it",
                                       "调用 F.dropout 时没有传 training=self.training：eval() 也停不下它"),
    "modules.to_all": ("m.to(torch.float64) converted every tensor the module holds: {moved}",
                       "m.to(torch.float64) 转换了模块持有的所有张量：{moved}"),
    "modules.to_none": ("m.to(torch.float64) converted nothing: {stayed} stayed {dtype}, because nn.Module never "
                        "registered them", "m.to(torch.float64) 什么也没转换：{stayed} 仍是 {dtype}，因为 nn.Module 从未注册它们"),
    "modules.to_left": ("m.to(torch.float64) converted {moved}, but {stayed} stayed {dtype}: what nn.Module did not "
                        "register (a plain tensor attribute, layers in a Python list) is neither a parameter nor a "
                        "buffer, so .to() never sees it",
                        "m.to(torch.float64) 转换了 {moved}，但 {stayed} 仍是 {dtype}：nn.Module 没有注册的东西"
                        "（普通张量属性、放在 Python list 里的层）既不是参数也不是缓冲区，.to() 根本看不到它们"),
    "modules.shape_differs": ("the outputs have different shapes: {module} from the module, {function} from the "
                              "function (the same {n} numbers in the same order)",
                              "输出形状不同：模块给出 {module}，函数给出 {function}（同样的 {n} 个数，顺序也相同）"),
    "modules.shape_and_values_differ": ("the outputs differ in shape ({module} from the module, {function} from the "
                                        "function) and in their numbers",
                                        "输出的形状（模块 {module}，函数 {function}）和数值都不同"),
    "modules.softmax_default": ("F.softmax without dim chooses one itself (dim 0 for 0-, 1- and 3-D inputs, dim 1 "
                                "otherwise; deprecated): on this {ndim}-D input its outputs sum to 1 along dim "
                                "{naive_dim}, nn.Softmax(dim={dim})'s along dim {module_dim}",
                                "不传 dim 时 F.softmax 会自己选一维（0、1、3 维输入选第 0 维，其余选第 1 维；已弃用）："
                                "在这个 {ndim} 维输入上，它的输出沿第 {naive_dim} 维求和为 1，nn.Softmax(dim={dim}) 的输出沿第 "
                                "{module_dim} 维求和为 1"),
    "modules.flatten_default": ("nn.Flatten() keeps the batch dimension (start_dim=1): {module}; torch.flatten(x) "
                                "starts at dim 0 and folds the batch in too: {function}",
                                "nn.Flatten() 保留批次维（start_dim=1）：{module}；torch.flatten(x) 从第 0 维开始，"
                                "把批次维也压平了：{function}"),
    "modules.gelu_default": ("nn.GELU(approximate='tanh') uses the tanh approximation; F.gelu(x) defaults to "
                             "approximate='none', the exact erf form: on this input they differ by up to {diff}",
                             "nn.GELU(approximate='tanh') 使用 tanh 近似；F.gelu(x) 默认 approximate='none'，即精确的 erf "
                             "形式：在这个输入上两者最多相差 {diff}"),
    # modules: the linter (engine.modules.linter, issue #33)
    "modules.lint.syntax": ("the {what} does not parse at line {line}, column {column}",
                            "{what}在第 {line} 行第 {column} 列处无法解析"),
    "modules.lint.functional_dropout_training": (
        "{call}(…) without training=: it defaults to training=True, so it keeps dropping after model.eval(); pass "
        "training=self.training or use nn.{module}",
        "{call}(…) 没有传 training=：它默认 training=True，所以 model.eval() 之后仍在丢弃；请传 training=self.training，"
        "或改用 nn.{module}"),
    "modules.lint.plain_list_of_modules": (
        "self.{attr} holds modules in a plain {kind}: nn.Module never registers them (no parameters, no state_dict "
        "entries, not moved by .to()); use nn.{fix}",
        "self.{attr} 把模块放在普通的 {kind} 里：nn.Module 不会注册它们（没有参数，不在 state_dict 里，.to() 也不会移动它们）；"
        "请改用 nn.{fix}"),
    "modules.lint.tensor_attribute": (
        "self.{attr} = {call}(…) in __init__ is a plain tensor: not a parameter (never trained), not a buffer (not "
        "saved, not moved by .to()); use nn.Parameter or self.register_buffer",
        "__init__ 里的 self.{attr} = {call}(…) 是普通张量：不是参数（不会被训练），也不是缓冲区（不会被保存，.to() 也不会移动它）；"
        "请改用 nn.Parameter 或 self.register_buffer"),
    "modules.lint.softmax_no_dim": (
        "{call} without dim: the dimension is chosen implicitly (dim 0 for 0-, 1- and 3-D inputs, dim 1 otherwise) "
        "and the choice is deprecated; pass dim=-1 or the dimension you mean",
        "{call} 没有传 dim：维度被隐式选择（0、1、3 维输入选第 0 维，其余选第 1 维），这种选择已被弃用；请传 dim=-1 或你想要的维度"),
    "modules.lint.missing_super_init": (
        "class {cls}({base}) defines __init__ without calling super().__init__(): the first submodule, parameter or "
        "buffer it assigns raises an error",
        "类 {cls}({base}) 定义了 __init__ 却没有调用 super().__init__()：它第一次给子模块、参数或缓冲区赋值时就会报错"),
    "modules.lint.cut": ("the first {shown} of {total} findings are listed", "共 {total} 处问题，这里列出前 {shown} 处"),
    "modules.lint.clean": ("{classes} module class(es) read, {calls} call(s) checked: nothing to report",
                           "读了 {classes} 个模块类，检查了 {calls} 个调用：没有发现问题"),
    # ddp: the cluster and its tasks
    "ddp.world_size": ("a cluster has 1 to {limit} processes, not {n}", "集群有 1 到 {limit} 个进程，而不是 {n}"),
    "ddp.rank_exited": ("rank {rank} exited (status {status}) during {task}; the cluster was stopped and restarts on "
                        "the next run", "进程 {rank} 在 {task} 期间退出（状态 {status}）；集群已停止，下次运行时会重启"),
    "ddp.rank_silent": ("rank {rank} sent nothing for {seconds} s during {task}; the cluster was stopped and restarts "
                        "on the next run", "进程 {rank} 在 {task} 期间 {seconds} 秒没有任何消息；集群已停止，下次运行时会重启"),
    "ddp.rank_failed": ("rank {rank} failed during {task}: {error}", "进程 {rank} 在 {task} 期间出错：{error}"),
    "ddp.unknown_task": ("{name} is not a task of engine.ddp", "{name} 不是 engine.ddp 的任务"),
    "ddp.size": ("the buffer has 1 to {limit} elements, not {n}", "缓冲区有 1 到 {limit} 个元素，而不是 {n}"),
    "ddp.dtype": ("dtype is one of {choices}, not {dtype}", "dtype 只能是 {choices} 之一，而不是 {dtype}"),
    "ddp.model": ("model is one of {choices}, not {model}", "模型只能是 {choices} 之一，而不是 {model}"),
    "ddp.cap": ("bucket_cap_mb is {low} to {high}, not {cap}", "bucket_cap_mb 取 {low} 到 {high}，而不是 {cap}"),
    "ddp.steps": ("steps is 1 to {limit}, not {n}", "步数取 1 到 {limit}，而不是 {n}"),
    "ddp.batch": ("the batch has {low} to {limit} samples for {n} ranks, not {batch}",
                  "{n} 个进程时批次取 {low} 到 {limit} 个样本，而不是 {batch}"),
    "ddp.mistake": ("mistake is one of {choices}, not {mistake}", "错误类型只能是 {choices} 之一，而不是 {mistake}"),
    "ddp.allreduce": ("allreduce is one of {choices}, not {allreduce}", "allreduce 只能是 {choices} 之一，而不是 {allreduce}"),
    "ddp.loss_scale": ("loss_scale lies in [{low}, {high}], not {scale}", "loss_scale 取值在 [{low}, {high}]，而不是 {scale}"),
    # ddp: reading nccl-tests' output (engine.ddp.nccltests, issue #33)
    "nccl.no_table": ("no result lines: nccl-tests prints one line per size under a header naming size, count, "
                      "type, redop, time, algbw and busbw",
                      "没有结果行：nccl-tests 在列出 `size`、`count`、`type`、`redop`、`time`、`algbw`、`busbw` 的表头下每个大小打印一行"),
    "nccl.no_ranks": ("no rank lines (\"#  Rank  0 Group  0 Pid …\"): the number of ranks sets busbw's factor",
                      "没有 rank 行（`#  Rank  0 Group  0 Pid …`）：busbw 的系数取决于 rank 数"),
    "nccl.collective": ("the collective is not named (\"# Collective test starting: all_reduce_perf\"): read it as "
                        "one of {choices}", "输出没有写明集合通信（\"# Collective test starting: all_reduce_perf\"）："
                        "请按 {choices} 之一读取"),
    "nccl.unknown_collective": ("{name} is not a collective nccl-tests measures", "{name} 不是 nccl-tests 测量的集合通信"),
    "nccl.row": ("line {line}: {field} must be {expected}, not {value}", "第 {line} 行：{field} 应为 {expected}，而不是 {value}"),
    "nccl.long_line": ("line {line} has {n:,} characters; nccl-tests prints short lines",
                       "第 {line} 行有 {n:,} 个字符；nccl-tests 打印的行都很短"),
    "nccl.too_many": ("more than {limit:,} {what}: cut the output to one run", "超过 {limit:,} 个 {what}：请只保留一次运行的输出"),
    "nccl.algbw": ("line {line}, {place}: algbw is printed as {printed} GB/s, but size / time gives {expected} GB/s",
                   "第 {line} 行，{place}：algbw 印的是 {printed} GB/s，但 size / time 得 {expected} GB/s"),
    "nccl.busbw": ("line {line}, {place}: busbw is printed as {printed} GB/s, but algbw × {factor} gives {expected} "
                   "GB/s", "第 {line} 行，{place}：busbw 印的是 {printed} GB/s，但 algbw × {factor} 得 {expected} GB/s"),
    "nccl.wrong": ("line {line}, {place}: the tool itself found {wrong} wrong elements",
                   "第 {line} 行，{place}：工具自己发现了 {wrong} 个错误元素"),
    "nccl.avg": ("the footer's average bus bandwidth is {printed} GB/s, but the mean of the {n} busbw values is "
                 "{expected} GB/s", "末尾的平均总线带宽是 {printed} GB/s，但 {n} 个 busbw 的平均值是 {expected} GB/s"),
    "nccl.fit_points": ("a fit needs two sizes with a time above zero", "拟合至少需要两个耗时大于零的大小"),
    # ddp: DDP against one process
    "ddp.equal": ("DDP on {n} shards took the same {steps} steps as one process on the whole batch: the largest "
                  "gradient difference, {diff}, is rounding ({dtype} bound {tol})",
                  "DDP 在 {n} 个分片上走出的 {steps} 步与单进程在整个批次上完全相同：最大梯度差 {diff} 只是舍入误差"
                  "（{dtype} 界限 {tol}）"),
    "ddp.caught": ("caught: the gradients differ by up to {diff} (bound {tol}).",
                   "已检测到：梯度最多相差 {diff}（界限 {tol}）。"),
    "ddp.not_caught": ("this mistake changes nothing with {n} rank(s): the gradients still agree to {diff}",
                       "在 {n} 个进程时这个错误不起作用：梯度仍一致到 {diff}"),
    "ddp.why.loss_times_world": ("Multiplying the loss by the world size: DDP already averages the gradients over "
                                 "ranks, so every gradient comes out {n}× too large.",
                                 "把损失乘以进程数：DDP 本来就会对各进程的梯度求平均，于是每个梯度都大了 {n} 倍。"),
    "ddp.why.sum_reduction": ("reduction='sum' on each shard: DDP averages sums, giving (1/N)·Σ instead of the batch "
                              "mean, {scale}× the single-process gradient.",
                              "每个分片用 reduction='sum'：DDP 对求和结果取平均，得到 (1/N)·Σ 而不是整批均值，"
                              "是单进程梯度的 {scale} 倍。"),
    "ddp.why.uneven_shards_unweighted": ("Shards of {sizes} samples, each loss a plain mean: DDP gives every rank the "
                                         "same weight 1/N, so samples on small shards count more. Weight each loss by "
                                         "n_r·N/B.",
                                         "分片大小为 {sizes} 个样本，每个损失都是简单均值：DDP 给每个进程相同的权重 1/N，"
                                         "于是小分片上的样本占比更大。应把每个损失乘以 n_r·N/B。"),
    "ddp.why.batchnorm_without_sync": ("Plain BatchNorm normalises each shard with its own mean and variance, not the "
                                       "whole batch's; a synchronised BatchNorm shares the statistics.",
                                       "普通 BatchNorm 用每个分片自己的均值和方差归一化，而不是整个批次的；"
                                       "同步 BatchNorm 会共享这些统计量。"),
    "ddp.why.sampler_padding": ("DistributedSampler pads {total} samples to {padded} by repeating {extra} of them, so "
                                "those count twice in the average.",
                                "DistributedSampler 通过重复其中 {extra} 个样本把 {total} 个样本补齐到 {padded} 个，"
                                "这些样本在平均中被计算了两次。"),
    "ddp.why.different_init": ("The replicas started from different weights (init_sync=False skips DDP's broadcast "
                               "from rank 0): the averaged gradient belongs to no single model, and the replicas "
                               "never agree.",
                               "各副本从不同的权重出发（init_sync=False 跳过了 DDP 从进程 0 的广播）："
                               "平均后的梯度不属于任何一个模型，各副本也永远不会一致。"),
    "ddp.note.bn_model": ("this mistake needs a BatchNorm, so the bn model is used",
                          "这个错误需要 BatchNorm，因此改用 bn 模型"),
    "ddp.accumulate": ("{k} micro-batches under no_sync then one synchronised step match one batch of {big}: largest "
                       "gradient difference {diff}, with {without} bucket all-reduce(s) instead of {with_sync}",
                       "在 no_sync 下累积 {k} 个微批次、再同步一步，与一个 {big} 的大批次一致：最大梯度差 {diff}，"
                       "只做了 {without} 次桶 all-reduce，而不是 {with_sync} 次"),
    # autograd: the expression language
    "autograd.empty": ("type at least one assignment, e.g. out = (x * 2).sum()",
                       "请至少写一个赋值，例如 out = (x * 2).sum()"),
    "autograd.too_long": ("the program is longer than {limit} characters", "程序超过了 {limit} 个字符"),
    "autograd.too_big": ("the program has more than {limit} parts; split it or simplify",
                         "程序的组成部分超过 {limit} 个；请拆分或简化"),
    "autograd.syntax": ("this is not valid Python here", "这里不是合法的 Python 写法"),
    "autograd.syntax_unclosed": ("this {char} is never closed", "这个 {char} 没有闭合"),
    "autograd.syntax_unmatched": ("this {char} has no opening partner", "这个 {char} 没有对应的开括号"),
    "autograd.syntax_string": ("this string is never closed (and strings are not part of the language)",
                               "这个字符串没有闭合（而且本语言不支持字符串）"),
    "autograd.not_assignment": ("each line must assign a name, e.g. y = x * 2", "每一行都必须给一个名字赋值，例如 y = x * 2"),
    "autograd.target": ("assign to one plain name (not {what})", "只能赋值给一个普通名字（而不是 {what}）"),
    "autograd.reserved": ("{name} is a function here; pick another name", "{name} 在这里是函数名；请换一个名字"),
    "autograd.unsupported": ("{what} is not part of this language", "本语言不支持 {what}"),
    "autograd.unknown_call": ("{name}() is not available; use one of {choices}", "没有 {name}()；可用的有 {choices}"),
    "autograd.arity": ("{name} takes {n} argument(s) here", "{name} 在这里接受 {n} 个参数"),
    "autograd.keyword": ("{name}() takes no keyword arguments here", "{name}() 在这里不接受关键字参数"),
    "autograd.index": ("indices must be whole numbers or slices of whole numbers", "索引必须是整数或整数切片"),
    "autograd.number": ("the number {value} is too large for this demo (at most {limit})",
                        "数字 {value} 对本演示来说太大（最多 {limit}）"),
    "autograd.method_only": ("use {name} as a method, e.g. x.{name}()", "请把 {name} 当作方法使用，例如 x.{name}()"),
    "autograd.keyword_only": ("{name}() takes only {allowed} as keywords here", "这里 {name}() 只接受 {allowed} 这些关键字参数"),
    "autograd.dim": ("dim must be a whole number from {lo} to {hi}", "dim 必须是 {lo} 到 {hi} 之间的整数"),
    "autograd.keepdim": ("keepdim must be True or False", "keepdim 必须是 True 或 False"),
    "autograd.needs_dim": ("{name}() needs a dim here, e.g. x.{name}(dim=-1)", "这里 {name}() 需要 dim，例如 x.{name}(dim=-1)"),
    "autograd.twice": ("{name}() was given dim twice", "{name}() 的 dim 给了两次"),
    "autograd.shape": ("reshape takes 1 to {limit} whole numbers (one of them may be -1), e.g. x.reshape(2, 3)",
                       "reshape 接受 1 到 {limit} 个整数（其中一个可以是 -1），例如 x.reshape(2, 3)"),
    "autograd.where": ("where(condition, a, b) needs one comparison as its condition, e.g. where(x > 0, x, 0)",
                       "where(condition, a, b) 的条件必须是一个比较，例如 where(x > 0, x, 0)"),
    "autograd.compare": ("a comparison is only allowed as the condition of where(condition, a, b)",
                         "比较只能用作 where(condition, a, b) 的条件"),
    "autograd.attribute": (".{name} is not available; the only attribute is .T", "没有 .{name}；唯一可用的属性是 .T"),
    "autograd.inplace_target": ("{name} changes a tensor in place: call it on a plain name, e.g. y.{name}(…)",
                                "{name} 会原地修改张量：请在一个普通名字上调用它，例如 y.{name}(…)"),
    "autograd.spec": ("input {name}: write a number, a list such as [1, 2, 3], or one of {calls}, e.g. randn(3)",
                      "输入 {name}：请写一个数字、[1, 2, 3] 这样的列表，或 {calls} 之一，例如 randn(3)"),
    "autograd.spec_size": ("input {name} would have {n} elements; inputs have at most {limit} and {dims} dimensions",
                           "输入 {name} 会有 {n} 个元素；每个输入最多 {limit} 个元素、{dims} 个维度"),
    "autograd.missing_input": ("give a value for the input {name}", "请给输入 {name} 一个值"),
    "autograd.inputs_syntax": ("write each input as name = value, separated by ; (e.g. x = randn(3); b = 2.0)",
                               "每个输入写成 名称 = 值，用 ; 分隔（例如 x = randn(3); b = 2.0）"),
    "autograd.inputs_many": ("at most {limit} inputs", "最多 {limit} 个输入"),
    "autograd.inputs_too_long": ("the inputs are longer than {limit} characters", "输入超过了 {limit} 个字符"),
    "autograd.spec_char": ("input {name}: {char} cannot appear in a value (numbers, lists and {calls} only)",
                           "输入 {name}：值里不能出现 {char}（只能是数字、列表和 {calls}）"),
    "autograd.spec_nesting": ("input {name}: brackets nest deeper than {limit} here", "输入 {name}：括号嵌套超过了 {limit} 层"),
    "autograd.torch": ("PyTorch refused this line: {error}", "PyTorch 拒绝执行这一行：{error}"),
    "autograd.value_size": ("this makes {n} elements; results have at most {limit} here",
                            "这会产生 {n} 个元素；这里每个结果最多 {limit} 个元素"),
    "autograd.no_graph": ("the output does not require a gradient: no input that reaches it has requires_grad=True "
                          "(or a detach() cut it off), so PyTorch recorded no graph",
                          "输出不需要梯度：能影响它的输入都没有 requires_grad=True（或被 detach() 切断了），"
                          "因此 PyTorch 没有记录计算图"),
    "autograd.seeded": ("the output has {n} elements: backward was seeded with ones, as out.sum().backward() would",
                        "输出有 {n} 个元素：反向传播以全 1 作为起点，等同于 out.sum().backward()"),
    "autograd.why.shape": ("the shapes of the tensors do not fit this operation (PyTorch's message names them)",
                           "张量的形状不适合这个运算（PyTorch 的报错里写明了具体形状）"),
    "autograd.why.index": ("the index reaches outside the tensor, or uses more dimensions than it has",
                           "索引超出了张量的范围，或用到的维度比张量本身多"),
    "autograd.why.dims": ("@ needs tensors of at least one dimension on both sides, and a plain number has none",
                          "@ 两边都需要至少一维的张量，而普通数字是零维的"),
    "autograd.why.number": ("arithmetic on plain numbers failed before any tensor was involved (a division by zero, "
                            "an overflow, or @ between two numbers)",
                            "还没涉及张量，普通数字之间的运算就失败了（除以零、溢出，或两个数字之间用了 @）"),
    "autograd.why.freed": ("the first backward freed the tensors this graph saved; a second backward needs them, "
                           "so the first must be called with retain_graph=True",
                           "第一次 backward 已经释放了这张图保存的张量；第二次 backward 还需要它们，"
                           "所以第一次调用时必须传 retain_graph=True"),
    "autograd.why.inplace": ("the tensor backward needs (an output of {node}) was saved at version {saved}, and an "
                             "in-place change moved it to version {now}: its gradient would use a value that no "
                             "longer exists, so backward refuses",
                             "backward 需要的张量（{node} 的输出）保存时版本为 {saved}，原地修改把它变成了版本 {now}："
                             "梯度会用到一个已不存在的值，因此 backward 拒绝执行"),
    "autograd.why.leaf_inplace": ("an input that requires grad (a leaf), or a view of one, cannot be changed in "
                                  "place: its gradient is defined for the value it had, so PyTorch refuses at once",
                                  "需要梯度的输入（叶子）或它的视图不能被原地修改：它的梯度是针对原来的值定义的，所以 PyTorch 立即拒绝"),
    "autograd.why.other": ("PyTorch refused this; its own message is quoted as it wrote it, in English",
                           "PyTorch 拒绝执行；下面原样引用它的英文报错"),
    # apiexport: the export decorator
    "apiexport.bad_name": ("“{name}” is not a public name: use dotted identifiers such as math.add",
                           "“{name}” 不是合法的公开名字：请使用 math.add 这样用点分隔的标识符"),
    "apiexport.no_names": ("give at least one public name, e.g. @tf_export(\"math.add\")",
                           "请至少给一个公开名字，例如 @tf_export(\"math.add\")"),
    "apiexport.clash": ("{name} ({version}) is exported twice in {api}: by {first} and by {second}",
                        "{name}（{version}）在 {api} 中被导出了两次：{first} 和 {second}"),
    "apiexport.decorator_syntax": ("write one decorator call with string names, e.g. "
                                   "@demo_export(\"math.add\", \"add\", v1=[\"add\"])",
                                   "请写一个以字符串为名字的装饰器调用，例如 "
                                   "@demo_export(\"math.add\", \"add\", v1=[\"add\"])"),
    "apiexport.decorator_keyword": ("the decorator takes names and v1=[...] here, not {name}=",
                                    "这里的装饰器只接受名字和 v1=[...]，不接受 {name}="),
    "apiexport.not_symbol": ("{what} cannot carry export names (export a function or a class; constants go through "
                             "export_constant)",
                             "{what} 无法携带导出名字（请导出函数或类；常量请用 export_constant）"),
    "apiexport.already_exposed": ("{symbol} is already exposed in {api} as {names}: a symbol is exported once per API",
                                  "{symbol} 已在 {api} 中以 {names} 公开：一个符号在同一个 API 中只能导出一次"),
    # apiexport: a package archive brought by the visitor
    "apiexport.archive_kind": ("the archive is neither a .zip nor a .tar.gz", "这个归档既不是 .zip 也不是 .tar.gz"),
    "apiexport.member_path": ("{member}: an absolute path or one with .. is refused",
                              "{member}：绝对路径或含 .. 的路径被拒绝"),
    "apiexport.member_link": ("{member}: links and special files are refused", "{member}：链接和特殊文件被拒绝"),
    "apiexport.members": ("the archive has more than {max:,} members", "归档中的成员超过 {max:,} 个"),
    "apiexport.uncompressed": ("the archive unpacks to more than {max:,} bytes", "归档解压后超过 {max:,} 字节"),
    "apiexport.member_size": ("{member} unpacks to more bytes than it declares ({size:,})",
                              "{member} 解压出的字节数超过它声明的大小（{size:,}）"),
    "apiexport.archive_broken": ("the archive is damaged or truncated", "归档已损坏或被截断"),
    "apiexport.no_python": ("the archive holds no .py file", "归档中没有 .py 文件"),
    "apiexport.record_hash": ("{member}: its sha256 is not the one the wheel's RECORD lists",
                              "{member}：它的 sha256 与 wheel 的 RECORD 中列出的不一致"),
    "apiexport.record_size": ("{member}: {size:,} bytes, but the wheel's RECORD lists {listed:,}",
                              "{member}：实际 {size:,} 字节，而 wheel 的 RECORD 中列出的是 {listed:,}"),
    "apiexport.record_missing": ("{member} is listed in the wheel's RECORD but is not in the archive",
                                 "{member} 列在 wheel 的 RECORD 中，但归档里没有它"),
    "apiexport.record_unlisted": ("{member} is in the archive but not in the wheel's RECORD",
                                  "{member} 在归档中，但不在 wheel 的 RECORD 里"),
}
