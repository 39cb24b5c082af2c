package dev.resnetops.orchestrator.rest;

import dev.resnetops.orchestrator.service.RequestRefused;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The {@code ?state=} filter of a listing: any case, blank means no filter, an unknown one is a 400 naming the choices. */
final class StateFilter {

    private StateFilter() {
    }

    static <E extends Enum<E>> Optional<E> parse(String state, Class<E> states) {
        if (state == null || state.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Enum.valueOf(states, state.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw RequestRefused.invalid("state", "unknown state '" + state + "'; one of "
                    + Arrays.toString(states.getEnumConstants()));
        }
    }
}
