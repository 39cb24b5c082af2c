package dev.resnetops.contracts.stream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.resnetops.contracts.messages.MalformedMessageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** JSON form of a {@link Prediction}; reading throws only {@link MalformedMessageException}, naming the problem. */
public final class PredictionCodec {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PredictionCodec() {
    }

    public static byte[] toJson(Prediction prediction) {
        try {
            return JSON.writeValueAsBytes(prediction);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write a prediction as JSON", e);
        }
    }

    public static Prediction fromJson(byte[] json) {
        if (json == null || json.length == 0) {
            throw new MalformedMessageException("empty prediction record");
        }
        Prediction prediction;
        try {
            prediction = JSON.readValue(json, Prediction.class);
        } catch (IOException e) {
            String problem = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
            throw new MalformedMessageException("not a prediction: " + problem + " in "
                    + new String(json, 0, Math.min(json.length, 200), StandardCharsets.UTF_8));
        }
        if (prediction.schemaVersion() > Prediction.SCHEMA_VERSION) {
            throw new MalformedMessageException("prediction schema version " + prediction.schemaVersion()
                    + " is newer than this reader's " + Prediction.SCHEMA_VERSION);
        }
        if (prediction.requestId() == null || prediction.model() == null || prediction.top().isEmpty()) {
            throw new MalformedMessageException("prediction without requestId, model or labels");
        }
        return prediction;
    }
}
