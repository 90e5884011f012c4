# ===- architectures.py - The zoo networks, layer by layer ----------------=== #
#
# Each builder takes a ZooGraph holding the calibration input "input"
# (1x3x224x224) and returns (model, description). Layouts follow torchvision
# (ResNet, MobileNetV2, GoogLeNet, ShuffleNetV2), the MobileNet paper (V1) and the
# EfficientNet-Lite reference (tensorflow/tpu models/official/efficientnet/
# lite, as ported by the PyPI package efficientnet-lite-pytorch 0.1.0).
# See models/README.md ("Model zoo") for structure and provenance.
#
# ===----------------------------------------------------------------------=== #

NUM_CLASSES = 1000


def _head(g, x, dropout=None):
    y = g.flatten(g.global_avg_pool(x))
    if dropout is not None:
        y = g.dropout(y, dropout)
    return g.finish(g.gemm(y, NUM_CLASSES), "logits")


# --- ResNet (torchvision resnet18 / resnet50, v1.5: stride on the 3x3) ----- #

def _basic_block(g, x, cin, planes, stride):
    y = g.conv_bn(x, planes, 3, stride)
    y = g.conv_bn(y, planes, 3, 1, act=None)
    s = x
    if stride != 1 or cin != planes:
        s = g.conv_bn(x, planes, 1, stride, pads=[0, 0, 0, 0], act=None)
    return g.relu(g.add(y, s)), planes


def _bottleneck(g, x, cin, planes, stride):
    out = planes * 4
    y = g.conv_bn(x, planes, 1, 1, pads=[0, 0, 0, 0])
    y = g.conv_bn(y, planes, 3, stride)
    y = g.conv_bn(y, out, 1, 1, pads=[0, 0, 0, 0], act=None)
    s = x
    if stride != 1 or cin != out:
        s = g.conv_bn(x, out, 1, stride, pads=[0, 0, 0, 0], act=None)
    return g.relu(g.add(y, s)), out


def _resnet(g, block, layers):
    y = g.conv_bn("input", 64, 7, 2)                      # 112x112
    y = g.maxpool(y, 3, 2, pad=1)                         # 56x56
    c = 64
    for stage, (planes, n) in enumerate(zip((64, 128, 256, 512), layers)):
        for i in range(n):
            stride = 2 if stage > 0 and i == 0 else 1
            y, c = block(g, y, c, planes, stride)
    return _head(g, y)


def resnet18(g):
    return _resnet(g, _basic_block, (2, 2, 2, 2))


def resnet50(g):
    return _resnet(g, _bottleneck, (3, 4, 6, 3))


# --- MobileNetV1 (Howard et al. 2017, Table 1, width 1.0) ------------------- #

def mobilenetv1(g):
    y = g.conv_bn("input", 32, 3, 2)                      # 112x112
    c = 32
    # (output channels, depthwise stride) of the 13 dw/pw pairs.
    for cout, s in ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
                    (512, 1), (512, 1), (512, 1), (512, 1), (512, 1),
                    (1024, 2), (1024, 1)):
        y = g.conv_bn(y, c, 3, s, group=c)                # depthwise 3x3
        y = g.conv_bn(y, cout, 1, 1, pads=[0, 0, 0, 0])   # pointwise 1x1
        c = cout
    return _head(g, y)


# --- MobileNetV2 (torchvision mobilenet_v2, width 1.0) ---------------------- #

def _inverted_residual(g, x, cin, cout, stride, t):
    y = x
    hidden = cin * t
    if t != 1:
        y = g.conv_bn(y, hidden, 1, 1, pads=[0, 0, 0, 0], act="relu6")
    y = g.conv_bn(y, hidden, 3, stride, group=hidden, act="relu6")
    y = g.conv_bn(y, cout, 1, 1, pads=[0, 0, 0, 0], act=None)
    if stride == 1 and cin == cout:
        y = g.add(y, x)
    return y


def mobilenetv2(g):
    y = g.conv_bn("input", 32, 3, 2, act="relu6")         # 112x112
    c = 32
    for t, cout, n, s in ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                          (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)):
        for i in range(n):
            y = _inverted_residual(g, y, c, cout, s if i == 0 else 1, t)
            c = cout
    y = g.conv_bn(y, 1280, 1, 1, pads=[0, 0, 0, 0], act="relu6")
    return _head(g, y, dropout=0.2)


# --- GoogLeNet (torchvision googlenet: BN after every conv, no LRN; 5x5 -----  #
# --- in the third branch as in the paper, not torchvision's 3x3) ----------- #

GOOGLENET_BN_EPS = 1e-3  # torchvision BasicConv2d


def _inception(g, x, c1, c3r, c3, c5r, c5, pool_proj):
    def cbr(y, c, k):
        return g.conv_bn(y, c, k, 1, epsilon=GOOGLENET_BN_EPS)
    b1 = cbr(x, c1, 1)
    b2 = cbr(cbr(x, c3r, 1), c3, 3)
    b3 = cbr(cbr(x, c5r, 1), c5, 5)
    b4 = cbr(g.maxpool(x, 3, 1, pad=1, ceil_mode=1), pool_proj, 1)
    return g.concat([b1, b2, b3, b4])


def googlenet(g):
    eps = GOOGLENET_BN_EPS
    y = g.conv_bn("input", 64, 7, 2, epsilon=eps)         # 112x112
    y = g.maxpool(y, 3, 2, ceil_mode=1)                   # 56x56
    y = g.conv_bn(y, 64, 1, 1, epsilon=eps)
    y = g.conv_bn(y, 192, 3, 1, epsilon=eps)
    y = g.maxpool(y, 3, 2, ceil_mode=1)                   # 28x28
    y = _inception(g, y, 64, 96, 128, 16, 32, 32)         # 3a -> 256
    y = _inception(g, y, 128, 128, 192, 32, 96, 64)       # 3b -> 480
    y = g.maxpool(y, 3, 2, ceil_mode=1)                   # 14x14
    y = _inception(g, y, 192, 96, 208, 16, 48, 64)        # 4a -> 512
    y = _inception(g, y, 160, 112, 224, 24, 64, 64)       # 4b -> 512
    y = _inception(g, y, 128, 128, 256, 24, 64, 64)       # 4c -> 512
    y = _inception(g, y, 112, 144, 288, 32, 64, 64)       # 4d -> 528
    y = _inception(g, y, 256, 160, 320, 32, 128, 128)     # 4e -> 832
    y = g.maxpool(y, 2, 2, ceil_mode=1)                   # 7x7
    y = _inception(g, y, 256, 160, 320, 32, 128, 128)     # 5a -> 832
    y = _inception(g, y, 384, 192, 384, 48, 128, 128)     # 5b -> 1024
    return _head(g, y, dropout=0.2)


# --- EfficientNet-Lite0 (pretrained) ---------------------------------------- #

LITE_BN_EPS = 1e-3
# (repeats, kernel, stride, expansion, in, out): efficientnet_lite_builder's
# 'r1_k3_s11_e1_i32_o16' ... 'r1_k3_s11_e6_i192_o320'; Lite0 scales nothing.
LITE0_STAGES = ((1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40),
                (3, 3, 2, 6, 40, 80), (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192),
                (1, 3, 1, 6, 192, 320))


def same_pads(size, k, s):
    """TensorFlow 'SAME' padding as ONNX pads [top, left, bottom, right]:
    the odd pixel goes to the bottom/right (Conv2dStaticSamePadding)."""
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return [total // 2, total // 2, total - total // 2, total - total // 2]


def efficientnet_lite0(g, sd):
    """sd: the checkpoint's state dict {name: array}."""
    def bn_params(prefix):
        return [sd[f"{prefix}.{n}"] for n in ("weight", "bias", "running_mean",
                                              "running_var")]

    def conv_bn_act(x, prefix_conv, prefix_bn, stride, group=1, act=True):
        w = sd[f"{prefix_conv}.weight"]
        k = w.shape[-1]
        pads = same_pads(g.shape(x)[-1], k, stride)
        y = g.conv(x, w.shape[0], k, stride, pads=pads, group=group, weight=w)
        y = g.bn(y, LITE_BN_EPS, params=bn_params(prefix_bn))
        return g.relu6(y) if act else y

    y = conv_bn_act("input", "_conv_stem", "_bn0", 2)     # 112x112
    idx = 0
    for repeats, k, stride, t, cin, cout in LITE0_STAGES:
        for i in range(repeats):
            p = f"_blocks.{idx}"
            x = y
            if t != 1:
                y = conv_bn_act(y, f"{p}._expand_conv", f"{p}._bn0", 1)
            assert sd[f"{p}._depthwise_conv.weight"].shape[-1] == k, p
            y = conv_bn_act(y, f"{p}._depthwise_conv", f"{p}._bn1",
                            stride if i == 0 else 1, group=g.shape(y)[1])
            y = conv_bn_act(y, f"{p}._project_conv", f"{p}._bn2", 1, act=False)
            if (stride if i == 0 else 1) == 1 and (cin if i == 0 else cout) == cout:
                y = g.add(y, x)                           # id_skip
            idx += 1
    assert f"_blocks.{idx}._depthwise_conv.weight" not in sd, "unexpected extra blocks"
    y = conv_bn_act(y, "_conv_head", "_bn1", 1)
    y = g.flatten(g.global_avg_pool(y))
    y = g.dropout(y, 0.2)
    y = g.gemm(y, NUM_CLASSES, weight=sd["_fc.weight"], bias=sd["_fc.bias"])
    return g.finish(y, "logits")


# --- ShuffleNetV2 (torchvision shufflenet_v2_x1_0) ------------------------ #

def _channel_shuffle(g, x, groups=2):
    """torchvision's channel_shuffle: view(n, groups, c / groups, h, w),
    transpose(1, 2), view(n, c, h, w)."""
    _, c, h, w = g.shape(x)
    y = g.reshape(x, [1, groups, c // groups, h, w])
    y = g.transpose(y, [0, 2, 1, 3, 4])
    return g.reshape(y, [1, c, h, w])


def _shuffle_unit(g, x, cin, cout, stride):
    half = cout // 2

    def branch2(y, c):
        y = g.conv_bn(y, half, 1, 1, pads=[0, 0, 0, 0])
        y = g.conv_bn(y, half, 3, stride, group=half, act=None)  # depthwise
        return g.conv_bn(y, half, 1, 1, pads=[0, 0, 0, 0])

    if stride == 1:
        a, b = g.split(x, [half, half])                 # x.chunk(2, dim=1)
        y = g.concat([a, branch2(b, half)])
    else:
        left = g.conv_bn(x, cin, 3, stride, group=cin, act=None)
        left = g.conv_bn(left, half, 1, 1, pads=[0, 0, 0, 0])
        y = g.concat([left, branch2(x, cin)])
    return _channel_shuffle(g, y)


def shufflenetv2(g):
    y = g.conv_bn("input", 24, 3, 2)                      # 112x112
    y = g.maxpool(y, 3, 2, pad=1)                         # 56x56
    c = 24
    for cout, repeats in ((116, 4), (232, 8), (464, 4)):
        for i in range(repeats):
            y = _shuffle_unit(g, y, c, cout, 2 if i == 0 else 1)
            c = cout
    y = g.conv_bn(y, 1024, 1, 1, pads=[0, 0, 0, 0])       # 7x7
    y = g.reduce_mean_hw(y)                               # x.mean([2, 3])
    return g.finish(g.gemm(y, NUM_CLASSES), "logits")


RANDOM_MODELS = {f.__name__: f for f in (resnet18, resnet50, mobilenetv2, googlenet,
                                         mobilenetv1, shufflenetv2)}
