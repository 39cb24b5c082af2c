package dev.resnetops.trainer.service;

import dev.resnetops.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** This worker's name: in leases, job histories and MLflow tags. */
@ApplicationScoped
public class WorkerIdentity {

    private final String id;
    private final String host;

    WorkerIdentity(TrainerConfig config) {
        this.host = hostName();
        this.id = config.workerId().filter(s -> !s.isBlank()).orElse(host + "-" + ProcessHandle.current().pid());
    }

    public String id() {
        return id;
    }

    public String host() {
        return host;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
