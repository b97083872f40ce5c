package org.bcflow.cli;

import java.nio.file.Path;

/** The QONNX files the commands read and write. */
final class QonnxOptions {
    static final Opt<Path> QONNX = Opt.computed("qonnx", "FILE", null, (option, text) -> Path.of(text),
            "QONNX model (.onnx): the model import reads, the file export writes");
    static final Opt<Path> IMPORT = Opt.computed("import", "FILE", null, (option, text) -> Path.of(text),
            "a QONNX model (.onnx, e.g. trained in Brevitas) to import in place of training: the flow runs import, rtl,"
                    + " verify (and synth)");

    private QonnxOptions() {
    }
}
