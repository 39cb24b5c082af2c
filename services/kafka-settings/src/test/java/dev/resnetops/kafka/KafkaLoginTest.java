package dev.resnetops.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class KafkaLoginTest {

    @Test
    @SuppressWarnings("unchecked")
    void aPasswordWithQuotesAndBackslashesReachesTheLoginModuleUnchanged() {
        String password = "a\"b\\c;d e=f";
        Map<String, String> p = KafkaLogin.scram("stream-client", password).clientProperties();

        // Parsed by Kafka's own JAAS reader, as a client does.
        JaasContext context = JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG,
                new Password(p.get(SaslConfigs.SASL_JAAS_CONFIG))));
        Map<String, Object> options = (Map<String, Object>) context.configurationEntries().get(0).getOptions();

        assertThat(options).containsEntry("username", "stream-client").containsEntry("password", password);
        assertThat(p).containsEntry("security.protocol", SecurityProtocol.SASL_PLAINTEXT.name)
                .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
    }

    @Test
    void aUserWithoutPasswordIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> KafkaLogin.of(Optional.empty(), "SCRAM-SHA-512", Optional.of("trainer"),
                Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MLOPS_KAFKA_PASSWORD");
    }

    @Test
    void saslWithoutAUserIsRefusedNamingTheVariables() {
        assertThatThrownBy(() -> KafkaLogin.of(Optional.of("SASL_PLAINTEXT"), "SCRAM-SHA-512", Optional.empty(),
                Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MLOPS_KAFKA_USER");
    }

    @Test
    void theLoginLineIsNeverInToString() {
        assertThat(KafkaLogin.scram("admin", "hunter2").toString()).doesNotContain("hunter2");
    }
}
