package dev.resnetops.orchestrator.service;

import dev.resnetops.contracts.api.ModelVersionView;
import dev.resnetops.contracts.messages.ModelAliasMoved;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.orchestrator.repository.ModelRepository;
import dev.resnetops.store.models.ModelAliasRule;
import dev.resnetops.store.models.ModelStore;
import dev.resnetops.tracking.MlflowAccessDeniedException;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.MlflowException;
import dev.resnetops.tracking.MlflowUnavailableException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The model registry as users act on it: listing versions and promoting one to {@code champion}. The
 * alias moves in MLflow (where users compare) and in PostgreSQL (where the platform reads), and a
 * ModelAliasMoved event tells inference servers to switch.
 */
@ApplicationScoped
public class ModelService {

    public static final String CHAMPION = ModelAliasRule.CHAMPION;
    public static final String CANDIDATE = ModelAliasRule.CANDIDATE;

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    private final ModelRepository models;
    private final ModelStore store;
    private final OutboxWriter outbox;
    private final MlflowClient mlflow;

    ModelService(ModelRepository models, ModelStore store, OutboxWriter outbox, MlflowClient mlflow) {
        this.models = models;
        this.store = store;
        this.outbox = outbox;
        this.mlflow = mlflow;
    }

    public List<ModelVersionView> versions(Optional<String> model) {
        List<ModelVersionView> versions = models.list(model);
        if (model.isPresent() && versions.isEmpty()) {
            throw RequestRefused.notFound("no registered model '" + model.get() + "' (GET /models lists them)");
        }
        return versions;
    }

    /**
     * Makes {@code version} (default: the candidate) the champion. Refuses a version whose ONNX export
     * failed the parity gate: it would serve predictions that differ from the model that was evaluated.
     */
    public ModelVersionView promote(String model, Integer version) {
        return promote(model, version, CHAMPION);
    }

    /**
     * Moves {@code alias} to {@code version} (default: the candidate). The database part joins the
     * caller's transaction when there is one (a workflow's promote step, which commits it together with
     * the step's success); MLflow is moved first, and moving it again to the same version is harmless.
     */
    public ModelVersionView promote(String model, Integer version, String alias) {
        ModelVersionView target = (version == null
                ? models.byAlias(model, CANDIDATE)
                : models.find(model, version))
                .orElseThrow(() -> RequestRefused.notFound(version == null
                        ? "registered model '" + model + "' has no candidate version (GET /models/" + model + ")"
                        : "registered model '" + model + "' has no version " + version));
        if (!target.parityPassed()) {
            throw RequestRefused.conflict("version " + target.version() + " of '" + model + "' failed the ONNX parity"
                    + " gate (" + target.parityReport() + "); it cannot become " + alias + ". Retrain or re-export it.");
        }
        try {
            mlflow.setAlias(model, alias, String.valueOf(target.version()));
        } catch (MlflowUnavailableException e) {
            throw RequestRefused.unavailable("MLflow is unreachable, so " + alias + " was not moved (nothing changed);"
                    + " try again when it is back: " + e.getMessage());
        } catch (MlflowAccessDeniedException e) {
            // Not the caller's request: the orchestrator's MLflow account, which an operator fixes.
            throw RequestRefused.unavailable("MLflow refused the orchestrator's account, so " + alias
                    + " was not moved (nothing changed): " + e.getMessage());
        } catch (MlflowException e) {
            throw RequestRefused.conflict("MLflow refused to move the alias: " + e.getMessage());
        }
        QuarkusTransaction.joiningExisting().run(() -> {
            store.moveAlias(model, alias, target.version());
            outbox.append(ModelAliasMoved.of(model, alias, target.version(), target.jobId(), target.onnxLocation(),
                    target.onnxSha256()));
        });
        LOG.infof("%s version %d is now %s (top-1 %s)", model, target.version(), alias, target.top1());
        return models.find(model, target.version()).orElseThrow();
    }
}
