package dev.resnetops.systemtests;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A tiny but real ImageFolder dataset: train/{cat,dog} with 3 PNGs each and test/{cat,dog} with 1, 16 px.
 * The variant changes every pixel: registrations of different variants are different dataset versions
 * (the platform deduplicates by content), so one test's changes to its shards cannot reach another's.
 */
final class TinyImageFolder {

    private TinyImageFolder() {
    }

    static Path write(Path root, int variant) throws IOException {
        int seed = 0;
        for (String split : List.of("train", "test")) {
            for (String cls : List.of("cat", "dog")) {
                Path dir = Files.createDirectories(root.resolve(split).resolve(cls));
                for (int i = 0; i < (split.equals("train") ? 3 : 1); i++) {
                    try (OutputStream out = Files.newOutputStream(dir.resolve(cls + i + ".png"))) {
                        ImageIO.write(image(++seed, variant), "png", out);
                    }
                }
            }
        }
        return root;
    }

    static BufferedImage image(int seed, int variant) {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, (x * 16 + y * seed * 7 + variant * 0x010203) & 0xFFFFFF);
            }
        }
        return img;
    }
}
