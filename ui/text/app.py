"""Strings of the app shell: navigation, sidebar, and the title and blurb of every topic."""

TEXT = {
    "app.title": ("Glassbox", "Glassbox 透明盒"),
    "nav.home": ("Home", "首页"),
    "sidebar.lang": ("Language / 语言", "Language / 语言"),
    "sidebar.device": ("Compute device", "计算设备"),
    "sidebar.torch": ("PyTorch {version}", "PyTorch {version}"),
    "sidebar.cuda": ("GPU: {label}", "GPU：{label}"),
    "sidebar.cpu": ("CPU only: {threads} threads", "仅 CPU：{threads} 个线程"),
    "topic.search.title": ("Inverted-index search", "倒排索引搜索"),
    "topic.search.blurb": (
        "jieba tokenization, roaring-bitmap posting lists, boolean, phrase, prefix and field queries, BM25 that "
        "explains every score, live edits, and the recall channels a recommender runs over inverted indexes.",
        "jieba 分词、Roaring Bitmap 倒排列表、布尔/短语/前缀/字段查询、可解释每个分数的 BM25、实时增删文档，"
        "以及推荐系统基于倒排索引的多路召回。",
    ),
    "topic.attention.title": ("Tiled attention (FlashAttention)", "分块注意力（FlashAttention）"),
    "topic.attention.blurb": (
        "Online softmax over tiles, exact against PyTorch: step through the tiles with real numbers, and measure "
        "memory growing as N instead of N² beside PyTorch's fused SDPA.",
        "在分块上做在线 softmax，结果与 PyTorch 完全一致：用真实数值逐块演示，并与 PyTorch 的融合 SDPA 对照，"
        "实测内存随 N 而非 N² 增长。",
    ),
    "topic.numerics.title": ("Number formats & mixed precision", "数值格式与混合精度"),
    "topic.numerics.blurb": (
        "FP64 to FP8 bit by bit: flip bits, see range against precision, watch real gradients underflow in FP16 "
        "and loss scaling bring them back, and train the same model in four precisions.",
        "从 FP64 到 FP8 逐位拆解：翻转比特，对比范围与精度，观察真实梯度在 FP16 中下溢、"
        "损失缩放又如何把它们救回，并用四种精度训练同一个模型。",
    ),
    "topic.specdec.title": ("Speculative decoding", "投机解码"),
    "topic.specdec.blurb": (
        "A 0.5 M-parameter draft proposes, a 22 M-parameter target checks every guess in one pass, and the "
        "accept/resample rule keeps the target's distribution exactly: watch each token's fate, Medusa's tree, "
        "MTP and prompt lookup, and a live χ² test.",
        "0.5M 参数的草稿模型先提出猜测，22M 参数的目标模型一次前向就检查全部猜测，接受/重采样规则保证输出分布"
        "与目标模型完全一致：逐个查看每个 token 被接受、拒绝还是重采样，Medusa 的候选树、MTP 与提示词查找，以及实时 χ² 检验。",
    ),
}
