"""Strings of the app shell: navigation, sidebar, and the title and blurb of every topic."""

TEXT = {
    "app.title": ("Glassbox", "Glassbox 透明盒"),
    "nav.home": ("Home", "首页"),
    "sidebar.lang": ("Language / 语言", "Language / 语言"),
    "sidebar.device": ("Compute device", "计算设备"),
    "sidebar.torch": ("PyTorch {version}", "PyTorch {version}"),
    "sidebar.cuda": ("GPU: {label}", "GPU：{label}"),
    "sidebar.cpu": ("CPU only: {threads} threads", "仅 CPU：{threads} 个线程"),
    "topic.numerics.title": ("Number formats & mixed precision", "数值格式与混合精度"),
    "topic.numerics.blurb": (
        "FP64 to FP8 bit by bit: flip bits, see range against precision, watch real gradients underflow in FP16 "
        "and loss scaling bring them back, and train the same model in four precisions.",
        "从 FP64 到 FP8 逐位拆解：翻转比特，对比范围与精度，观察真实梯度在 FP16 中下溢、"
        "损失缩放又如何把它们救回，并用四种精度训练同一个模型。",
    ),
}
