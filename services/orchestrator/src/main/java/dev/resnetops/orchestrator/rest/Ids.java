package dev.resnetops.orchestrator.rest;

import dev.resnetops.orchestrator.service.RequestRefused;
import java.util.UUID;

/** Path ids: a malformed one is simply an id that does not exist (404), named in the message. */
final class Ids {

    private Ids() {
    }

    static UUID parse(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw RequestRefused.notFound("no " + what + " '" + id + "' (ids are UUIDs)");
        }
    }
}
