package org.bcflow.core.data;

/** A named data set: its training and test images. */
public record Dataset(String name, LabeledImages train, LabeledImages test) {
}
