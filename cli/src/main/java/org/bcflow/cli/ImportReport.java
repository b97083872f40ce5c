package org.bcflow.cli;

import java.util.List;
import org.bcflow.qonnx.importer.ImportCheck;
import org.bcflow.qonnx.importer.ImportedNetwork;

/**
 * {@code import.json}, and the {@code import} object of a flow's report: what each node of the
 * model became and the check of the model, run in double, against the integer network.
 *
 * @param source     the model file
 * @param steps      one line per stage: the nodes and what they became
 * @param images     test images compared
 * @param modelAccuracy   the model's test accuracy (its class: the first largest score)
 * @param networkAccuracy the integer network's
 * @param classDisagreements  images whose classes differ (must be 0)
 * @param activationsCompared quantized values compared (input codes, each hidden layer's and pool's codes)
 * @param activationDisagreements those that differ (must be 0)
 * @param firstDisagreement   null, or where the first difference is
 */
record ImportReport(String source, List<String> steps, int images, double modelAccuracy, double networkAccuracy,
        int classDisagreements, long activationsCompared, long activationDisagreements, String firstDisagreement) {

    static ImportReport of(String source, ImportedNetwork imported, ImportCheck.Result r) {
        return new ImportReport(source, imported.steps(), r.images(), r.modelAccuracy(), r.networkAccuracy(), r.classDisagreements(),
                r.activationsCompared(), r.activationDisagreements(), r.firstDisagreement());
    }

    /** The one line that says the check failed, or null. */
    String failure() {
        if (classDisagreements == 0 && activationDisagreements == 0) {
            return null;
        }
        return "the imported network disagrees with the model on " + classDisagreements + " of " + images + " classes and "
                + activationDisagreements + " of " + activationsCompared + " activations; first: " + firstDisagreement;
    }
}
