package dev.resnetops.vision.data;

import java.util.List;

/**
 * How the importer stores images: raw at their own size, or encoded after shrinking the shorter side.
 * Kept apart from {@link DatasetImporter} so the storage decision and per-image conversion read in one place.
 */
record StoredLayout(StorageKind storage, int height, int width) {

    static StoredLayout choose(SourceDataset src, ImportOptions options) {
        boolean uniform = src.height() > 0 && src.width() > 0;
        StorageKind kind = options.storage();
        if (kind == null) {
            kind = uniform && Math.max(src.height(), src.width()) <= options.maxRawSide()
                    ? StorageKind.RAW_UINT8 : StorageKind.ENCODED;
        }
        if (kind == StorageKind.RAW_UINT8) {
            if (!uniform) {
                throw new DatasetException(src.root() + ": RAW_UINT8 storage needs all images to have one size,"
                        + " but their sizes differ; use ENCODED storage");
            }
            return new StoredLayout(kind, src.height(), src.width());
        }
        return new StoredLayout(kind, options.shortSide(), options.shortSide());
    }

    /** The image as it will be stored, or null (with a problem recorded) when it cannot be stored. */
    DecodedImage toStored(LabelledImage item, List<DataProblem> problems) {
        DecodedImage img = item.image();
        if (storage == StorageKind.RAW_UINT8) {
            if (img.width() != width || img.height() != height) {
                problems.add(new DataProblem(item.origin(), "image is " + img.width() + "x" + img.height()
                        + " but the dataset stores " + width + "x" + height));
                return null;
            }
            return img;
        }
        return Math.min(img.width(), img.height()) > height ? BilinearResampler.resizeShorterSide(img, height) : img;
    }

    byte[] payload(DecodedImage stored, ImportOptions options) {
        return storage == StorageKind.RAW_UINT8 ? stored.pixels()
                : ImageCodec.encode(stored, options.encoding(), options.jpegQuality());
    }
}
