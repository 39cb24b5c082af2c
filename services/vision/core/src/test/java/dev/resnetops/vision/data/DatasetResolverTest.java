package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetResolverTest {

    @TempDir
    Path tmp;

    private final List<String> log = new ArrayList<>();

    private DatasetResolver resolverWith(DebianDatasetPackage pkg) {
        return new DatasetResolver(Map.of("fashion-mnist", pkg), ImportOptions.defaults());
    }

    @Test
    void sourcePathIsImportedIntoTheCacheOnceAndReused() throws IOException {
        Path cache = tmp.resolve("cache");
        DatasetResolver resolver = new DatasetResolver(Map.of(), ImportOptions.defaults());
        String source = Fixtures.path("cifar10").toString();

        ShardedDataset first = resolver.resolve(source, cache, log::add);
        ShardedDataset second = resolver.resolve(source, cache, log::add);

        assertThat(first.directory()).isEqualTo(second.directory());
        assertThat(first.directory().getFileName().toString()).matches("cifar10-[0-9a-f]{12}");
        assertThat(log).filteredOn(l -> l.startsWith("importing")).hasSize(1);
        assertThat(log).anyMatch(l -> l.startsWith("using cached import"));
        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries).hasSize(1);
        }
    }

    @Test
    void importedDatasetPathIsOpenedDirectly() {
        DatasetImporter.importDataset(Fixtures.path("cifar10"), tmp.resolve("ds"), ImportOptions.defaults());

        ShardedDataset ds = new DatasetResolver().resolve(tmp.resolve("ds").toString(), tmp.resolve("cache"), log::add);

        assertThat(ds.directory()).isEqualTo(tmp.resolve("ds"));
        assertThat(tmp.resolve("cache")).doesNotExist();
    }

    @Test
    void wellKnownNameUsesThePackageFolderAndNamesTheCacheEntryAfterIt() {
        Path installed = Fixtures.copy("idx/fashion-mini", tmp.resolve("usr-share/fashion-mnist"));
        DebianDatasetPackage pkg = new DebianDatasetPackage("dataset-fashion-mnist", installed, () -> false);

        ShardedDataset ds = resolverWith(pkg).resolve("Fashion-MNIST", tmp.resolve("cache"), log::add);

        assertThat(ds.directory().getFileName().toString()).startsWith("fashion-mnist-");
        assertThat(ds.classes()).contains("Ankle boot");
    }

    @Test
    void missingPackageWithoutRootExplainsHowToInstallIt() {
        DebianDatasetPackage pkg = new DebianDatasetPackage("dataset-fashion-mnist", tmp.resolve("absent"), () -> false);

        assertThatThrownBy(() -> resolverWith(pkg).resolve("fashion-mnist", tmp.resolve("cache"), log::add))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining(tmp.resolve("absent").toString());
    }

    @Test
    void unknownNameThatIsNoPathIsReported() {
        assertThatThrownBy(() -> new DatasetResolver().resolve("imagenet-99k", tmp, log::add))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("imagenet-99k")
                .hasMessageContaining("neither a known dataset name");
    }

    @Test
    void changedSourceGetsANewFingerprint() throws IOException {
        Path src = Fixtures.copy("cifar10", tmp.resolve("src"));
        String before = DatasetResolver.sourceFingerprint(src);
        Files.writeString(src.resolve("batches.meta.txt"), "\nextra", java.nio.file.StandardOpenOption.APPEND);

        assertThat(DatasetResolver.sourceFingerprint(src)).isNotEqualTo(before);
    }
}
