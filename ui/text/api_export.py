"""Strings of the API-export page."""

TEXT = {
    "title": ("API export decorators (tf_export)", "API 导出装饰器（tf_export）"),
    "what": (
        "In TensorFlow, `@tf_export(\"math.add\", \"add\")` above a function gives it public names: `tf_export` is "
        "`functools.partial(api_export, api_name=\"tensorflow\")`, and `api_export` is a decorator class that "
        "writes the names onto the function and returns the function itself, unchanged. A build step then "
        "generates the public `tf.*` modules from those records: files of `from tensorflow.python... import add "
        "as add`. Keras 3 does the same with `@keras_export`. Below, a demo package written for this page uses "
        "the same decorator, written here from scratch, and the tree is generated live.",
        "在 TensorFlow 中，函数上方的 `@tf_export(\"math.add\", \"add\")` 给它公开的名字：`tf_export` 就是 "
        "`functools.partial(api_export, api_name=\"tensorflow\")`，而 `api_export` 是一个装饰器类，它把名字写到函数上，"
        "然后原样返回这个函数本身。随后构建步骤根据这些记录生成公开的 `tf.*` 模块：即一行行 "
        "`from tensorflow.python... import add as add`。Keras 3 用 `@keras_export` 做同样的事。下面是一个为本页编写的演示包，"
        "使用同样的装饰器（这里从零写成），公开的模块树实时生成。",
    ),
    "controls": ("Decorate a symbol of the demo package", "给演示包中的一个符号加装饰器"),
    "symbol": ("Symbol", "符号"),
    "decorator": ("Decorator (read as data, never run)", "装饰器（只当数据读取，绝不执行）"),
    "decorator.help": ("One call such as @demo_export(\"math.add\", \"add\", v1=[\"add\"]): string names, and v1=[...] "
                       "for the compatibility names. It replaces the symbol's own decorator, on a copy of the "
                       "registry.",
                       "一个调用，例如 @demo_export(\"math.add\", \"add\", v1=[\"add\"])：字符串形式的名字，以及表示兼容名字的 "
                       "v1=[...]。它替换该符号原有的装饰器，作用在注册表的副本上。"),
    "live": ("The registry", "注册表"),
    "refused": ("The decorator was refused: {msg}", "装饰器被拒绝：{msg}"),
    "col.version": ("version", "版本"),
    "col.name": ("public name", "公开名字"),
    "col.source": ("defined at", "定义位置"),
    "col.kind": ("kind", "类型"),
    "col.canonical": ("canonical", "规范名"),
    "kind.function": ("function", "函数"),
    "kind.class": ("class", "类"),
    "kind.constant": ("constant", "常量"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "live.note": ("{n} public names in the registry with {symbol} re-decorated. The first name of a symbol is its "
                  "canonical name, the others are aliases; v1 names go under demo.compat.v1.",
                  "重新装饰 {symbol} 之后注册表中共有 {n} 个公开名字。一个符号的第一个名字是规范名，其余是别名；"
                  "v1 名字放在 demo.compat.v1 之下。"),
    "csv.registry": ("Download the registry (CSV)", "下载注册表（CSV）"),
    "tree": ("The generated public modules", "生成的公开模块"),
    "module": ("Module", "模块"),
    "mode": ("Generated file", "生成的文件"),
    "files.download": ("Download every generated file ({mode}, zip)", "下载全部生成的文件（{mode}，zip）"),
    "mode.eager": ("eager __init__.py", "立即加载 __init__.py"),
    "mode.lazy": ("lazy __init__.py", "懒加载 __init__.py"),
    "mode.stub": (".pyi stub", ".pyi 存根"),
    "eager.note": ("Eager: importing the module imports every implementation module it names.",
                   "立即加载：导入这个模块就会导入它列出的每个实现模块。"),
    "lazy.note": ("Lazy: the module holds a table, and a module-level `__getattr__` imports an implementation only "
                  "when a name is first used, so `import demo` stays fast however large the API grows.",
                  "懒加载：模块里只有一张表，模块级的 `__getattr__` 在某个名字第一次被使用时才导入对应实现，"
                  "因此无论 API 多大，`import demo` 都很快。"),
    "stub.note": ("Stub: the {file} an IDE and a type checker read instead of the module. It is never run; each "
                  "`import X as X` re-exports a name (the redundant alias is how a stub says \"public\"), so "
                  "completion and type errors work through a lazy module whose names exist only at run time.",
                  "存根：IDE 和类型检查器读取的 {file}，代替模块本身。它从不执行；每个 `import X as X` 重新导出一个名字"
                  "（存根用这种多余的别名表示“公开”），因此即使模块是懒加载、名字只在运行时才存在，补全和类型报错也照样可用。"),
    "generators": ("Two generators, one tree", "两个生成器，同一棵树"),
    "same": ("Importing the package and reading its source with ast give the same {m} modules and {n} names.",
             "导入整个包与用 ast 读取源码得到相同的 {m} 个模块和 {n} 个名字。"),
    "differ": ("The two generators disagree ({m} modules, {n} names by import).",
               "两个生成器结果不一致（按导入得到 {m} 个模块、{n} 个名字）。"),
    "col.module": ("module", "模块"),
    "col.import": ("names by importing", "导入得到的名字数"),
    "col.ast": ("names by reading the source", "读源码得到的名字数"),
    "ide": ("**Why an IDE cannot follow `demo.math.add`:** the name is declared in a decorator argument, a string; "
            "the module `demo.math` exists only once the build has generated it, and a lazy module defines its "
            "names in `__getattr__` at run time. A static analyser sees neither, unless it reads the generated "
            "files or the decorators themselves, as the second generator does.",
            "**为什么 IDE 无法跳转到 `demo.math.add`：** 这个名字写在装饰器的参数里，只是一个字符串；模块 "
            "`demo.math` 要等构建步骤生成之后才存在，而懒加载模块是在运行时通过 `__getattr__` 定义名字的。"
            "静态分析工具两者都看不到，除非它去读生成的文件或像第二个生成器那样读装饰器本身。"),
    "imports": ("What lazy loading buys, measured", "懒加载带来什么：实测"),
    "imports.intro": ("The demo tree is written out twice, as eager and as lazy `__init__.py` files, and `import demo` "
                      "runs in a fresh Python process for each, in alternating rounds. The modules each import adds "
                      "to `sys.modules` is a count load cannot change; the time is the median of the rounds with "
                      "their range. Then one name is used, which a lazy tree pays for only then.",
                      "演示模块树被写出两份：立即加载和懒加载的 `__init__.py`，然后在全新的 Python 进程中各自执行 "
                      "`import demo`，轮流进行多轮。每次导入向 `sys.modules` 添加的模块数不受机器负载影响；时间取各轮的"
                      "中位数并给出范围。随后使用一个名字，懒加载的树到这时才付出代价。"),
    "imports.run": ("Measure now", "现在测量"),
    "col.mode": ("generated files", "生成的文件"),
    "col.import_ms": ("import demo, ms (range)", "import demo 耗时，毫秒（范围）"),
    "col.modules": ("modules loaded", "加载的模块数"),
    "col.after_use": ("modules after the first use", "首次使用后的模块数"),
    "col.use_ms": ("first use, ms", "首次使用耗时，毫秒"),
    "imports.caption": ("`import {root}` loads {eager} modules eagerly and {lazy} lazily ({ratio}× less time over "
                        "{rounds} rounds); the first use of {root}.{use} then brings the lazy tree to {after}. The "
                        "demo's implementation modules import engine.apiexport, which is most of that count.",
                        "`import {root}` 立即加载时载入 {eager} 个模块，懒加载时只载入 {lazy} 个（{rounds} 轮中耗时少 "
                        "{ratio} 倍）；首次使用 {root}.{use} 后，懒加载的树增加到 {after} 个。演示包的实现模块会导入 "
                        "engine.apiexport，这占了其中大部分。"),
    "clash": ("A clash, as a developer sees it", "冲突：开发者看到的样子"),
    "clash.none": ("The clash module imported without an error.", "冲突模块导入时没有报错。"),
    "clash.note": ("Importing `engine.apiexport.demo_clash` just now: {msg}. Nothing of the refused export was "
                   "recorded.", "刚才导入 `engine.apiexport.demo_clash`：{msg}。被拒绝的导出没有留下任何记录。"),
    "rules": ("TensorFlow's two rules for export records", "TensorFlow 关于导出记录的两条规则"),
    "rules.reexport": ("Just now, `demo_export(\"math.plus\")` was applied to `add`, which already has demo names: "
                       "{msg}. TensorFlow raises SymbolAlreadyExposedError here; a second name goes into the first "
                       "decorator, not into a second one.",
                       "刚才把 `demo_export(\"math.plus\")` 用在已经有 demo 名字的 `add` 上：{msg}。TensorFlow 在这里抛出 "
                       "SymbolAlreadyExposedError；第二个名字应写进第一个装饰器，而不是再加一个装饰器。"),
    "rules.reexport_none": ("A second export of add in the same API was let through.",
                            "在同一个 API 中第二次导出 add 竟然被放行了。"),
    "col.symbol": ("class", "类"),
    "col.base": ("base class", "基类"),
    "col.own": ("its own names (its __dict__)", "自己的名字（它的 __dict__）"),
    "col.getattr": ("what getattr would give", "getattr 会得到的"),
    "col.in_tree": ("in the generated tree", "在生成的模块树中"),
    "rules.subclass": ("{child} subclasses {base} and is not exported. Through getattr it would inherit {names}; "
                       "the names are read from each class's own `__dict__`, as TensorFlow reads them, so the "
                       "generated tree puts {child} under {n} public names.",
                       "{child} 是 {base} 的子类，本身没有导出。通过 getattr 它会继承 {names}；名字是从每个类自己的 "
                       "`__dict__` 读取的（TensorFlow 也是这样读的），所以生成的模块树把 {child} 放在 {n} 个公开名字下。"),
    "keras": ("The real thing: Keras 3's public API", "真实案例：Keras 3 的公开 API"),
    "keras.intro": ("The wheel of {spec} is fetched once with pip (never installed, never imported); its "
                    "`@keras_export` decorators are read with ast, the public tree is regenerated, and compared "
                    "module by module with the `__init__.py` files the wheel ships.",
                    "{spec} 的 wheel 用 pip 下载一次（从不安装，也从不导入）；用 ast 读取其中的 `@keras_export` "
                    "装饰器，重新生成公开模块树，再与 wheel 自带的 `__init__.py` 文件逐个模块比较。"),
    "keras.run": ("Fetch and compare now", "现在下载并比较"),
    "keras.modules": ("modules agreeing", "一致的模块"),
    "keras.names": ("names regenerated", "重新生成的名字"),
    "keras.diffs": ("modules differing", "不一致的模块"),
    "col.expected": ("names shipped", "自带的名字数"),
    "col.found": ("regenerated, same source", "重新生成且来源相同"),
    "col.missing": ("missing", "缺少"),
    "col.extra": ("extra", "多出"),
    "keras.rules": ("Three rules of Keras's generator are applied beside the decorators: the root gains "
                    "`__version__`; `keras._tf_keras.keras` repeats every `keras` module with the `keras._legacy` "
                    "exports laid over it; and there a symbol with legacy names keeps only those.",
                    "除了装饰器之外还应用了 Keras 生成器的三条规则：根模块加上 `__version__`；`keras._tf_keras.keras` "
                    "重复每个 `keras` 模块，并叠加 `keras._legacy` 的导出；在那里，有旧名字的符号只保留旧名字。"),
    "versions": ("A second version through the same code: {old} against {new}",
                 "同一份代码处理第二个版本：{old} 对比 {new}"),
    "versions.run": ("Fetch both and compare now", "现在下载两个版本并比较"),
    "versions.changed": ("modules whose API changed", "API 有变化的模块"),
    "versions.col.regenerated": ("regenerated diff the same", "重新生成的差异相同"),
    "versions.caption": ("{old} went through the generator rules written for {new} with no edits: {agree} of its "
                         "{modules} modules agree with what its wheel ships. Between the two versions the shipped "
                         "API gains {added} names, loses {removed} and moves {moved}, in {changed} modules; in "
                         "{agreeing} of them the trees regenerated from each version's decorators differ in exactly "
                         "the same way.",
                         "{old} 未经任何修改就通过了为 {new} 编写的生成器规则：它的 {modules} 个模块中有 {agree} 个与其 wheel "
                         "自带的一致。两个版本之间，自带的 API 在 {changed} 个模块中新增 {added} 个名字、删除 {removed} 个、"
                         "移动 {moved} 个；其中 {agreeing} 个模块里，从各版本装饰器重新生成的模块树的差异完全相同。"),
    "versions.csv": ("Download the API diff (CSV)", "下载 API 差异（CSV）"),
    "col.origin": ("where the name comes from", "名字的来源"),
    "col.names": ("names", "名字数"),
    "col.share": ("share", "占比"),
    "origin.decorator": ("a `@keras_export` decorator, placed as written", "`@keras_export` 装饰器，按原样放置"),
    "origin.version": ("rule: the root gains `__version__`", "规则：根模块加上 `__version__`"),
    "origin.mirror": ("rule: every `keras` module repeated below `keras._tf_keras.keras`",
                      "规则：每个 `keras` 模块在 `keras._tf_keras.keras` 下重复一遍"),
    "origin.legacy": ("rule: `keras._legacy` exports moved below `keras._tf_keras.keras`",
                      "规则：`keras._legacy` 的导出移到 `keras._tf_keras.keras` 下"),
    "keras.split": ("Only {decorator} of the {found} regenerated names ({dpct}) are placed where a decorator says; "
                    "the other {rules} ({rpct}) come from the three generator rules, which were written to match "
                    "the generator of this one Keras version ({spec}).",
                    "在重新生成的 {found} 个名字中，只有 {decorator} 个（{dpct}）是按装饰器所写的位置放置的；"
                    "其余 {rules} 个（{rpct}）来自生成器的三条规则，而这些规则是照着这一个 Keras 版本（{spec}）"
                    "的生成器写的。"),
    "csv.keras": ("Download the Keras comparison (CSV)", "下载 Keras 比较结果（CSV）"),
    "yours": ("Yours: a package's archive", "你的：一个包的归档"),
    "yours.show": ("Read a package archive", "读取一个包的归档"),
    "yours.intro": ("Upload a wheel (.whl, a zip) or an sdist (.tar.gz) of a package whose symbols carry export "
                    "decorators. It is read in memory and never installed, unpacked to disk or imported: only the "
                    ".py files are parsed with ast. Archives with absolute or `..` paths, links, more than {members} "
                    "members or more than {mb} MB unpacked are refused, and a wheel's RECORD is rechecked. Below, "
                    "the tree it declares, and what changed against another version.",
                    "上传一个包的 wheel（.whl，即 zip）或 sdist（.tar.gz），包中的符号带有导出装饰器。它只在内存中读取，"
                    "从不安装、不解压到磁盘、也不导入：只用 ast 解析其中的 .py 文件。含绝对路径或 `..` 路径、链接、"
                    "超过 {members} 个成员或解压后超过 {mb} MB 的归档会被拒绝，wheel 的 RECORD 会被重新核对。"
                    "下面是它声明的模块树，以及与另一个版本相比的变化。"),
    "yours.decorators": ("Export decorators to read", "要读取的导出装饰器"),
    "yours.decorators.help": ("Names such as tf_export, keras_export: each call's string arguments are public names.",
                              "例如 tf_export、keras_export：每次调用的字符串参数就是公开名字。"),
    "yours.root": ("Root of the public API", "公开 API 的根"),
    "yours.root.help": ("Prefixed to every name (demo → demo.math.add); leave empty when the names carry it, as "
                        "keras_export's do.", "加在每个名字前面（demo → demo.math.add）；如果名字本身已带根（如 "
                        "keras_export 的名字），请留空。"),
    "yours.no_decorators": ("Name at least one decorator (an identifier).", "请至少写一个装饰器名（标识符）。"),
    "yours.bad_root": ("The root is a dotted name of identifiers, or empty.", "根必须是用点分隔的标识符，或留空。"),
    "yours.this": ("This version", "这个版本"),
    "yours.members": ("members", "成员数"),
    "yours.bytes": ("bytes unpacked", "解压后字节数"),
    "yours.modules": ("public modules", "公开模块"),
    "yours.names": ("public names", "公开名字"),
    "yours.read": ("{sources} Python modules read with ast; {skipped} .py files whose path is no module name were "
                   "left out; {problems} problems with the wheel's RECORD.",
                   "用 ast 读取了 {sources} 个 Python 模块；{skipped} 个路径不是模块名的 .py 文件被略过；"
                   "wheel 的 RECORD 有 {problems} 处问题。"),
    "yours.empty": ("No call of {decorators} with names was found.", "没有找到带名字的 {decorators} 调用。"),
    "yours.csv": ("Download the public tree (CSV)", "下载公开模块树（CSV）"),
    "yours.other": ("Another version, to compare with", "用来比较的另一个版本"),
    "yours.diff": ("From the other version ({old} names) to this one ({new}): {added} names added, {removed} removed "
                   "and {moved} imported from elsewhere, in {modules} public modules.",
                   "从另一个版本（{old} 个名字）到这个版本（{new} 个）：在 {modules} 个公开模块中，新增 {added} 个名字，"
                   "删除 {removed} 个，{moved} 个改为从别处导入。"),
    "yours.same": ("The other version ({old} names) and this one ({new}) declare the same public API.",
                   "另一个版本（{old} 个名字）与这个版本（{new} 个）声明的公开 API 相同。"),
    "col.added": ("added", "新增"),
    "col.removed": ("removed", "删除"),
    "col.moved": ("imported from elsewhere", "改为从别处导入"),
    "yours.diff_csv": ("Download the API diff (CSV)", "下载 API 差异（CSV）"),
    "walk": ("Walkthrough", "导览"),
    "walk.apply": ("Apply step {n}", "应用第 {n} 步"),
    "walk.1": ("**One function, four names.** add is demo.add and demo.math.add, and the same two under "
               "compat.v1. Every generated line imports the very same object.",
               "**一个函数，四个名字。** add 既是 demo.add 也是 demo.math.add，在 compat.v1 下还有同样两个。"
               "每一行生成的代码导入的都是同一个对象。"),
    "walk.2": ("**A new module from a string.** Give add the name ops.add: a module demo.ops appears in the tree.",
               "**一个字符串造出新模块。** 给 add 起名 ops.add：模块树中出现了 demo.ops。"),
    "walk.3": ("**Private until exported.** `_helper` gets a public name, and only then.",
               "**不导出就是私有。** `_helper` 只有在获得公开名字之后才会公开。"),
    "walk.4": ("**A clash.** Give relu the name math.add: refused, naming both symbols.",
               "**冲突。** 给 relu 起名 math.add：被拒绝，并指出两个符号。"),
    "walk.5": ("**Lazy loading.** The same module as a table and a `__getattr__`.",
               "**懒加载。** 同一个模块，写成一张表加一个 `__getattr__`。"),
    "walk.6": ("**The stub.** The same module as the .pyi an IDE reads: every name re-exported, nothing run.",
               "**存根。** 同一个模块写成 IDE 读取的 .pyi：每个名字都被重新导出，什么也不执行。"),
    "walk.7": ("**Once per API, and no inheritance.** See TensorFlow's two rules: a second decorator on add is "
               "refused, and Linear, a subclass of the exported Dense, gets no public name.",
               "**每个 API 只导出一次，且不继承。** 看 TensorFlow 的两条规则：给 add 加第二个装饰器被拒绝；"
               "Linear 是已导出的 Dense 的子类，却没有任何公开名字。"),
    "walk.9": ("**What lazy loading saves, and when it pays.** Eager, `import demo` loads {eager} modules; lazy, "
               "{lazy}, until the first name is used, which brings {after}: the cost moves to the first use.",
               "**懒加载省下什么，何时付出。** 立即加载时 `import demo` 载入 {eager} 个模块；懒加载只载入 {lazy} 个，"
               "直到第一次使用某个名字时才增加到 {after} 个：代价被推迟到首次使用。"),
    "walk.8": ("**Yours.** Read the bundled wheel of demo 1.1 against the sdist of demo 1.0: {added} names added, "
               "{removed} removed and {moved} moved, in {modules} modules. Then upload your own package.",
               "**你的。** 用随附的 demo 1.1 wheel 对比 demo 1.0 的 sdist：在 {modules} 个模块中新增 {added} 个名字、"
               "删除 {removed} 个、移动 {moved} 个。然后上传你自己的包。"),
}
