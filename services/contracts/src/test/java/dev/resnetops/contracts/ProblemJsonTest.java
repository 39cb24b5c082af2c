package dev.resnetops.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.contracts.api.Problem;
import dev.resnetops.contracts.messages.MessageCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemJsonTest {

    private final ObjectMapper json = MessageCodec.mapper();

    @Test
    void aProblemWithoutARuleKeepsItsTwoFields() throws Exception {
        assertThat(json.writeValueAsString(new Problem("dataset", "required")))
                .isEqualTo("{\"field\":\"dataset\",\"message\":\"required\"}");
    }

    @Test
    void ruleAndFoundValueRoundTripTyped() throws Exception {
        Problem epochs = new Problem("config.epochs", "must be in [1, 10000], found 0", "OUT_OF_RANGE",
                JsonNodeFactory.instance.numberNode(0));
        Problem schedule = new Problem("config.schedule", "must be 'cosine' or 'step', found null", "REQUIRED",
                NullNode.getInstance());
        String body = json.writeValueAsString(new ApiError(400, "Bad Request", "invalid", List.of(epochs, schedule)));

        assertThat(body).contains("{\"field\":\"config.epochs\",\"message\":\"must be in [1, 10000], found 0\","
                + "\"rule\":\"OUT_OF_RANGE\",\"found\":0}", "\"found\":null");
        assertThat(json.readValue(body, ApiError.class).problems()).containsExactly(epochs, schedule);
    }

    @Test
    void anOlderBodyWithoutRuleReads() throws Exception {
        assertThat(json.readValue("{\"field\":\"source\",\"message\":\"does not exist\"}", Problem.class))
                .isEqualTo(new Problem("source", "does not exist"));
    }
}
