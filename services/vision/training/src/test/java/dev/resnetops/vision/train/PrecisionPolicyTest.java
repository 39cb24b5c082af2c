package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.resnetops.vision.config.Precision;
import org.junit.jupiter.api.Test;

class PrecisionPolicyTest {

    @Test
    void bf16IsRefusedWithAClearMessageBeforeAnythingNativeRuns() {
        assertThatThrownBy(() -> PrecisionPolicy.resolve(Precision.BF16, Device.cpu()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bf16 is not supported")
                .hasMessageContaining("fp16");
    }

    @Test
    void autoMeansFp32OnCpuAndSaysWhy() {
        PrecisionPolicy.Decision decision = PrecisionPolicy.resolve(Precision.AUTO, Device.cpu());
        assertThat(decision.computeType()).isEqualTo(DataType.FLOAT32);
        assertThat(decision.reason()).contains("CPU").contains("slower");
    }

    @Test
    void autoMeansFp16MixedPrecisionOnGpu() {
        PrecisionPolicy.Decision decision = PrecisionPolicy.resolve(Precision.AUTO, Device.gpu());
        assertThat(decision.mixed()).isTrue();
        assertThat(decision.key()).isEqualTo("fp16-mixed");
    }
}
