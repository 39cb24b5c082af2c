package dev.resnetops.workflows.definition;

import java.util.List;

/** The points a fan-out trains: a full grid, or random samples. */
public sealed interface SearchSpace permits GridSearch, RandomSearch {

    int line();

    /** Every value in the space with the type it must have. */
    List<ValueSite> values();
}
