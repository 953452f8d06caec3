"""Strings of the home page."""

TEXT = {
    "title": ("Glassbox: see how search engines and LLM systems really work",
              "Glassbox 透明盒：看清搜索引擎与大模型系统的真实运作"),
    "intro": (
        "Every page here is a front end to a live engine: what a control changes is computed again, on this "
        "machine, by real code you can tweak. Some views are recordings instead: peer benchmarks, training runs "
        "that take minutes, the trained models shipped with the repository, and the first view of work too long "
        "to wait for. Each of those says so where it is drawn, with where and when it was recorded. Open the "
        "step-through to watch an engine's intermediate numbers, and check the measured plots against the "
        "reference beside them.",
        "这里的每个页面都连着一个真实运行的引擎：你调整控件后，结果由真实代码在这台机器上重新计算，代码也可以随你修改。"
        "也有一些视图是记录下来的结果：与同类引擎的基准对比、需要数分钟的训练、仓库里附带的已训练模型，"
        "以及耗时过长、不便等待的工作的首个视图。这些视图都会在所画之处注明，并写明记录的地点和时间。"
        "打开逐步演示，可以看到引擎每一步的中间数值；测量图表旁边都附有参考实现作对照。",
    ),
    "topics": ("Topics", "主题"),
    "open": ("Open {title}", "打开「{title}」"),
    "none_yet": ("No topic pages are installed yet.", "还没有安装任何主题页面。"),
    "how": ("How to read a page", "如何阅读一个页面"),
    "how.body": (
        "1. **What and why**: the idea and its key formula.  \n"
        "2. **Controls** with good defaults; the URL keeps them, so a link reproduces your view.  \n"
        "3. **Live result** computed now, on the device shown in the sidebar.  \n"
        "4. **Step-through** of the engine's trace with real intermediate numbers.  \n"
        "5. **Measured** plots of time, memory or accuracy against a reference.  \n"
        "6. **Walkthrough** presets that say what to notice.",
        "1. **是什么、为什么**：核心思想与关键公式。  \n"
        "2. **控件**：默认值合理；状态保存在网址中，分享链接即可复现当前视图。  \n"
        "3. **实时结果**：在侧边栏所示设备上即时计算。  \n"
        "4. **逐步演示**：按引擎的执行轨迹展示真实的中间数值。  \n"
        "5. **实测**：时间、内存或精度的图表，并与参考实现对照。  \n"
        "6. **导览**：预设好的参数组合，并说明该关注什么。",
    ),
}
