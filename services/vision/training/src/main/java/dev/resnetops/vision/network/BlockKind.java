package dev.resnetops.vision.network;

/** The residual block a ResNet depth is made of (He et al. 2016, Table 1). */
enum BlockKind {
    /** Two 3x3 convolutions; ResNet-18/34. */
    BASIC(1),
    /** 1x1 reduce, 3x3, 1x1 expand (x4); ResNet-50/101/152. */
    BOTTLENECK(4);

    final int expansion;

    BlockKind(int expansion) {
        this.expansion = expansion;
    }
}
