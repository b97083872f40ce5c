package org.bcflow.sim;

import java.nio.file.Path;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Design;

/**
 * Refuses, before anything is built or simulated, what cannot be verified: a design folder whose
 * design.json does not describe its network, images that do not fit the network's input, a count
 * the test set does not have. Each is one line (exit 2), never a stack trace halfway through a run.
 */
final class InputCheck {
    private InputCheck() {
    }

    static void check(Path rtlDir, Design design, Network net, LabeledImages images, int count) {
        if (!net.hash().equals(design.networkHash())) {
            throw new BcflowException(rtlDir + ": the RTL was generated from network " + design.networkHash().substring(0, 12)
                    + " but " + design.networkFile() + " is " + net.hash().substring(0, 12));
        }
        geometry(rtlDir.resolve(Design.FILE), design, net);
        if (images.pixelsPerImage() != net.inputSize()) {
            throw new BcflowException("the images are " + images.shape() + " (" + images.pixelsPerImage()
                    + " values), the network takes " + net.inputSize());
        }
        if (count > images.count()) {
            throw new BcflowException("cannot verify " + count + " images: the test set has " + images.count());
        }
        // the simulator's input file holds each value in 16 bits, in one Java array
        if ((long) count * images.pixelsPerImage() * 2 > Integer.MAX_VALUE) {
            throw new BcflowException("cannot verify " + count + " images of " + images.pixelsPerImage()
                    + " values in one run: at most " + Integer.MAX_VALUE / 2 / images.pixelsPerImage());
        }
        int most = 0;
        byte[] px = images.pixels();
        for (int i = 0; i < count * images.pixelsPerImage(); i++) {
            most = Math.max(most, px[i] & 0xff);
        }
        long limit = (1L << net.inputBits()) - 1;
        if (most > limit) {
            throw new BcflowException("the test images hold values up to " + most + ", but the network's first layer takes "
                    + net.inputBits() + "-bit inputs (0.." + limit + ")");
        }
    }

    /**
     * design.json must describe the network it names: the testbench, the taps and the ROM packing
     * are derived from it. (The hash check covers the network file; this covers an edited design.json.)
     */
    private static void geometry(Path file, Design d, Network net) {
        same(file, "inputs", d.inputs(), net.inputSize());
        same(file, "input bits", d.inputBits(), net.inputBits());
        same(file, "classes", d.classes(), net.classes());
        same(file, "layers", d.layers().size(), net.layers().size());
        if (d.pixelsPerBeat() < 1 || d.inputs() % d.pixelsPerBeat() != 0) {
            throw new BcflowException(file + ": " + d.pixelsPerBeat() + " pixels per beat do not divide the " + d.inputs() + " inputs");
        }
        for (int i = 0; i < net.layers().size(); i++) {
            Design.Layer l = d.layers().get(i);
            String name = net.layer(i).name();
            if (!l.name().equals(name)) {
                throw new BcflowException(file + ": layer " + i + " is " + l.name() + ", the network's is " + name);
            }
            same(file, name + " inputs", l.inputs(), net.layer(i).inputs());
            same(file, name + " outputs", l.outputs(), net.layer(i).outputs());
            same(file, name + " input bits", l.inputBits(), net.layer(i).inputBits());
            same(file, name + " output bits", l.outBits(), net.widths(i).out());
            if (l.pe() < 1 || l.outputs() % l.pe() != 0 || l.simd() < 1 || l.inputs() % l.simd() != 0) {
                throw new BcflowException(file + ": " + name + " PE " + l.pe() + " and SIMD " + l.simd() + " do not divide its "
                        + l.outputs() + " outputs and " + l.inputs() + " inputs");
            }
        }
    }

    private static void same(Path file, String what, long inDesign, long inNetwork) {
        if (inDesign != inNetwork) {
            throw new BcflowException(file + " does not describe its network: " + what + " " + inDesign
                    + ", the network's " + inNetwork);
        }
    }
}
