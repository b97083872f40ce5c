package org.bcflow.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.bcflow.sim.VerifyReport;
import org.bcflow.synth.FitSearch;
import org.bcflow.synth.SynthReport;

/**
 * {@code report.json}: what {@code flow} did (schema: docs/schemas/report.schema.json).
 *
 * @param fit     the --fit search's result, absent without --fit
 * @param synth   synth.json's content, absent without --synth
 * @param asic    asic.json's content, absent without --asic
 * @param seconds wall time of each stage, in the order the stages ran
 * @param imported with --import: what the model's nodes became and its check against the network
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FlowReport(String dataset, int testImages, String network, String networkHash, Accuracy accuracy,
        VerifyReport verify, Reports.DesignSummary design, FitSearch.Report fit, SynthReport.Document synth, JsonNode asic,
        JsonNode seconds, @JsonProperty("import") ImportReport imported) {

    /**
     * Test-set accuracy of the float binary-weight model (with --import: the QONNX model run in
     * double) and of the integer network.
     */
    record Accuracy(@JsonProperty("float") double floatModel, @JsonProperty("integer") double integerNetwork) {
    }
}
