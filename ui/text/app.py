"""Strings of the app shell: navigation, sidebar, and the title and blurb of every topic."""

TEXT = {
    # exports of a view (ui/export.py)
    "export.title": ("Export this view", "导出当前视图"),
    "export.html": ("One HTML file (works offline)", "单个 HTML 文件（可离线打开）"),
    "export.png": ("{n} figure(s) as PNG, 1600 px wide (zip)", "{n} 张图的 PNG，宽 1600 像素（zip）"),
    "export.png.failed": ("The figures could not be rendered as PNG this time. The HTML export holds the same figures,"
                          " interactive.", "这次没能把图渲染成 PNG。HTML 导出里有同样的图，而且可以交互。"),
    "export.live": ("Open the live view", "打开实时视图"),
    "export.made": ("Exported {when} from Glassbox", "{when} 从 Glassbox 导出"),
    "export.settings": ("Settings", "设置"),
    "export.gif.make": ("Make the step-through's {n} steps into an animated GIF", "把逐步演示的 {n} 步做成 GIF 动图"),
    "export.gif": ("The step-through as an animated GIF ({n} frames, {mb} MB)", "逐步演示的 GIF 动图（{n} 帧，{mb} MB）"),
    "export.gif.step": ("Step {k} of {n}", "第 {k} 步，共 {n} 步"),
    "export.gif.too_many": (
        "The step-through has {n} steps, more than the {max} frames a GIF may hold: choose settings with fewer "
        "steps to export it as a GIF.",
        "逐步演示有 {n} 步，超过 GIF 最多可容纳的 {max} 帧：请换用步数更少的设置再导出 GIF。"),
    # presenter mode (ui/present.py)
    "present.switch": ("Presenter mode", "演示模式"),
    "present.help": ("Hides the sidebar and the controls and shows the walkthrough as slides: ← → step, Esc leaves.",
                     "隐藏侧边栏和控件，把演练步骤变成幻灯片：← → 翻页，Esc 退出。"),
    "present.leave": ("Leave presenter mode", "退出演示模式"),
    "present.step": ("Step {n} of {of} · ← → to step", "第 {n} 步，共 {of} 步 · 用 ← → 翻页"),
    "present.first": ("First", "第一步"),
    "present.prev": ("Back", "上一步"),
    "present.next": ("Next", "下一步"),
    "present.last": ("Last", "最后一步"),
    "present.up": ("Step-through back (↑)", "逐步演示后退（↑）"),
    "present.down": ("Step-through on (↓)", "逐步演示前进（↓）"),
    # the "yours" view (ui/artifacts.py)
    "yours.paste": ("Paste it here", "粘贴到这里"),
    "yours.upload": ("…or upload a file", "……或上传文件"),
    "yours.example": ("Drawn from the bundled example {name}, written by Glassbox in the tool's documented format: "
                      "an example, not a real system's output. Paste or upload your own to replace it.",
                      "下面画的是内置示例 {name}，由 Glassbox 按该工具文档中的格式编写：只是示例，不是真实系统的输出。"
                      "粘贴或上传你自己的内容即可替换。"),
    "yours.from_upload": ("Drawn from your file {name} (kept in this session only).", "下面画的是你上传的文件 {name}（只保存在本次会话中）。"),
    "yours.from_paste": ("Drawn from the {n:,} characters you pasted (kept in this session only).",
                         "下面画的是你粘贴的 {n:,} 个字符（只保存在本次会话中）。"),
    "yours.error": ("Could not read it: {msg}", "无法读取：{msg}"),
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
        "Online softmax over tiles, equal to PyTorch's result to rounding: step through the tiles with real numbers, "
        "and measure memory growing as N instead of N² beside PyTorch's fused SDPA.",
        "在分块上做在线 softmax，结果与 PyTorch 在舍入误差内相等：用真实数值逐块演示，并与 PyTorch 的融合 SDPA 对照，"
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
TEXT |= {
    "topic.modules.title": ("nn.Module vs nn.functional", "nn.Module 与 nn.functional"),
    "topic.modules.blurb": (
        "The same computation twice, live: each module beside its functional form with the module's own weights, "
        "the Dropout eval-mode bug, BatchNorm's running statistics step by step, and what nn.Module registers.",
        "同一计算实时算两遍：每个模块与传入其自身权重的函数式写法并排运行，Dropout 在 eval 模式下的经典错误，"
        "BatchNorm 滑动统计量逐步演示，以及 nn.Module 到底注册了什么。",
    ),
}
TEXT |= {
    "app.failed": ("Something went wrong on this page ({kind}). The rest of the app still works: change a setting or "
                   "reload. The error was logged on the server.",
                   "此页面出错了（{kind}）。应用的其他部分仍可正常使用：请修改设置或刷新页面。错误已记录在服务器日志中。"),
    "app.details": ("Details", "详细信息"),
    "job.progress": ("{pct} done · {elapsed} s so far · {eta} to go", "已完成 {pct} · 已用 {elapsed} 秒 · 还需 {eta}"),
    "job.source.measured": ("estimate from this run's measured pace", "估计来自本次运行实测的速度"),
    "job.source.recorded": ("estimate from the recorded run's pace", "估计来自已记录运行的速度"),
    "job.seconds": ("≈ {s} s", "约 {s} 秒"),
    "job.minutes": ("≈ {m} min", "约 {m} 分钟"),
    "job.cancel": ("Cancel", "取消"),
    "job.again": ("Run it again", "重新运行"),
    "job.cancelled": ("Cancelled after {s} s ({pct} done). Nothing was kept; start it again to measure.",
                      "已在 {s} 秒后取消（完成 {pct}）。没有保留结果；可重新开始测量。"),
    "job.timed_out": ("Stopped after {s} s ({pct} done): work a visitor starts may run for at most 15 minutes on "
                      "this shared server. Try a smaller setting.",
                      "已在 {s} 秒后停止（完成 {pct}）：在这台共享服务器上，访客发起的任务最多运行 15 分钟。请换用更小的设置。"),
    "job.failed": ("The run stopped with an error: {msg}", "运行出错停止：{msg}"),
    "job.queued": ("Waiting for a free slot: place {place} in the queue ({slots} runs at a time on this server, "
                   "shared by every visitor) · starts in {eta}",
                   "正在等待空闲的运行槽位：排在第 {place} 位（这台服务器同时运行 {slots} 个任务，所有访客共用）· 约 {eta} 后开始"),
    "job.refused": ("Not started: at the recorded pace this would take {eta}, longer than the {limit} a run may take "
                    "on this shared server. Choose a smaller setting.",
                    "未启动：按已记录的速度，这需要 {eta}，超过了这台共享服务器上单个任务允许的 {limit}。请换用更小的设置。"),
    "job.abandoned": ("Stopped after {s} s ({pct} done) because nobody was waiting for it any more. Start it again "
                      "to measure.",
                      "已在 {s} 秒后停止（完成 {pct}），因为已经没有人在等待它。可重新开始测量。"),
    "job.waiting": ("Waiting for a free slot on this server ({n} waiting)…", "正在等待服务器的空闲运行槽位（{n} 个在等待）…"),
    "job.recorded": ("Recorded by `{command}` on {machine}, {date} ({seconds} s in all). Measure again live below.",
                     "由 `{command}` 在 {machine} 上于 {date} 记录（共 {seconds} 秒）。可在下方重新实时测量。"),
    "job.not_yet": ("No recorded result for these settings (recordings are of the defaults). Press the button to "
                    "measure: it runs in the background, the page stays usable, and the result is shared for these "
                    "settings.",
                    "这些设置没有已记录的结果（记录的是默认设置）。点击按钮开始测量：它在后台运行，期间页面仍可使用，"
                    "结果会按这些设置共享。"),
    "job.machine": ("{cpu} · {cores} cores · torch {torch}", "{cpu} · {cores} 核 · torch {torch}"),
    "job.estimate": ("On this server it takes {eta} (from the recorded run's pace); the page stays usable meanwhile.",
                     "在这台服务器上约需 {eta}（按已记录运行的速度估计）；期间页面仍可使用。"),
}
TEXT |= {
    "topic.ddp.title": ("Distributed data parallel", "分布式数据并行（DDP）"),
    "topic.ddp.blurb": (
        "Real gloo processes on this machine: a ring all-reduce replayed transfer by transfer, proof that DDP's "
        "gradients equal one big batch (and six mistakes that break it), buckets overlapping backward, measured.",
        "本机上真实的 gloo 进程：逐次回放环形 all-reduce 的每一次传输，证明 DDP 的梯度等于一个大批次的梯度"
        "（以及六种会破坏这一点的错误），梯度桶与反向传播重叠，全部实测。",
    ),
}
TEXT |= {
    "topic.autograd.title": ("Autograd", "自动求导"),
    "topic.autograd.blurb": (
        "Type a program and see the grad_fn graph PyTorch records, run backward node by node with the gradient on "
        "every edge, check it against a scalar engine of our own, and try accumulation, detach and no_grad live.",
        "输入一个程序，查看 PyTorch 记录的 grad_fn 计算图，逐节点执行反向传播并看到每条边上的梯度，"
        "与我们自己的标量引擎对照，并实时试验梯度累加、detach 和 no_grad。",
    ),
}
TEXT |= {
    "topic.api_export.title": ("API export decorators", "API 导出装饰器"),
    "topic.api_export.blurb": (
        "TensorFlow's @tf_export written from scratch: one function, several public names, a registry and the "
        "generated public modules, live; two generators that agree; Keras 3's public API regenerated from source.",
        "从零实现 TensorFlow 的 @tf_export：一个函数、多个公开名字、注册表以及生成的公开模块，实时演示；"
        "两个结果一致的生成器；从源码重新生成 Keras 3 的公开 API。",
    ),
}
TEXT |= {
    "topic.vqvae.title": ("VQ-VAE", "VQ-VAE 向量量化自编码器"),
    "topic.vqvae.blurb": (
        "A vector-quantised autoencoder trained on 1,797 real handwritten digits: its codebook, the straight-through "
        "gradient checked bit for bit, three codebook rules side by side, and why codebooks collapse.",
        "在 1,797 张真实手写数字上训练的向量量化自编码器：它的码本、逐比特核对的直通梯度、三种码本规则并排对比，以及码本为何坍缩。",
    ),
}
