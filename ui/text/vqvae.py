"""Strings of the VQ-VAE page."""

TEXT = {
    "title": ("VQ-VAE: a discrete code for real digits", "VQ-VAE：真实手写数字的离散编码"),
    "what": (
        "A VQ-VAE is an autoencoder (not really a variational one) whose code is discrete: every encoder output z_e "
        "is replaced by its nearest vector in a codebook, so an 8×8 digit becomes a small grid of code indices. The "
        "argmin has no gradient; the straight-through estimator copies the decoder's gradient past it, so the whole "
        "model still trains by gradient descent. The catch is the codebook: codes that no encoder output picks get no "
        "update towards the data, and a codebook can collapse to a handful of codes. The models below were trained "
        "on {train} of scikit-learn's {total} real handwritten digits; the other {held} are held out: every "
        "reconstruction, usage count and MSE below is measured on them.",
        "VQ-VAE 是一种自编码器（其实并不是真正的变分自编码器），它的编码是离散的：每个编码器输出 z_e 都被替换为码本中离它最近的向量，"
        "于是一张 8×8 的数字图像变成一小格码字索引。argmin 没有梯度；直通估计器（straight-through）把解码器的梯度原样复制过去，"
        "所以整个模型仍然可以用梯度下降训练。难点在码本：没有被任何编码器输出选中的码字得不到朝向数据的更新，码本可能坍缩到寥寥几个码字。"
        "下面的模型在 scikit-learn 自带的 {total} 张真实手写数字中的 {train} 张上训练；其余 {held} 张留出不参与训练："
        "下面所有的重建、码字使用统计和 MSE 都在这些留出数字上测得。"),
    "source.shipped": ("Model: the shipped checkpoint {file}, trained by python -m engine.vqvae.train ({steps} steps, "
                       "seed {seed}) and loaded with torch.load(weights_only=True); what is drawn here was computed "
                       "from it just now on {device}.",
                       "模型：随附的检查点 {file}，由 python -m engine.vqvae.train 训练（{steps} 步，随机种子 {seed}），"
                       "并用 torch.load(weights_only=True) 加载；这里画出的内容是刚才在 {device} 上用它算出的。"),
    "source.shipped_all": ("Models: the shipped checkpoints {file}, trained by python -m engine.vqvae.train ({steps} "
                           "steps, seed {seed}) and loaded with torch.load(weights_only=True); the statistics below "
                           "were computed from them just now on {device}, the training curves are the histories "
                           "stored in them.",
                           "模型：随附的检查点 {file}，由 python -m engine.vqvae.train 训练（{steps} 步，随机种子 {seed}），"
                           "并用 torch.load(weights_only=True) 加载；下面的统计是刚才在 {device} 上用它们算出的，"
                           "训练曲线是保存在其中的训练记录。"),
    "source.live": ("Models: trained live on this server with these settings ({steps} steps, seed {seed}); what is "
                    "drawn here was computed from them just now on {device}.",
                    "模型：在本服务器上按这些设置实时训练（{steps} 步，随机种子 {seed}）；这里画出的内容是刚才在 {device} "
                    "上用它们算出的。"),
    "source.toy": ("Computed live, just now, on {device}.", "刚才在 {device} 上实时计算。"),
    "view": ("View", "视图"),
    "view.recon": ("Reconstructions", "重建"),
    "view.collapse": ("Codebook collapse", "码本坍缩"),
    "view.straight": ("Straight-through", "直通估计器"),
    "view.toy": ("2-D toy", "二维示例"),
    "view.bits": ("Bits ledger", "比特账本"),
    "view.fsq": ("FSQ & rotation", "FSQ 与旋转技巧"),
    "view.yours": ("Yours", "你的码字"),
    "view.walkthrough": ("Walkthrough", "导览"),
    "rule": ("Codebook rule", "码本更新规则"),
    "rule.loss": ("codebook loss (paper)", "码本损失（论文）"),
    "rule.ema": ("EMA", "EMA（指数滑动平均）"),
    "rule.ema_restart": ("EMA + dead-code restart", "EMA + 死码重启"),
    "rule.rotation": ("codebook loss + rotation trick", "码本损失 + 旋转技巧"),
    "rule.fsq": ("FSQ (no codebook)", "FSQ（无码本）"),
    "train.needed": ("These settings have not been trained yet: open the codebook-collapse view and press Train.",
                     "这些设置还没有训练过：打开“码本坍缩”视图并点击训练。"),
    "recon.digits": ("Held-out digits", "留出集数字"),
    "recon.digit": ("#{i} (a {label})", "#{i}（数字 {label}）"),
    "recon.mse": ("Reconstruction MSE of these {n} digits: {mse} (pixels in [0, 1]). None of them was trained on.",
                  "这 {n} 个数字的重建 MSE：{mse}（像素取值 [0, 1]）。它们都没有参与训练。"),
    "recon.which": ("Its grid of codes", "它的码字网格"),
    "recon.code": ("Code (click a cell, or type)", "码字（点击网格中的格子，或直接输入）"),
    "recon.alone_caption": ("What the decoder draws when all {cells} cells hold code {code}: the code's own "
                            "stroke, repeated.",
                            "当全部 {cells} 个格子都取码字 {code} 时解码器画出的图：该码字自己的笔画，重复铺满。"),
    "collapse.intro": (
        "The three rules trained side by side from the same initial weights and batches. Under the paper's codebook "
        "loss only the codes that win an encoder output get a gradient; the others stay where the chosen start put "
        "them (the default: near the origin, uniform in ±1/K), are never chosen and never move. EMA moves the chosen codes towards the mean of their "
        "vectors; an unchosen code stays put while its decaying count is large, then (Laplace smoothing) shrinks "
        "towards the origin, to half its length after about {half} unused steps at γ = {decay}. The restart rule: a "
        "code whose EMA count has fallen below {threshold} (from {start} at the start, that is {after} batches in a "
        "row without a single pick) is moved to a random encoder output of the batch, with its count back at "
        "{start}; at step 0 no code is dead.",
        "三种规则从相同的初始权重和批次开始并排训练。在论文的码本损失下，只有赢得了某个编码器输出的码字才会得到梯度；"
        "其余码字停留在所选初始方式放置的位置（默认在原点附近，±1/K 内均匀分布），从未被选中，也就从不移动。EMA 把被选中的码字朝分配给它的向量的均值移动；"
        "未被选中的码字在其衰减的计数还大时原地不动，之后（由于拉普拉斯平滑）向原点收缩，在 γ = {decay} 时约 {half} "
        "个未使用的步之后缩到一半长度。重启规则：EMA 计数降到 {threshold} 以下的码字（从初始的 {start} 算起，"
        "即连续 {after} 个批次一次也没被选中）被移到本批次中一个随机的编码器输出处，计数重置为 {start}；第 0 步时没有死码。"),
    "train.steps": ("Steps", "步数"),
    "train.seed": ("Seed", "随机种子"),
    "train.k": ("Codebook size K", "码本大小 K"),
    "train.grid": ("Code grid", "码字网格"),
    "train.beta": ("β (commitment)", "β（承诺损失权重）"),
    "train.decay": ("EMA decay γ", "EMA 衰减 γ"),
    "train.run": ("Train the three rules", "训练三种规则"),
    "train.init": ("Codebook start", "码本初始值"),
    "train.init.help": ("Where the codes start: the usual uniform draw near the origin, encoder outputs sampled from "
                        "the first batch, or k-means on that batch's encoder outputs (as SoundStream does).",
                        "码字从哪里出发：常见的原点附近均匀取值、从第一批的编码器输出中抽样，或在这批编码器输出上做 "
                        "k-means（SoundStream 的做法）。"),
    "init.random": ("near the origin", "原点附近"),
    "init.data": ("data samples", "数据抽样"),
    "init.kmeans": ("k-means", "k-means"),
    "seeds.title": ("The same table over {n} seeds", "同一张表，{n} 个随机种子"),
    "seeds.caption": ("Mean (lowest–highest) over seeds {seeds}, {steps} steps each, on the held-out digits: shipped "
                      "in {file}, written by {command} on {date} ({cpu}).",
                      "随机种子 {seeds} 上的均值（最低–最高），每个 {steps} 步，在留出集数字上统计：随附于 {file}，"
                      "由 {command} 于 {date} 写出（{cpu}）。"),
    "col.rule": ("rule", "规则"),
    "col.used": ("codes used", "用到的码字"),
    "col.perplexity": ("perplexity", "困惑度"),
    "col.dead": ("dead codes", "死码数"),
    "col.mse": ("held-out MSE", "留出集 MSE"),
    "collapse.heldout": ("On the held-out digits ({tokens} grid cells). Perplexity = exp(entropy of code usage): the "
                         "number of equally used codes with the same entropy.",
                         "在留出集数字上统计（共 {tokens} 个网格格子）。困惑度 = exp(码字使用分布的熵)：与之熵相同的、被均匀使用的码字个数。"),
    "collapse.curves": ("During training", "训练过程中"),
    "collapse.bound": ("Per batch: a batch holds {tokens} grid cells, so its perplexity can never exceed that, nor the "
                       "number of codes it used (the dotted line).",
                       "按批次统计：一个批次有 {tokens} 个网格格子，所以它的困惑度不可能超过这个数，也不可能超过它用到的码字数（虚线）。"),
    "collapse.losses": ("The loss terms of the chosen rule", "所选规则的各项损失"),
    "collapse.csv": ("Download the training histories (CSV)", "下载训练过程数据（CSV）"),
    "st.intro": (
        "32 held-out digits through the chosen model's own forward pass. Backpropagating its reconstruction loss "
        "alone gives the gradient at the quantised vectors z_q the decoder read (what the decoder sends back) and at "
        "the encoder outputs z_e (what the encoder receives): with z_e + (z_q − z_e).detach() they are the same "
        "tensor, bit for bit, and the codebook gets nothing from this loss. A forward that fed the decoder the "
        "codebook vectors themselves would leave z_e without a gradient, and this check would say no.",
        "32 个留出集数字经过所选模型自己的前向传播。只对它的重建损失做反向传播，得到解码器读入的量化向量 z_q 处的梯度"
        "（解码器传回的）和编码器输出 z_e 处的梯度（编码器收到的）：用 z_e + (z_q − z_e).detach() 时，二者逐比特完全相同，"
        "而码本从这项损失中什么也得不到。如果前向传播直接把码本向量喂给解码器，z_e 就得不到梯度，这项检查会显示“否”。"),
    "st.identical": ("bitwise identical", "逐比特相同"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "st.max_diff": ("max |∂z_e − ∂z_q|", "max |∂z_e − ∂z_q|"),
    "st.codebook": ("nonzero codebook grads", "码本梯度的非零个数"),
    "st.commit": ("commitment → encoder", "承诺损失 → 编码器"),
    "st.commit_delta": ("decoder {dec}, codebook {cb}", "解码器 {dec}，码本 {cb}"),
    "st.caption": ("The first digit's {cells} grid cells (rows) of the {n} digits. The commitment term's gradient "
                   "norm reaches the encoder's weights only.",
                   "{n} 个数字中第一个数字的 {cells} 个网格格子（行）。承诺损失的梯度只到达编码器的权重。"),
    "st.csv": ("Download ∂L/∂z_e (CSV)", "下载 ∂L/∂z_e（CSV）"),
    "toy.intro": (
        "The same quantiser in the plane: 300 points around a ring, a codebook that starts in a tight cluster near "
        "(0.5, 0.5), and the Voronoi cell of every code (the region it wins). k-means moves each code to the mean of "
        "its points; EMA moves it part of the way; codes that win nothing are dead.",
        "同一个量化器放到平面上：环形分布的 300 个点，一个在 (0.5, 0.5) 附近紧密聚集起步的码本，以及每个码字的 Voronoi 区域"
        "（它赢下的区域）。k-means 把每个码字移到其点的均值处；EMA 只移动一部分；一个点也没赢到的码字就是死码。"),
    "toy.rule": ("Update", "更新方式"),
    "toy.kmeans": ("k-means", "k-means"),
    "toy.ema": ("EMA (γ = 0.7)", "EMA（γ = 0.7）"),
    "toy.ema_restart": ("EMA + restart", "EMA + 重启"),
    "toy.k": ("Codes", "码字数"),
    "toy.step": ("Step", "步"),
    "toy.distortion": ("mean ‖x − e‖²", "平均 ‖x − e‖²"),
    "toy.dead": ("dead codes", "死码"),
    "toy.restarted": ("restarted after this step", "本步之后重启的码字"),
    "toy.caption": ("Crosses: codes (open red: dead); each point is coloured by the code it chose at this step.",
                    "叉号：码字（红色空心：死码）；每个点按它在这一步选中的码字着色。"),
    "bits.intro": ("What one 8×8 digit costs to store, as pixels and as code indices.",
                   "存储一张 8×8 数字图像需要多少比特：用像素存，和用码字索引存。"),
    "bits.pixels": ("pixels (17 grey levels: log2 17 bits each)", "像素（17 级灰度：每个 log2 17 比特）"),
    "bits.nibbles": ("pixels at 4 bits", "像素，每个 4 比特"),
    "bits.codes": ("code indices (log2 K bits each)", "码字索引（每个 log2 K 比特）"),
    "bits.entropy": ("code indices at the usage's entropy", "按码字使用熵编码的索引"),
    "bits.entropy_loss": ("entropy-coded, codebook-loss rule", "熵编码，码本损失规则"),
    "bits.entropy_ema": ("entropy-coded, EMA rule", "熵编码，EMA 规则"),
    "bits.entropy_ema_restart": ("entropy-coded, EMA + restart", "熵编码，EMA + 重启"),
    "bits.col.what": ("stored as", "存储方式"),
    "bits.col.cells": ("symbols", "符号数"),
    "bits.col.each": ("bits each", "每个的比特数"),
    "bits.col.bits": ("bits per digit", "每个数字的比特数"),
    "bits.col.ratio": ("vs raw pixels", "相对原始像素"),
    "bits.caption": ("The entropy rows use each rule's usage on the held-out digits: a collapsed codebook needs "
                     "almost no bits, because it says almost nothing.",
                     "熵编码各行使用各规则在留出集上的码字使用分布：坍缩的码本几乎不需要比特，因为它几乎什么也没说。"),
    "walk.intro": ("Each step sets the controls; then look for what it says.", "每一步都会设置好控件；然后按说明观察。"),
    "walk.apply": ("Apply step {n}", "应用第 {n} 步"),
    "walk.1": ("**Sixteen codes draw a digit.** Reconstructions, EMA + restart: each held-out digit is rebuilt from "
               "a 4×4 grid of code indices; click a cell to see what that code alone draws.",
               "**16 个码字画出一个数字。** 重建视图，EMA + 重启：每个留出集数字都由 4×4 的码字索引网格重建；点击某个格子，看看这个码字单独画出什么。"),
    "walk.2": ("**Collapse.** Codebook collapse: on the held-out digits the paper's codebook loss ends on {loss} of {k} "
               "codes, EMA on {ema}, EMA with restarts on {ema_restart}; compare the held-out MSE.",
               "**坍缩。** 码本坍缩视图：在留出集数字上，论文的码本损失最后用了 {k} 个码字中的 {loss} 个，EMA 用 {ema} 个，"
               "EMA 加重启用 {ema_restart} 个；比较留出集 MSE。"),
    "walk.3": ("**What a collapsed codebook draws.** Reconstructions with the codebook-loss rule: every digit becomes "
               "the same blur.",
               "**坍缩的码本画出什么。** 用码本损失规则重建：每个数字都变成同一团模糊。"),
    "walk.4": ("**Straight-through, exactly.** The two gradients are the same bits; the codebook gets no gradient from "
               "the reconstruction.",
               "**直通估计器，分毫不差。** 两个梯度逐比特相同；码本从重建损失中得不到任何梯度。"),
    "walk.5": ("**Dead codes in the plane.** 2-D toy, k-means, step 12: two codes never win a point and never move.",
               "**平面上的死码。** 二维示例，k-means，第 12 步：有两个码字从未赢得任何点，也从未移动。"),
    "walk.6": ("**Restarts revive them.** EMA + restart: the dead codes jump onto data points and the distortion "
               "drops.",
               "**重启让它们复活。** EMA + 重启：死码跳到数据点上，失真随之下降。"),
    "walk.7": ("**The bits.** 96 bits of code indices against 262 bits of pixels, and fewer still at the usage's "
               "entropy.",
               "**比特。** 码字索引 96 比特，像素 262 比特；按使用熵编码还能更少。"),
    "walk.8": ("**Collapse depends on the seed.** Seed 1 (a live training, {eta} here): over the shipped seeds {seeds} "
               "the codebook-loss rule ends on {lo} to {hi} of {k} codes; watch its codes-used curve.",
               "**坍缩取决于随机种子。** 随机种子 1（实时训练，此处约需 {eta}）：在随附的随机种子 {seeds} 上，"
               "码本损失规则最后用了 {k} 个码字中的 {lo} 到 {hi} 个；留意它的“用到的码字”曲线。"),
    "yours.intro": ("Upload the code indices your own tokenizer gave a data set, saved with `numpy.save` (a .npy "
                    "of integers, any shape, up to {limit} MiB). It is read as data only: an object array is a "
                    "pickle and is refused. Each code's uses are counted, and the perplexity exp(entropy) says how "
                    "many equally used codes would carry the same information; the right plot puts your codebook "
                    "beside the page's three rules, code ranks scaled to each K.",
                    "上传你自己的分词器给一个数据集输出的码字索引，用 `numpy.save` 保存（整数的 .npy，"
                    "任意形状，最大 {limit} MiB）。它只当数据读取：对象数组就是 pickle，会被拒绝。统计每个码字的使用次数；"
                    "困惑度 exp(熵) 表示多少个被均匀使用的码字能携带同样的信息；右图把你的码本与本页的三种规则放在一起，"
                    "码字排名按各自的 K 缩放。"),
    "yours.k": ("Codebook size K", "码本大小 K"),
    "yours.k.help": ("Codes outside [0, K) are not counted and are reported.", "[0, K) 之外的码字不计入，并会报告出来。"),
    "yours.example": ("The example holds the code grids the shipped {rule} checkpoint gives the held-out digits.",
                      "示例文件中是随附的 {rule} 检查点给留出集数字输出的码字网格。"),
    "yours.col.yours": ("yours", "你的"),
    "yours.col.ppl_k": ("perplexity / K", "困惑度 / K"),
    "yours.col.tokens": ("codes counted", "计入的码字数"),
    "yours.summary": ("Your array is {shape}: {tokens} codes counted, {used} of {k} codes used, {dead} dead; "
                      "perplexity {ppl}, i.e. {bits} bits per code at the usage's entropy. The three rules are "
                      "counted on the held-out digits by the shipped checkpoints.",
                      "你的数组形状为 {shape}：计入 {tokens} 个码字，{k} 个码字中用到 {used} 个，死码 {dead} 个；"
                      "困惑度 {ppl}，即按使用熵每个码字 {bits} 比特。三种规则由随附检查点在留出集数字上统计。"),
    "walk.11": ("**Yours.** Bring your tokenizer's codes; the bundled example, {rule}'s codes of the held-out digits, "
               "uses {used} of {k} codes with perplexity {ppl}. Change one code to {k} or more and it is named.",
               "**你的码字。** 带上你的分词器输出的码字；随附示例是 {rule} 给留出集数字的码字，{k} 个码字中用到 {used} 个，"
               "困惑度 {ppl}。把某个码字改成 {k} 或更大，它就会被指出来。"),
    "fsq.intro": ("**FSQ** (finite scalar quantisation) drops the codebook: each dimension of z is squashed by tanh, "
                  "rounded to one of L levels and scaled to [−1, 1]. The codes are the grid of all level "
                  "combinations, ∏L of them, and none can die, because none is learned; the rounding passes the "
                  "gradient straight through. Below, normal points in the plane quantised live by the engine's "
                  "`fsq`, which the tests compare with vector-quantize-pytorch's `FSQ`.",
                  "**FSQ**（有限标量量化）不要码本：z 的每个维度先经 tanh 压缩，再舍入到 L 个级别之一并缩放到 [−1, 1]。"
                  "码字就是所有级别组合构成的网格，共 ∏L 个；它们都不是学出来的，所以不会死；舍入处梯度直通。"
                  "下面是平面上的正态分布点，由引擎的 `fsq` 实时量化，测试把它与 vector-quantize-pytorch 的 `FSQ` 对比。"),
    "fsq.l1": ("levels, dimension 1", "第 1 维级数"),
    "fsq.l2": ("levels, dimension 2", "第 2 维级数"),
    "fsq.spread": ("spread of the points (σ)", "点的分布宽度（σ）"),
    "fsq.used": ("grid codes used", "用到的网格码字"),
    "fsq.points": ("points", "点数"),
    "fsq.caption": ("{n} points of σ = {spread} on a {l1}×{l2} grid use {used} of its {k} codes, perplexity {ppl}. "
                    "Narrow inputs fill only the middle of the grid: FSQ cannot collapse, but an encoder can still "
                    "leave codes unused.",
                    "σ = {spread} 的 {n} 个点落在 {l1}×{l2} 网格上，用到 {k} 个码字中的 {used} 个，困惑度 {ppl}。"
                    "输入太窄时只会占满网格中间：FSQ 不会坍缩，但编码器仍可能让一些码字闲置。"),
    "rot.title": ("The rotation trick", "旋转技巧"),
    "rot.intro": ("The straight-through estimator hands the encoder the decoder's gradient unchanged, whatever the "
                  "angle between z_e and its code z_q. The rotation trick (Fifty et al. 2024) rotates it by the "
                  "rotation that takes z_q's direction back to z_e's and scales it by ‖z_q‖/‖z_e‖, so the encoder "
                  "learns where z_e sits relative to its code. Both gradients below are what autograd leaves on z_e.",
                  "直通估计器把解码器的梯度原封不动地交给编码器，不管 z_e 与其码字 z_q 之间夹角多大。旋转技巧"
                  "（Fifty 等，2024）把梯度按“从 z_q 方向转回 z_e 方向”的旋转转过去，并乘以 ‖z_q‖/‖z_e‖，"
                  "于是编码器能学到 z_e 相对其码字的位置。下面两个梯度都是 autograd 留在 z_e 上的值。"),
    "rot.angle": ("angle from z_e to z_q (°)", "z_e 到 z_q 的夹角（°）"),
    "rot.ratio": ("‖z_q‖ / ‖z_e‖", "‖z_q‖ / ‖z_e‖"),
    "rot.g": ("direction of the decoder's gradient (°)", "解码器梯度的方向（°）"),
    "rot.turn": ("z_e → z_q", "z_e → z_q"),
    "rot.gturn": ("gradient turned by", "梯度转过的角度"),
    "rot.scale": ("gradient scaled by", "梯度缩放倍数"),
    "rot.caption": ("Straight-through gives z_e {straight}, the decoder's gradient itself; the rotation trick gives "
                    "{rotated}: the same gradient turned by {turn}° and scaled by {scale}.",
                    "直通估计器给 z_e 的是 {straight}，即解码器梯度本身；旋转技巧给的是 {rotated}：同一个梯度转过 "
                    "{turn}°、缩放 {scale} 倍。"),
    "walk.9": ("**FSQ cannot collapse, but can idle.** FSQ & rotation, {l1}×{l2} levels, σ = {spread}: {n} narrow "
               "points use only {used} of {k} grid codes.",
               "**FSQ 不会坍缩，但会闲置。** FSQ 与旋转技巧视图，{l1}×{l2} 级，σ = {spread}：{n} 个窄分布的点只用到 {k} 个"
               "网格码字中的 {used} 个。"),
    "walk.10": ("**The rotation trick.** z_q at {angle}° from z_e, {ratio} times as long: the encoder's gradient is "
                "the decoder's turned by {turn}° and scaled by {scale}; straight-through would pass it unchanged.",
                "**旋转技巧。** z_q 与 z_e 夹角 {angle}°，长度是 z_e 的 {ratio} 倍：编码器收到的梯度是解码器梯度转过 "
                "{turn}°、缩放 {scale} 倍；直通估计器则会原样传递。"),
    "walk.12": ("**Both, trained beside the three rules.** FSQ & rotation, at the bottom: over seeds {seeds} the "
                "codebook loss uses {loss} held-out codes on average with the straight-through copy and {rotation} "
                "with the rotation trick; FSQ uses {fsq} of its {k}. Compare the gap curves.",
                "**两者与三种规则一起训练。** FSQ 与旋转技巧视图底部：在随机种子 {seeds} 上，码本损失配直通复制平均用到 "
                "{loss} 个留出集码字，配旋转技巧用到 {rotation} 个；FSQ 用到其 {k} 个中的 {fsq} 个。比较差距曲线。"),
    "plot.bounded": ("bounded, before rounding", "有界化后、舍入前"),
    "plot.grid": ("FSQ codes (size: uses)", "FSQ 码字（大小表示使用次数）"),
    "plot.unused": ("unused codes", "未用到的码字"),
    "plot.z_e": ("z_e (encoder)", "z_e（编码器输出）"),
    "plot.z_q": ("z_q (code)", "z_q（码字）"),
    "plot.g": ("∂L/∂z_q (decoder)", "∂L/∂z_q（解码器）"),
    "plot.straight": ("to z_e: straight-through", "传给 z_e：直通估计器"),
    "plot.rotated": ("to z_e: rotation trick", "传给 z_e：旋转技巧"),
    "plot.gap": ("‖z_q − z_e‖ (batch mean)", "‖z_q − z_e‖（批次平均）"),
    "study.title": ("Trained beside the three rules", "与三种规则一起训练"),
    "study.missing": ("The study has not been shipped yet: `python -m engine.vqvae.alternatives` trains it.",
                      "研究结果尚未随附：运行 `python -m engine.vqvae.alternatives` 进行训练。"),
    "study.col.gap": ("‖z_q − z_e‖ at the end", "结束时的 ‖z_q − z_e‖"),
    "study.caption": ("Mean (lowest–highest) over seeds {seeds}, each rule trained {steps} steps on the training "
                      "digits from the same weights and batches (FSQ with {levels} levels: the same 64 codes) and "
                      "measured on the held-out digits; the curves are the batch mean of ‖z_q − z_e‖, the distance "
                      "the straight-through copy bridges. Recorded {date} on {cpu} by `{command}`.",
                      "随机种子 {seeds} 上的平均值（最低–最高）。每种规则都从相同的权重和批次出发，在训练集数字上训练 "
                      "{steps} 步（FSQ 用 {levels} 级：同样是 64 个码字），在留出集数字上测量；曲线是 ‖z_q − z_e‖ 的"
                      "批次平均，即直通复制要跨越的距离。{date} 在 {cpu} 上由 `{command}` 记录。"),
    "plot.share": ("share of the codes", "码字占比"),
    "plot.yours": ("yours", "你的"),
    "plot.rank": ("codes, most used first (rank / K)", "码字，按使用次数从多到少（排名 / K）"),
    "plot.by_code": ("yours, by code", "你的，按码字"),
    "plot.by_rank": ("beside the three rules", "与三种规则并列"),
    "plot.original": ("original", "原图"),
    "plot.reconstruction": ("reconstruction", "重建"),
    "plot.code": ("code", "码字"),
    "plot.uses": ("grid cells using it", "使用它的格子数"),
    "plot.step": ("step", "步数"),
    "plot.perplexity": ("perplexity (per batch)", "困惑度（按批次）"),
    "plot.codes_used": ("codes used (per batch)", "用到的码字（按批次）"),
    "plot.loss": ("loss", "损失"),
    "plot.reconstruction_loss": ("reconstruction", "重建损失"),
    "plot.codebook_loss": ("codebook", "码本损失"),
    "plot.commitment_loss": ("commitment", "承诺损失"),
    "plot.grad_e": ("∂L/∂z_e (to the encoder)", "∂L/∂z_e（传给编码器）"),
    "plot.grad_q": ("∂L/∂z_q (from the decoder)", "∂L/∂z_q（来自解码器）"),
    "plot.cell": ("grid cell", "网格格子"),
    "plot.dim": ("code dimension", "码字维度"),
    "plot.points": ("points", "数据点"),
    "plot.codes": ("codes", "码字"),
    "plot.dead": ("dead codes", "死码"),
    "plot.bound": ("bound: {n} codes", "上界：{n} 个码字"),
    "plot.image": ("decoded", "解码结果"),
    "plot.epoch": ("epoch", "轮次"),
    "plot.bits": ("bits per code", "每个码字的比特数"),
    "plot.fit_bits": ("training (dropout on)", "训练集（开启 dropout）"),
    "plot.val_bits": ("validation", "验证集"),
    "plot.kept": ("kept: epoch {n}", "保留：第 {n} 轮"),
    "plot.unigram_bits": ("code frequencies", "码字频率"),
    "view.generate": ("Generate", "生成"),
    "gen.intro": (
        "A VQ-VAE alone only reconstructs: to **generate**, something must choose the {cells} codes of a new "
        "{h}×{w} grid. A prior does: it factorises p(grid) = Π p(cᵢ | c₍<ᵢ₎) over the cells in reading order and "
        "learns each factor from the code grids of the training digits. Ours is a tiny PixelCNN: masked "
        "convolutions, so that the scores for cell i read only the cells before it. Drawing a digit is {cells} "
        "steps, each a choice among the {k} codes from softmax(scores / T); the decoder then draws the grid.",
        "单靠 VQ-VAE 只能重建：要**生成**，得有东西为一格新的 {h}×{w} 网格挑出 {cells} 个码字。先验（prior）就做这件事："
        "它把 p(grid) 按阅读顺序分解为 Π p(cᵢ | c₍<ᵢ₎)，并从训练数字的码字网格中学习每个因子。我们的先验是一个极小的 "
        "PixelCNN：卷积带掩码，使第 i 格的分数只读取它之前的格子。画一个数字要走 {cells} 步，每步按 softmax(分数 / T) "
        "从 {k} 个码字中选一个；然后由解码器把网格画出来。"),
    "gen.temp": ("Temperature T", "温度 T"),
    "gen.temp_help": ("T = {zero} takes the most likely code at every cell (argmax decoding: every draw the same); "
                      "T = {one} samples the prior as trained; larger T flattens it towards uniform codes.",
                      "T = {zero} 在每一格都取最可能的码字（argmax 解码：每次抽样都一样）；T = {one} 按训练所得的先验抽样；"
                      "T 越大，分布越平，越接近均匀地选码字。"),
    "gen.seed": ("Seed of the draw", "抽样随机种子"),
    "gen.caption": ("{n} digits drawn at T = {t} (code grids that differ: {distinct}), sampled and decoded "
                    "in {ms} ms on {device}, just now.",
                    "在 T = {t} 下抽取的 {n} 个数字（其中有 {distinct} 种不同的码字网格），刚才在 {device} 上"
                    "抽样并解码，用时 {ms} 毫秒。"),
    "gen.m.ours": ("prior, held-out (bits / code)", "先验，留出集（比特 / 码字）"),
    "gen.m.unigram": ("code frequencies", "码字频率"),
    "gen.m.cells": ("frequencies per cell", "逐格码字频率"),
    "gen.m.uniform": ("uniform over the K codes", "K 个码字均匀分布"),
    "gen.nll": ("On the {grids} held-out digits the prior needs **{ours} bits per code**, against {unigram} for "
                "the training digits' code frequencies, {cells} for a frequency table per cell and {uniform} for "
                "uniform codes: the context of the earlier cells saves {saved} bits per digit of {cells_n} codes "
                "over the frequencies. That is what it learnt about how strokes continue; the rest is the digits' "
                "own variety, and the little data it had.",
                "在 {grids} 个留出数字上，先验需要**每个码字 {ours} 比特**；对照：按训练数字的码字频率需要 {unigram}，"
                "每格一张频率表需要 {cells}，均匀分布需要 {uniform}。前面各格的上下文让每个数字（{cells_n} 个码字）比按频率"
                "少花 {saved} 比特。这就是它学到的笔画如何延续；其余是数字本身的多样性，以及训练数据之少。"),
    "gen.source": ("Prior: the shipped checkpoint {file}, trained by python -m engine.vqvae.prior --train on the "
                   "codes {vq} gives {fit} training digits ({val} more kept back to pick the epoch: {epochs} "
                   "epochs, epoch {best} kept), in {seconds} s on {cpu}, {date}; loaded with "
                   "torch.load(weights_only=True).",
                   "先验：随附的检查点 {file}，由 python -m engine.vqvae.prior --train 在 {vq} 给出的 {fit} 个训练数字的"
                   "码字上训练（另留 {val} 个用来挑选轮次：共 {epochs} 轮，保留第 {best} 轮），{date} 在 {cpu} 上用时 "
                   "{seconds} 秒；用 torch.load(weights_only=True) 加载。"),
    "gen.csv": ("Download the drawn code grids (CSV)", "下载抽到的码字网格（CSV）"),
    "walk.13": ("**Generate.** Generate, T = {t}: new digits, drawn code by code from the prior and decoded. On "
                "held-out digits it needs {ours} bits per code against {unigram} for plain code frequencies.",
                "**生成。** 生成，T = {t}：逐个码字从先验中抽样再解码，得到新的数字。在留出数字上它每个码字需要 {ours} 比特，"
                "而单纯按码字频率需要 {unigram} 比特。"),
    "walk.14": ("**Temperature zero.** The same view at T = {t}: argmax decoding takes the likeliest code at every "
                "cell, so every draw is one and the same digit, whatever the seed.",
                "**温度为零。** 同一视图，T = {t}：argmax 解码在每一格都取最可能的码字，所以无论随机种子是多少，"
                "每次抽到的都是同一个数字。"),
    "plot.k": ("codebook size K", "码本大小 K"),
    "plot.all_k": ("all K codes", "全部 K 个码字"),
    "plot.heldout_mse": ("held-out MSE", "留出集 MSE"),
    "ksweep.title": ("Codebook size: codes used and MSE against K", "码本大小：使用的码字数与 MSE 随 K 的变化"),
    "ksweep.says": ("At K = {top}, EMA uses {used_ema} codes on the held-out digits and EMA with restarts "
                    "{used_ema_restart}; with restarts the held-out MSE goes from {mse_lo} at K = {lo_k} to {mse_hi} "
                    "at K = {top}.",
                    "K = {top} 时，EMA 在留出数字上用到 {used_ema} 个码字，带重启的 EMA 用到 {used_ema_restart} 个；"
                    "带重启时留出集 MSE 从 K = {lo_k} 的 {mse_lo} 变为 K = {top} 的 {mse_hi}。"),
    "ksweep.recorded": ("Recorded by {command} on {cpu}, {date} ({steps} steps per model, seed {seed}, {seconds} s "
                        "in all): a recording, not computed now.",
                        "由 {command} 于 {date} 在 {cpu} 上录制（每个模型 {steps} 步，随机种子 {seed}，共 {seconds} 秒）："
                        "这是录制结果，不是现在计算的。"),
    "ksweep.csv": ("Download the K sweep (CSV)", "下载 K 扫描数据（CSV）"),
}
