package dev.resnetops.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.stream.PredictedLabel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyTallyTest {

    static List<PredictedLabel> top(String... labels) {
        List<PredictedLabel> top = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            top.add(new PredictedLabel(i, labels[i], 1.0 / (i + 2)));
        }
        return top;
    }

    @Test
    void countsTop1AndTop5ByClassName() {
        AccuracyTally tally = new AccuracyTally();
        tally.add("Sneaker", top("Sneaker", "Sandal", "Bag", "Coat", "Shirt"));     // top-1 and top-5
        tally.add("Bag", top("Sneaker", "Sandal", "Bag", "Coat", "Shirt"));         // top-5 only
        tally.add("Trouser", top("Sneaker", "Sandal", "Bag", "Coat", "Shirt"));     // neither
        tally.add("Dress", top("Sneaker", "Sandal", "Bag", "Coat", "Shirt", "Dress")); // 6th: not top-5
        assertThat(tally.labelled()).isEqualTo(4);
        assertThat(tally.top1()).isEqualTo(0.25);
        assertThat(tally.top5()).isEqualTo(0.5);
    }

    @Test
    void ignoresCaseAndSurroundingBlanksOfFolderNames() {
        AccuracyTally tally = new AccuracyTally();
        tally.add(" ankle BOOT", top("Ankle boot"));
        assertThat(tally.top1()).isEqualTo(1.0);
    }

    @Test
    void imagesWithoutATrueLabelDoNotCount() {
        AccuracyTally tally = new AccuracyTally();
        tally.add(null, top("Sneaker"));
        assertThat(tally.labelled()).isZero();
        assertThat(tally.top1()).isNaN();
        assertThat(tally.top5()).isNaN();
    }

    @Test
    void aShortTopListCountsOnlyWhatItLists() {
        AccuracyTally tally = new AccuracyTally();
        tally.add("Bag", top("Sneaker", "Bag"));
        tally.add("Coat", top("Sneaker", "Bag"));
        assertThat(tally.top1()).isZero();
        assertThat(tally.top5()).isEqualTo(0.5);
    }
}
