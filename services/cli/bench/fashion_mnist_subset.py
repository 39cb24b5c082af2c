#!/usr/bin/env python3
"""Writes a class subset of Fashion-MNIST as an ImageFolder tree (train/<class>/*.png, test/<class>/*.png).

Python standard library only (gzip, struct, zlib): reads the IDX files of the Debian package
dataset-fashion-mnist (/usr/share/datasets/fashion-mnist) and writes 28x28 8-bit grayscale PNGs, one folder
per class named after the class (filesystem-safe: "T-shirt/top" -> "T-shirt_top", "Ankle boot" ->
"Ankle_boot"). The images of each class are a seeded sample (random.Random(seed)), so the same arguments
always give the same files; selection.json lists the source indices of every image written.

  fashion_mnist_subset.py --out DIR --classes 5-9 --train-per-class 60 --test-per-class 400 --seed 1 --test-seed 0

--train-per-class / --test-per-class 0 = every image of the class in that split (6,000 / 1,000). An existing
non-empty --out is refused, unless --reuse is given and its selection.json records the same arguments.
"""
import argparse
import gzip
import json
import os
import random
import struct
import sys
import zlib

CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def folder_name(name):
    return name.replace("/", "_").replace(" ", "_")


def open_idx(path):
    for candidate in (path, path + ".gz"):
        if os.path.exists(candidate):
            return gzip.open(candidate, "rb") if candidate.endswith(".gz") else open(candidate, "rb")
    sys.exit(f"{path}[.gz]: not found; install the Debian package dataset-fashion-mnist "
             f"(apt-get install dataset-fashion-mnist) or pass --source")


def read_labels(path):
    with open_idx(path) as f:
        magic, count = struct.unpack(">II", f.read(8))
        if magic != 2049:
            sys.exit(f"{path}: bad IDX label magic {magic}")
        labels = f.read(count)
        if len(labels) != count:
            sys.exit(f"{path}: truncated, {len(labels)} of {count} labels")
        return labels


def read_images(path):
    with open_idx(path) as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 2051:
            sys.exit(f"{path}: bad IDX image magic {magic}")
        data = f.read(count * rows * cols)
        if len(data) != count * rows * cols:
            sys.exit(f"{path}: truncated, {len(data)} of {count * rows * cols} bytes")
        return data, count, rows, cols


def png_gray(pixels, rows, cols):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + pixels[r * cols:(r + 1) * cols] for r in range(rows))  # filter 0 per row
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", cols, rows, 8, 0, 0, 0, 0))  # 8-bit grayscale
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def parse_classes(spec):
    classes = []
    for part in spec.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            classes.extend(range(int(lo), int(hi) + 1))
        else:
            classes.append(int(part))
    if not classes or any(c < 0 or c > 9 for c in classes) or len(set(classes)) != len(classes):
        sys.exit(f"--classes {spec}: expected distinct labels 0-9, e.g. 0-4 or 5,6,7")
    return classes


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--out", required=True)
    p.add_argument("--classes", required=True, help="labels, e.g. 0-4 or 5-9 or 0,2,4")
    p.add_argument("--train-per-class", type=int, required=True, help="0 = all")
    p.add_argument("--test-per-class", type=int, required=True, help="0 = all")
    p.add_argument("--seed", type=int, default=0, help="seed of the per-class train sample")
    p.add_argument("--test-seed", type=int, default=None,
                   help="seed of the per-class test sample (default: --seed); fix it to give trees of different "
                        "--seed the same test images")
    p.add_argument("--reuse", action="store_true",
                   help="if --out was already written with the same arguments, leave it as it is")
    a = p.parse_args()
    classes = parse_classes(a.classes)
    test_seed = a.seed if a.test_seed is None else a.test_seed
    selection = {"source": os.path.abspath(a.source), "classes": {str(c): CLASS_NAMES[c] for c in classes},
                 "seed": a.seed, "testSeed": test_seed,
                 "trainPerClass": a.train_per_class, "testPerClass": a.test_per_class}
    if os.path.exists(a.out) and os.listdir(a.out):
        try:
            with open(os.path.join(a.out, "selection.json")) as f:
                written = json.load(f)
        except (OSError, ValueError):
            written = None
        if a.reuse and written is not None and all(written.get(k) == v for k, v in selection.items()):
            print(f"{a.out}: already written with these arguments; reused", file=sys.stderr)
            return
        sys.exit(f"{a.out}: exists and is not empty" + (" (written with other arguments, see its selection.json)"
                                                         if a.reuse else "") + "; choose a new folder")
    for split, prefix, per_class, seed in (("train", "train", a.train_per_class, a.seed),
                                           ("test", "t10k", a.test_per_class, test_seed)):
        labels = read_labels(os.path.join(a.source, f"{prefix}-labels-idx1-ubyte"))
        data, count, rows, cols = read_images(os.path.join(a.source, f"{prefix}-images-idx3-ubyte"))
        if count != len(labels):
            sys.exit(f"{a.source}: {split} has {count} images and {len(labels)} labels")
        rng = random.Random(f"{seed}/{split}")
        chosen = {}
        for c in classes:
            indices = [i for i, label in enumerate(labels) if label == c]
            if per_class > len(indices):
                sys.exit(f"class {c} has {len(indices)} {split} images, fewer than the {per_class} asked for")
            picked = sorted(rng.sample(indices, per_class)) if per_class else indices
            chosen[CLASS_NAMES[c]] = picked
            folder = os.path.join(a.out, split, folder_name(CLASS_NAMES[c]))
            os.makedirs(folder)
            size = rows * cols
            for i in picked:
                with open(os.path.join(folder, f"{i:05d}.png"), "wb") as f:
                    f.write(png_gray(data[i * size:(i + 1) * size], rows, cols))
        selection[split] = chosen
    with open(os.path.join(a.out, "selection.json"), "w") as f:
        json.dump(selection, f)
    counts = {s: sum(len(v) for v in selection[s].values()) for s in ("train", "test")}
    print(f"{a.out}: classes {[CLASS_NAMES[c] for c in classes]}, {counts['train']} train and "
          f"{counts['test']} test images (seed {a.seed}, test seed {test_seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
