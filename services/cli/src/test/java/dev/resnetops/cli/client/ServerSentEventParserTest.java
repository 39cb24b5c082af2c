package dev.resnetops.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.contracts.messages.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventParserTest {

    private final ServerSentEventParser parser = new ServerSentEventParser(MessageCodec.mapper());

    private List<ServerSentEvent> feed(String... lines) {
        List<ServerSentEvent> events = new ArrayList<>();
        for (String line : lines) {
            parser.accept(line).ifPresent(events::add);
        }
        return events;
    }

    @Test
    void aBlankLineDispatchesTheNamedEventWithItsJson() {
        List<ServerSentEvent> events = feed("event: job", "data: {\"state\":\"RUNNING\"}", "",
                "event:TrainingProgress", "data:{\"step\":4}", "");

        assertThat(events).extracting(ServerSentEvent::name).containsExactly("job", "TrainingProgress");
        assertThat(events.get(0).data().path("state").asText()).isEqualTo("RUNNING");
        assertThat(events.get(1).data().path("step").asInt()).isEqualTo(4);
    }

    @Test
    void dataLinesAreJoinedCommentsAndOtherFieldsIgnoredAndTheNameResetAfterEachEvent() {
        List<ServerSentEvent> events = feed(": keep-alive", "id: 7", "retry: 1000", "event: job", "data: {\"a\":",
                "data: 1}", "", "", "data: {\"b\":2}", "");

        assertThat(events).hasSize(2);
        assertThat(events.get(0).data().path("a").asInt()).isEqualTo(1);
        assertThat(events.get(1).name()).isEqualTo("message");
    }

    @Test
    void dataThatIsNotJsonIsRefusedByTheEventsName() {
        feed("event: job", "data: not json");

        assertThatThrownBy(() -> parser.accept("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event 'job' carries data that is not JSON");
    }
}
