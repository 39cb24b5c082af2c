package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.ModelVersionView;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlops models promote}: POST /models/{name}/promote. */
@Command(name = "promote", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make a registered model version the champion (default: the current candidate).",
                "Refused for a version whose ONNX export failed the parity gate."})
public final class ModelsPromoteCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "Registered model, e.g. resnetops-fashion-mnist ('mlops models registered').")
    String model;

    @Option(names = "--version", paramLabel = "N", description = "The version to promote (default: the candidate).")
    Integer version;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        ApiClient client = api.writer();
        ApiResponse<ModelVersionView> response = client.promote(model, version);
        if (api.json()) {
            api.printJson(response.json());
        } else {
            ModelVersionView v = response.body();
            api.out().printf(Locale.ROOT, "%s version %d is now champion (test top-1 %s, top-5 %s; job %s)%n", v.model(),
                    v.version(), ModelsRegisteredCommand.percent(v.top1()), ModelsRegisteredCommand.percent(v.top5()),
                    v.jobId());
        }
        api.out().flush();
        return 0;
    }
}
