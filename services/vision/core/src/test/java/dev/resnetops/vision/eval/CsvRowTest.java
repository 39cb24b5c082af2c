package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRowTest {

    @Test
    void plainFieldsAreJoinedUnquoted() {
        assertThat(CsvRow.format(List.of("0", "T-shirt/top", "Ankle boot"))).isEqualTo("0,T-shirt/top,Ankle boot\n");
    }

    @Test
    void fieldsWithCommasQuotesOrLineBreaksAreQuotedAndQuotesDoubled() {
        assertThat(CsvRow.escape("bag, leather")).isEqualTo("\"bag, leather\"");
        assertThat(CsvRow.escape("12\" record")).isEqualTo("\"12\"\" record\"");
        assertThat(CsvRow.escape("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CsvRow.escape("")).isEmpty();
    }
}
