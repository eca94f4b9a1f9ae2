package io.shardprop.job.config;

import java.util.Locale;

/** One of an option's named values: its id, what users type and model.json records, is the name in lower case. */
public interface OptionValue {

    /** The enum constant's name. */
    String name();

    /** The option's value as users write it. */
    default String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
