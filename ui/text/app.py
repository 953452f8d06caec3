"""Strings of the app shell: navigation, sidebar, and the title and blurb of every topic."""

TEXT = {
    "app.title": ("Glassbox", "Glassbox 透明盒"),
    "nav.home": ("Home", "首页"),
    "sidebar.lang": ("Language / 语言", "Language / 语言"),
    "sidebar.device": ("Compute device", "计算设备"),
    "sidebar.torch": ("PyTorch {version}", "PyTorch {version}"),
    "sidebar.cuda": ("GPU: {label}", "GPU：{label}"),
    "sidebar.cpu": ("CPU only: {threads} threads", "仅 CPU：{threads} 个线程"),
}
