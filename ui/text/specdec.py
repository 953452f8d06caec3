"""Strings of the speculative-decoding page."""

TEXT = {
    "title": ("Speculative decoding", "投机解码"),
    "what": (
        "Generating one token means one full pass over a large model's weights, and on a CPU or a GPU at batch "
        "size 1 that pass is bound by reading those weights, not by arithmetic: one pass that checks five tokens "
        "costs far less than five passes (the γ sweep below measures what it costs, as v). "
        "Speculative decoding lets a cheap drafter guess γ tokens, runs the target once over all of them, keeps "
        "the guesses the rule below accepts, and always adds one token of the target's own. The rule makes every "
        "emitted token follow the target's distribution exactly, so the speed-up costs no quality. The benefit "
        "shrinks as the batch grows: a pass over many sequences at once does enough arithmetic per weight read to "
        "be bound by compute, so verifying γ extra tokens for every sequence is no longer nearly free. Everything "
        "below is computed live on byte-level models trained on Shakespeare's plays.",
        "生成一个 token 就要把大模型的权重完整读一遍；在 CPU 上或 batch 为 1 的 GPU 上，这一遍的瓶颈是读权重而不是计算："
        "一次检查五个 token 的前向远比五次前向便宜（下面的 γ 扫描实测了它的代价，即 v）。投机解码让一个廉价的草稿器"
        "先猜 γ 个 token，目标模型一次前向检查全部猜测，按下面的规则保留被接受的部分，并总是再加上一个目标模型自己的 token。"
        "这条规则保证每个输出 token 都严格服从目标模型的分布，所以加速不损失任何质量。batch 越大，收益越小：一次前向同时处理"
        "很多条序列时，每读一次权重要做的计算足够多，瓶颈变成计算，为每条序列多验证 γ 个 token 就不再几乎免费。"
        "下面的一切都由在莎士比亚剧本上训练的字节级模型实时计算。",
    ),
    "f.accept": ("accept", "接受"),
    "f.else": ("else emit", "否则输出"),
    "f.tokens": ("tokens per target pass", "每次目标前向的 token 数"),
    "f.speedup": ("speedup", "加速比"),
    "no_models": ("The trained models could not be loaded ({error}). They ship in engine/specdec/weights/; "
                  "`python -m engine.specdec.train` (see the README) reproduces them.",
                  "无法加载训练好的模型（{error}）。它们随代码放在 engine/specdec/weights/ 中；"
                  "运行 `python -m engine.specdec.train`（见 README）可以重新训练得到。"),
    "controls": ("Generate", "生成"),
    "prompt": ("Prompt (the models read bytes; they were trained on English plays)",
               "提示词（模型按字节读取，训练语料是英文剧本）"),
    "method": ("Method", "方法"),
    "method.autoregressive": ("Autoregressive", "自回归"),
    "method.speculative": ("Speculative (draft model)", "投机采样（草稿模型）"),
    "method.medusa": ("Medusa heads", "Medusa 多头"),
    "method.mtp": ("MTP modules", "MTP 模块"),
    "method.lookup": ("Prompt lookup", "提示词查找"),
    "gamma": ("γ: tokens drafted per step", "γ：每步草拟的 token 数"),
    "temperature": ("Temperature (0 = greedy)", "温度（0 = 贪心）"),
    "temperature.help": ("Applied to the target and the drafter alike, as the rule requires.",
                         "按规则要求，同样作用于目标模型和草稿器。"),
    "new_tokens": ("New tokens", "新生成 token 数"),
    "advanced": ("Sampling details and drafter", "采样细节与草稿器"),
    "seed": ("Seed", "随机种子"),
    "top_k": ("Top-k (0 = off)", "Top-k（0 = 关闭）"),
    "top_k.help": ("Keeps the k most likely bytes in both p and q before sampling.",
                   "采样前在 p 和 q 中都只保留最可能的 k 个字节。"),
    "top_p": ("Top-p (100% = off)", "Top-p（100% = 关闭）"),
    "drafter": ("Draft model", "草稿模型"),
    "drafter.draft": ("distilled, then trained longer on the text", "先从目标模型蒸馏，再在文本上加训"),
    "drafter.draft_text_only": ("text only, the distilled one's first budget", "只用文本，预算与蒸馏阶段相同"),
    "device": ("Computed live on: {device} · target {target} M parameters, draft {draft} M",
               "实时计算设备：{device} · 目标模型 {target}M 参数，草稿模型 {draft}M"),
    "mtp_depth": ("The MTP chain has {depth} modules, so it drafts at most {depth} tokens per step.",
                  "MTP 链只有 {depth} 个模块，所以每步最多草拟 {depth} 个 token。"),
    "empty_prompt": ("Type a prompt to start from (for example ROMEO: and a new line).",
                     "请输入提示词（例如 ROMEO: 加一个换行）。"),
    "long_prompt": ("The prompt is {n} bytes; at most {limit} fit, so that the 256-byte context leaves room to "
                    "generate. Chinese characters take 3 bytes each.",
                    "提示词有 {n} 字节；最多允许 {limit} 字节，以便 256 字节的上下文还能留出生成空间。每个汉字占 3 字节。"),
    "view": ("Token-acceptance view", "Token 接受情况"),
    "m.tokens_s": ("tokens/s", "token/秒"),
    "m.vs_base": ("vs autoregressive", "相对自回归"),
    "m.calls": ("target passes", "目标模型前向次数"),
    "m.alpha": ("acceptance α", "接受率 α"),
    "m.per_call": ("tokens per pass", "每次前向产出 token"),
    "m.accepted": ("mean accepted per step", "每步平均接受数"),
    "greedy_same": ("Greedy: this output equals plain greedy decoding token for token.",
                    "贪心模式：输出与普通贪心解码逐 token 完全相同。"),
    "greedy_differs": ("Greedy output differs from plain greedy decoding: this is a bug, please report it.",
                       "贪心输出与普通贪心解码不同：这是缺陷，请报告。"),
    "medusa_typical": ("Medusa above temperature 0 uses typical acceptance (ε = 0.09, δ = 0.3): it accepts "
                       "plausible candidates, so its output is not exactly the target's distribution.",
                       "温度大于 0 时 Medusa 使用典型接受（ε = 0.09，δ = 0.3）：接受“足够合理”的候选，"
                       "因此输出分布并不严格等于目标模型的分布。"),
    "steps": ("Step table: every draft and verification", "步骤表：每次草拟与验证"),
    "col.step": ("step", "步"),
    "steps.csv": ("Download the steps (CSV)", "下载每一步（CSV）"),
    "compare.csv": ("Download the comparison (CSV)", "下载对比结果（CSV）"),
    "sweep.csv": ("Download the sweep (CSV)", "下载 γ 扫描结果（CSV）"),
    "col.drafted": ("drafted", "草拟"),
    "col.q": ("q", "q"),
    "col.p": ("p", "p"),
    "col.u": ("uniform draws", "均匀随机数"),
    "col.fates": ("fates", "结果"),
    "col.emitted": ("emitted", "输出"),
    "col.draft_ms": ("draft ms", "草拟 ms"),
    "col.target_ms": ("target ms", "目标 ms"),
    "by_position": ("Acceptance by draft position", "各草拟位置的接受率"),
    "no_drafts": ("This method drafted nothing.", "该方法没有草拟。"),
    "theory": ("Tokens per target pass: measured against theory", "每次目标前向的 token 数：实测与理论"),
    "measured_point": ("measured ({method})", "实测（{method}）"),
    "theory.caption": ("Measured {measured} tokens per verification pass; the formula at the measured α gives "
                       "{formula}. The formula assumes each draft is accepted independently with the same α.",
                       "实测每次验证前向产出 {measured} 个 token；按实测 α 代入公式为 {formula}。"
                       "公式假设每个草拟 token 以相同概率 α 独立被接受。"),
    "theory.not_linear": ("The formula is for a fixed number of linear drafts (speculative, MTP); Medusa verifies a "
                          "tree and lookup drafts a varying number.",
                          "该公式适用于固定个数的线性草拟（投机采样、MTP）；Medusa 验证的是一棵树，查找法草拟的个数不固定。"),
    "medusa": ("Medusa: a candidate tree in one pass", "Medusa：一次前向验证一棵候选树"),
    "medusa.intro": ("{heads} extra heads on the target's last hidden state each guess one more token ahead. Their "
                     "top-k guesses form a tree of {nodes} candidate paths, chosen from held-out accuracy; the "
                     "target scores every node at once with the tree attention mask (each node sees the context, "
                     "its ancestors and itself), and the longest path that passes is kept.",
                     "目标模型最后一层隐状态上的 {heads} 个额外的头，分别往后多猜一个 token。它们的 top-k 猜测组成"
                     "含 {nodes} 条候选路径的树（按留出集准确率挑选）；目标模型用树形注意力掩码一次给所有节点打分"
                     "（每个节点只看到上下文、它的祖先和它自己），保留能通过的最长路径。"),
    "medusa.step": ("Medusa step", "Medusa 步"),
    "medusa.caption": ("Step {step}: {accepted} candidates accepted along the green path; emitted {emitted}.",
                       "第 {step} 步：沿绿色路径接受了 {accepted} 个候选；输出 {emitted}。"),
    "medusa.pick": ("Choose Medusa heads as the method above to see its candidate tree and attention mask for each "
                    "step.", "在上方选择 Medusa 方法，即可查看每一步的候选树与注意力掩码。"),
    "compare": ("Every method on this prompt", "同一提示词下的所有方法"),
    "compare.intro": ("Same prompt, settings and seed; each method against the autoregressive run.",
                      "相同的提示词、设置与随机种子；每种方法都与自回归对比。"),
    "compare.run": ("Time all five methods live", "实时为全部五种方法计时"),
    "col.method": ("method", "方法"),
    "col.speedup": ("speedup", "加速比"),
    "col.text": ("text", "文本"),
    "sweep": ("γ sweep", "γ 扫描"),
    "sweep.intro": ("Longer drafts pay off only while the drafter is cheap and right: speculative sampling at "
                    "γ = 1 … 8 beside the autoregressive run, with the theory (1 − α^(γ+1)) / ((1 − α)(γc + v)) at "
                    "each γ's measured α, draft cost c (one draft pass over one target pass) and verify cost "
                    "v = T(γ+1)/T(1) (the target's pass over γ + 1 tokens over its one-token pass); c and v are "
                    "medians over the rounds. Leviathan et al.'s theory takes v = 1 (dotted): where the measured "
                    "v is above 1 it sits above the other theory, where v is below 1 below it.",
                    "只有草稿器又便宜又准，更长的草拟才划算：γ = 1 … 8 的投机采样与自回归对比，并给出理论值 "
                    "(1 − α^(γ+1)) / ((1 − α)(γc + v))，其中 α、草拟代价 c（一次草拟前向与一次目标前向之比）和验证代价 "
                    "v = T(γ+1)/T(1)（目标模型对 γ + 1 个 token 的一次前向与单 token 前向之比）都是实测的，c 和 v 取各轮的中位数。"
                    "Leviathan 等人的理论取 v = 1（点线）：实测 v 大于 1 时它高于另一条理论线，小于 1 时低于它。"),
    "sweep.run": ("Measure the sweep live", "实时测量扫描"),
    "compare.caption": ("Speed is the median of {rounds} interleaved rounds per method. The speedup is the median of "
                        "the rounds' own ratios (the autoregressive run's time over the method's in the same round, "
                        "so a burst of load slows both sides of a ratio), with the lowest and highest in brackets; "
                        "'clear' means every round of one beat every round of the other. Target passes and tokens "
                        "per pass do not depend on machine load.",
                        "速度是每种方法 {rounds} 轮交错运行的中位数。加速比是各轮自身比值（同一轮中自回归的用时除以该方法的用时，"
                        "负载突增会同时拖慢比值的两边）的中位数，括号内是最低与最高值；"
                        "“明确”表示一方的每一轮都快于另一方的每一轮。目标模型前向次数和每次前向的 token 数不受机器负载影响。"),
    "col.clear": ("clear", "明确"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "m.tokens_s.help": ("Median of {rounds} interleaved rounds (fastest {lo} ms, slowest {hi} ms per generation); the "
                        "arrow is coloured only when every round of one method beat every round of the other.",
                        "{rounds} 轮交错运行的中位数（每次生成最快 {lo} 毫秒、最慢 {hi} 毫秒）；只有当一种方法的每一轮都快于"
                        "另一种的每一轮时，箭头才着色。"),
    "busy": ("The rounds disagree widely: the machine was busy while timing, so treat the speed as rough.",
             "各轮结果相差很大：计时时机器繁忙，速度仅供粗略参考。"),
    "col.formula": ("formula", "公式"),
    "col.cost": ("draft cost c", "草拟代价 c"),
    "col.theory": ("theory", "理论"),
    "col.verify": ("verify cost v", "验证代价 v"),
    "col.theory_one_pass": ("theory, v = 1", "理论（v = 1）"),
    "exact": ("Exactness check: is the output really the target's?", "精确性检验：输出真的服从目标分布吗？"),
    "exact.intro": ("Draw the first two tokens after the prompt many times by plain sampling from the target and by "
                    "speculative sampling, and compare both with the target's exact two-token table (one batched "
                    "pass over every possible first byte). Pearson's χ² gives the p-value; pick a deliberately "
                    "wrong rule to watch the test catch it.",
                    "对提示词之后的前两个 token 反复采样：一次直接从目标模型采样，一次用投机采样，两者都与目标模型精确的"
                    "两 token 概率表比较（对所有可能的首字节做一次批量前向得到）。Pearson χ² 给出 p 值；"
                    "也可以选一条故意写错的规则，看检验如何把它抓出来。"),
    "exact.samples": ("Samples", "样本数"),
    "exact.rule": ("Rule", "规则"),
    "rule.exact": ("exact rule", "正确规则"),
    "rule.resample_from_p": ("wrong: resample from p", "错误：从 p 重采样"),
    "rule.accept_argmax": ("wrong: accept argmax only", "错误：只接受 argmax"),
    "exact.run": ("Sample and test", "采样并检验"),
    "exact.temp": ("Greedy decoding has nothing to sample: this check runs at temperature 1.",
                   "贪心解码没有随机性可检验：此检验在温度 1 下运行。"),
    "exact.running": ("Sampling…", "正在采样…"),
    "exact.result": ("Speculative sampling: χ² = {chi2} with {dof} degrees of freedom, p = {p} ({verdict}). "
                     "Plain sampling against the same table: p = {plain}.",
                     "投机采样：χ² = {chi2}，自由度 {dof}，p = {p}（{verdict}）。同一概率表下直接采样：p = {plain}。"),
    "exact.ok": ("consistent with the target's distribution", "与目标分布一致"),
    "exact.bad": ("rejected at p < 1e-4: this rule changes the distribution", "p < 1e-4 被拒绝：这条规则改变了分布"),
    "hf": ("The same in Hugging Face transformers", "在 Hugging Face transformers 中"),
    "hf.intro": ("For real models the library does the loop: a draft model is `assistant_model`, prompt lookup is "
                 "`prompt_lookup_num_tokens`. For documentation only: this page does not run transformers.",
                 "对真实模型，库已经实现了这个循环：草稿模型对应 `assistant_model`，提示词查找对应 "
                 "`prompt_lookup_num_tokens`。仅作说明：本页并不运行 transformers。"),
    "walk": ("Walkthrough", "导览"),
    "walk.apply": ("Apply step {n}", "应用第 {n} 步"),
    "walk.1": ("**The baseline.** Autoregressive at temperature 1: one target pass per token; note tokens/s and the "
               "number of passes.", "**基线。** 温度 1 下自回归：每个 token 一次目标前向；记下 token/秒和前向次数。"),
    "walk.2": ("**Draft and verify.** Speculative with γ = 4: green bytes were drafted and accepted, struck-through "
               "red ones rejected and replaced by the amber token the target drew from max(0, p − q); blue is the "
               "bonus token when all four pass. Fewer passes, more tokens/s. A rejected draft is rolled back: "
               "before the next step the target's and the draft's KV caches are cut back to the accepted tokens.",
               "**草拟并验证。** γ = 4 的投机采样：绿色字节是被接受的草拟，划线的红色被拒绝，并由目标模型从 "
               "max(0, p − q) 中抽出的琥珀色 token 代替；四个都通过时，蓝色是奖励 token。前向次数更少，速度更快。"
               "被拒绝的草拟会被回滚：进入下一步之前，目标模型和草稿模型的 KV 缓存都截回到被接受的 token。"),
    "walk.3": ("**Greedy is identical.** Temperature 0: the output equals plain greedy decoding byte for byte. "
               "Acceptance α falls below step 2's: a draft now passes only when its argmax is the target's, so "
               "every near-tie it calls wrong is rejected, while at temperature 1 it passes with probability "
               "min(1, p/q) and overlapping distributions mostly pass (on held-out text the draft's argmax agrees "
               "{greedy} of the time, against Σ min(p, q) = {alpha}). Prompt lookup (step 6) goes the other way.",
               "**贪心完全一致。** 温度 0：输出与普通贪心解码逐字节相同。接受率 α 比第 2 步更低：草拟只有在 argmax "
               "与目标模型相同时才通过，凡是接近平局又猜错的都被拒绝；而温度 1 时它以 min(1, p/q) 的概率通过，"
               "分布重叠得多就大多能通过（留出文本上草稿的 argmax 一致率为 {greedy}，而 Σ min(p, q) = {alpha}）。"
               "提示词查找（第 6 步）则相反。"),
    "walk.4": ("**Medusa.** No draft model: heads on the target guess several positions at once, and one pass checks "
               "a whole tree. Step through the trees and their attention masks.",
               "**Medusa。** 没有草稿模型：目标模型上的多个头同时猜后面几个位置，一次前向检查整棵树。逐步查看候选树和注意力掩码。"),
    "walk.5": ("**MTP.** DeepSeek-V3's sequential modules draft two tokens from the target's own hidden state; the "
               "exact rule keeps sampling correct. Drafting from the target's features is also EAGLE's idea (a "
               "small head fed the target's last hidden states), the drafter production engines ship and "
               "recommend most: vLLM, SGLang and TensorRT-LLM all serve EAGLE-3, and SGLang recommends it for the "
               "best speed.",
               "**MTP。** DeepSeek-V3 的顺序模块利用目标模型自身的隐状态草拟两个 token；精确规则保证采样仍然正确。"
               "用目标模型的特征来草拟也正是 EAGLE 的思路（一个读取目标模型最后隐状态的小头），它是生产推理引擎最常提供、"
               "最常推荐的草拟方式：vLLM、SGLang 和 TensorRT-LLM 都支持 EAGLE-3，SGLang 推荐用它获得最快速度。"),
    "walk.6": ("**Prompt lookup.** Drafts copied from earlier text cost nothing; they help when the output repeats "
               "the context, as greedy Shakespeare soon does.",
               "**提示词查找。** 从前文复制的草拟几乎零成本；当输出重复上下文时（贪心生成的莎士比亚很快就会如此）最有效。"),
    "plot.position": ("draft position", "草拟位置"),
    "plot.rate": ("acceptance rate", "接受率"),
    "plot.verified": ("times verified", "被验证次数"),
    "plot.alpha": ("α", "α"),
    "plot.tokens_per_call": ("tokens per target pass", "每次目标前向的 token 数"),
    "plot.theory": ("(1 − α^(γ+1)) / (1 − α), γ = {gamma}", "(1 − α^(γ+1)) / (1 − α)，γ = {gamma}"),
    "plot.measured": ("measured", "实测"),
    "plot.gamma": ("γ (drafted tokens per step)", "γ（每步草拟 token 数）"),
    "plot.speedup": ("speedup over autoregressive", "相对自回归的加速比"),
    "plot.speedup_theory": ("theory at measured α, draft and verify cost", "按实测 α、草拟代价与验证代价的理论值"),
    "plot.speedup_theory_one_pass": ("theory if verifying cost one pass (Leviathan et al.)",
                                     "假设验证只花一次前向的理论值（Leviathan 等人）"),
    "plot.cell": ("first two tokens", "前两个 token"),
    "plot.share": ("share of samples", "样本占比"),
    "plot.exact": ("exact target probability", "目标模型精确概率"),
    "plot.plain": ("plain sampling", "直接采样"),
    "plot.speculative": ("speculative sampling", "投机采样"),
    "plot.root": ("root (last token)", "根（最后一个 token）"),
    "plot.query": ("query (tree node)", "查询（树节点）"),
    "plot.key": ("key (tree node)", "键（树节点）"),
    "plot.depth": ("depth", "深度"),
    "plot.accepted": ("accepted draft", "接受的草拟"),
    "plot.rejected": ("rejected draft", "被拒绝的草拟"),
    "plot.resampled": ("target's token after a rejection", "拒绝后目标模型给出的 token"),
    "plot.bonus": ("bonus token (all drafts accepted)", "奖励 token（草拟全部被接受）"),
    "plot.prompt": ("prompt", "提示词"),
    "plot.q": ("q (drafter)", "q（草稿器）"),
    "plot.p": ("p (target)", "p（目标模型）"),
    "plot.per_draft": ("accepted per draft", "每次草拟中被接受的比例"),
    "plot.position0": ("draft position (vLLM counts from 0)", "草拟位置（vLLM 从 0 开始计）"),
    "plot.gamma_run": ("γ (tokens drafted per step)", "γ（每步草拟的 token 数）"),
    "plot.speedup_formula": ("(1 + Σ rate_i) / (1 + γ·c)", "(1 + Σ rate_i) / (1 + γ·c)"),
    "plot.rounds_title": ("draft-and-verify steps up to step {step} of {steps}", "草拟—验证步骤：第 {step} 步（共 {steps} 步）为止"),
    "plot.slot": ("token of the step", "本步中的 token"),
    "plot.step": ("step", "步"),
    # the "yours" view: a vLLM server's /metrics (ui/specdec/yours.py)
    "yours": ("Yours: a vLLM server's counters", "你的：一台 vLLM 服务器的计数器"),
    "yours.show": ("Read a vLLM /metrics page", "读取 vLLM 的 /metrics 页面"),
    "yours.intro": (
        "Paste what `curl http://localhost:8000/metrics` prints on a vLLM server running speculative decoding, or "
        "upload it. The page reads its four `vllm:spec_decode_*` counters with prometheus_client's parser, sums "
        "them over engines and models, checks that they add up, and draws them beside this page's own run, "
        "counted the way vLLM counts. The counters are totals since the server started; for one time window, "
        "scrape twice and subtract.",
        "粘贴在运行投机解码的 vLLM 服务器上执行 `curl http://localhost:8000/metrics` 的输出，或上传该文件。本页用 "
        "prometheus_client 的解析器读取其中四个 `vllm:spec_decode_*` 计数器，按引擎和模型求和，检查它们是否自洽，并与本页"
        "自己的运行（按 vLLM 的方式计数）并排画出。这些计数器是服务器启动以来的累计值；想看某个时间段，请抓取两次再相减。"),
    "yours.help": ("The Prometheus text vLLM serves at /metrics; only the vllm:spec_decode_* lines are read.",
                   "vLLM 在 /metrics 提供的 Prometheus 文本；只读取 vllm:spec_decode_* 开头的行。"),
    "yours.drafts": ("drafts verified", "验证过的草稿数"),
    "yours.alpha": ("acceptance rate", "接受率"),
    "yours.length": ("mean acceptance length", "平均接受长度"),
    "yours.sets": ("engines × models summed", "求和的引擎 × 模型数"),
    "yours.ok": ("The counters add up: acceptance never rises with position, the positions sum to the accepted "
                 "total, and no count exceeds what was drafted.",
                 "计数器自洽：接受数不随位置上升，各位置之和等于接受总数，也没有哪个计数超过草拟的数量。"),
    "yours.problems": ("{n} thing(s) in these counters do not add up:", "这些计数器中有 {n} 处不自洽："),
    "yours.cost": ("Draft cost c: one drafted token, in % of a target step", "草拟代价 c：草拟一个 token 的耗时，占目标模型一步的百分比"),
    "yours.cost.help": ("The time of one drafted token over the time of one target step, on your server. This "
                        "page's own measured cost is the γ sweep's column c.",
                        "在你的服务器上，草拟一个 token 的时间除以目标模型一步的时间。本页自己实测的代价见 γ 扫描表中的 c 列。"),
    "yours.theirs": ("yours (vLLM)", "你的（vLLM）"),
    "yours.ours": ("this page: {method}, γ = {gamma}", "本页：{method}，γ = {gamma}"),
    "yours.rates": ("Accepted per draft, by position", "各位置每次草拟的接受比例"),
    "yours.rates.caption": ("Here each rate is over all drafts, as vLLM divides: position i counts only when every "
                            "earlier token was accepted too. The chart above divides by the times a position was "
                            "verified instead.",
                            "这里每个比例都除以全部草拟次数，和 vLLM 一样：只有之前的 token 全被接受，位置 i 才会计数。上面的"
                            "图则除以该位置被验证的次数。"),
    "yours.speed": ("Speedup by γ at draft cost c", "草拟代价为 c 时各 γ 的加速比"),
    "yours.best": ("At c = {cost}, your counters give the most at γ = {best}: {speed}× by the formula, against "
                   "{speed_k}× at γ = {k}, what the server ran. The formula prices the verify pass as one step; "
                   "rates measured at γ = {k} hold for any smaller γ, since a token counts only when all before "
                   "it were accepted.",
                   "在 c = {cost} 时，你的计数器在 γ = {best} 处最好：按公式为 {speed}×，而服务器实际运行的 γ = {k} "
                   "为 {speed_k}×。公式把验证前向算作一步；在 γ = {k} 下测得的比例对任何更小的 γ 同样成立，因为只有之前的 "
                   "token 全被接受时，一个 token 才会计数。"),
    "yours.no_ours": ("This page's run drafted nothing ({method}): only your counters are drawn.",
                      "本页这次运行没有草拟（{method}）：只画出你的计数器。"),
    "yours.ours_problems": ("This page's own run, counted the same way, does not add up either: {msg}",
                            "本页自己的运行按同样方式计数，也不自洽：{msg}"),
}
