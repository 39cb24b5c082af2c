package dev.resnetops.trainer.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The git commit this build was made from, for MLflow's {@code mlflow.source.git.commit} tag. Read from
 * {@code git.properties}, written at build time; "unknown" when built outside a git checkout.
 */
@ApplicationScoped
public class CodeVersion {

    private final String commit;

    CodeVersion() {
        String found = "unknown";
        try (InputStream in = CodeVersion.class.getResourceAsStream("/git.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                found = p.getProperty("git.commit.id", found);
                if ("true".equals(p.getProperty("git.dirty"))) {
                    found += "-dirty";
                }
            }
        } catch (IOException e) {
            // keep "unknown"
        }
        this.commit = found;
    }

    public String commit() {
        return commit;
    }
}
