package dev.resnetops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndNumbersAlignRight() {
        StringWriter text = new StringWriter();
        TextTable.withColumns("name", "count", "note").alignRight("count")
                .row("fashion", "60,000", "ok")
                .row("a", 7, null)
                .print(new PrintWriter(text));

        assertThat(text.toString().split("\n")).containsExactly(
                "name      count  note",
                "fashion  60,000  ok",
                "a             7  -");
    }

    @Test
    void aRowOfTheWrongWidthIsABug() {
        assertThatThrownBy(() -> TextTable.withColumns("a", "b").row("only one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 2 cells, got 1");
    }
}
