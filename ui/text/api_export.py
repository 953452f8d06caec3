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
    "lazy": ("Lazy loading", "懒加载"),
    "eager.note": ("Eager: importing the module imports every implementation module it names.",
                   "立即加载：导入这个模块就会导入它列出的每个实现模块。"),
    "lazy.note": ("Lazy: the module holds a table, and a module-level `__getattr__` imports an implementation only "
                  "when a name is first used, so `import demo` stays fast however large the API grows.",
                  "懒加载：模块里只有一张表，模块级的 `__getattr__` 在某个名字第一次被使用时才导入对应实现，"
                  "因此无论 API 多大，`import demo` 都很快。"),
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
    "clash": ("A clash, as a developer sees it", "冲突：开发者看到的样子"),
    "clash.none": ("The clash module imported without an error.", "冲突模块导入时没有报错。"),
    "clash.note": ("Importing `engine.apiexport.demo_clash` just now: {msg}. Nothing of the refused export was "
                   "recorded.", "刚才导入 `engine.apiexport.demo_clash`：{msg}。被拒绝的导出没有留下任何记录。"),
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
}
