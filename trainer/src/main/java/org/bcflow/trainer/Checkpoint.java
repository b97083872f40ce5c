package org.bcflow.trainer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.bcflow.core.BitWidth;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.Architecture;
import org.bcflow.core.BcflowException;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.data.LabeledImages;

/**
 * The training checkpoint file, written atomically after every epoch.
 *
 * <p>Format (DataOutputStream, big-endian; a float array is an int length then its floats):
 * <pre>
 *   8 bytes  magic "BCCKPT01"
 *   int      format version (4; version 3, the same without the architecture, is still read)
 *   -- the run it belongs to; resuming requires all of it to match
 *   int n, n ints   layer sizes: inputs, hidden sizes, classes (an MLP); for a net with
 *                   convolutions, per weight layer its inputs and outputs (k*k*C and channels for conv)
 *   UTF      "" for an MLP, else the input shape and architecture, e.g. "1x28x28 32C3-MP2-10"
 *   int      epochs          int batch size       long seed
 *   double   lrStart         double lrEnd         int trainLimit      boolean validation
 *   UTF      the method options, as TrainConfig.Method.key() writes them
 *   int      training images used (validation images included)
 *   long     CRC32 of those images' pixels and labels
 *   -- progress
 *   int      epochs done     long Adam steps done
 *   int      best epoch (1-based)                 double its validation error (NaN without validation)
 *   -- training state, per layer 11 float arrays:
 *            W, gamma, beta, running mean, running var, Adam m and v of W, of gamma, of beta
 *   -- best model so far: boolean binary, int activation bits, then per layer 5 float arrays:
 *            W, gamma, beta, running mean, running var
 *   -- history: int epochs, per epoch int epoch and 7 doubles: loss, train, validation and test
 *            error, learning rate, seconds, images per second
 *   long     CRC32 of every byte before it
 * </pre>
 * Writing and resuming are done by {@link Trainer}; {@link #readModel} gives the model of a
 * checkpoint (for export).
 */
public final class Checkpoint {
    static final byte[] MAGIC = "BCCKPT01".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 4;
    private static final int OLDEST_READ = 3;

    private Checkpoint() {
    }

    /** What a checkpoint must agree with to be resumed. */
    record Run(int[] sizes, String arch, TrainConfig config, int images, long dataCrc) {
        static Run of(int[] sizes, TrainConfig config, LabeledImages images) {
            return of(sizes, "", config, images);
        }

        /** @param arch "" for an MLP (sizes: the chain), else {@link #archText} (sizes: inputs and outputs per weight layer) */
        static Run of(int[] sizes, String arch, TrainConfig config, LabeledImages images) {
            CRC32 crc = new CRC32();
            crc.update(images.pixels());
            crc.update(images.labels());
            return new Run(sizes, arch, config, images.count(), crc.getValue());
        }
    }

    /** How a checkpoint names a convolutional model's shape: {@code 1x28x28 32C3-MP2-10}. */
    static String archText(FeatureMap input, Architecture arch) {
        return input + " " + arch;
    }

    /** The progress of a run after some epoch. */
    record Progress(int epochsDone, long adamSteps, float[][] state, FloatModel best, int bestEpoch,
                    double bestValidationError, List<Trainer.EpochStats> history) {
    }

    static void write(Path file, Run run, Progress p) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(VERSION);
            TrainConfig c = run.config();
            out.writeInt(run.sizes().length);
            for (int s : run.sizes()) {
                out.writeInt(s);
            }
            out.writeUTF(run.arch());
            out.writeInt(c.epochs());
            out.writeInt(c.batchSize());
            out.writeLong(c.seed());
            out.writeDouble(c.lrStart());
            out.writeDouble(c.lrEnd());
            out.writeInt(c.trainLimit());
            out.writeBoolean(c.validation());
            out.writeUTF(c.method().key());
            out.writeInt(run.images());
            out.writeLong(run.dataCrc());
            out.writeInt(p.epochsDone());
            out.writeLong(p.adamSteps());
            out.writeInt(p.bestEpoch());
            out.writeDouble(p.bestValidationError());
            for (float[] a : p.state()) {
                writeFloats(out, a);
            }
            out.writeBoolean(p.best().binary());
            out.writeInt(p.best().activationBits());
            for (FloatLayer l : p.best().layers()) {
                for (float[] a : new float[][] {l.weights(), l.gamma(), l.beta(), l.runningMean(), l.runningVar()}) {
                    writeFloats(out, a);
                }
            }
            out.writeInt(p.history().size());
            for (Trainer.EpochStats e : p.history()) {
                out.writeInt(e.epoch());
                for (double d : new double[] {e.loss(), e.trainError(), e.validationError(), e.testError(),
                        e.learningRate(), e.seconds(), e.imagesPerSecond()}) {
                    out.writeDouble(d);
                }
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            AtomicFiles.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
    }

    /**
     * The best model so far (the one {@link Trainer#train} returns once the run is complete) from a
     * checkpoint file.
     *
     * @throws BcflowException naming the file if it is missing, unreadable or corrupt
     */
    public static FloatModel readModel(Path file) {
        return parse(file).progress().best();
    }

    /** The progress stored in a checkpoint file, whatever run it belongs to. */
    static Progress readProgress(Path file) {
        return parse(file).progress();
    }

    /** Reads a checkpoint of {@code run}; refuses a corrupt file or one of another run with a one-line BcflowException. */
    static Progress read(Path file, Run run) {
        Contents f = parse(file);
        TrainConfig c = run.config();
        mustMatch(file, "architecture", f.arch().isEmpty() ? "MLP" : f.arch(), run.arch().isEmpty() ? "MLP" : run.arch());
        mustMatch(file, "layer sizes", join(f.sizes()), join(run.sizes()));
        mustMatch(file, "batch size", f.batch(), c.batchSize());
        mustMatch(file, "seed", f.seed(), c.seed());
        mustMatch(file, "epochs", f.epochs(), c.epochs());
        mustMatch(file, "learning rates", f.lrStart() + " -> " + f.lrEnd(), c.lrStart() + " -> " + c.lrEnd());
        mustMatch(file, "train limit", f.trainLimit(), c.trainLimit());
        mustMatch(file, "validation", f.validation(), c.validation());
        mustMatch(file, "method", f.method(), c.method().key());
        mustMatch(file, "training images", f.images(), run.images());
        mustMatch(file, "training data checksum", Long.toHexString(f.dataCrc()), Long.toHexString(run.dataCrc()));
        return f.progress();
    }

    /** Everything a checkpoint file holds. */
    private record Contents(int[] sizes, String arch, int epochs, int batch, long seed, double lrStart, double lrEnd, int trainLimit,
                            boolean validation, String method, int images, long dataCrc, Progress progress) {
    }

    private static Contents parse(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BcflowException("checkpoint " + file + " not found");
        } catch (IOException e) {
            throw new BcflowException("cannot read checkpoint " + file + ": " + e.getMessage());
        }
        if (b.length < MAGIC.length || !Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new BcflowException("checkpoint " + file + " is not a bcflow checkpoint (bad magic)");
        }
        if (b.length < MAGIC.length + 4 + 8) {
            throw new BcflowException("checkpoint " + file + " is corrupt (truncated to " + b.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 8);
        long stored = java.nio.ByteBuffer.wrap(b, b.length - 8, 8).getLong();
        if (crc.getValue() != stored) {
            throw new BcflowException("checkpoint " + file + " is corrupt (checksum mismatch, truncated or damaged)");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(b, MAGIC.length, b.length - 8 - MAGIC.length));
            int version = in.readInt();
            if (version < OLDEST_READ || version > VERSION) {
                throw new BcflowException("checkpoint " + file + " has format version " + version
                        + ", this bcflow reads versions " + OLDEST_READ + " to " + VERSION);
            }
            int[] sizes = new int[in.readInt()];
            if (sizes.length < 2 || sizes.length > 1000) {
                throw new BcflowException("checkpoint " + file + " is corrupt (" + sizes.length + " layer sizes)");
            }
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = in.readInt();
                if (sizes[i] < 1) {
                    throw new BcflowException("checkpoint " + file + " is corrupt (layer size " + sizes[i] + ")");
                }
            }
            String arch = version >= 4 ? in.readUTF() : "";
            FeatureMap input = null;
            Architecture architecture = null;
            if (!arch.isEmpty()) {
                String[] parts = arch.split(" ", 2);
                try {
                    String[] chw = parts[0].split("x");
                    input = new FeatureMap(Integer.parseInt(chw[0]), Integer.parseInt(chw[1]), Integer.parseInt(chw[2]));
                    architecture = Architecture.parse(parts[1]);
                } catch (RuntimeException e) {
                    throw new BcflowException("checkpoint " + file + " is corrupt (architecture '" + arch + "')");
                }
                if (sizes.length % 2 != 0) {
                    throw new BcflowException("checkpoint " + file + " is corrupt (" + sizes.length + " layer sizes)");
                }
            }
            // per weight layer: inputs at dims[2l], outputs at dims[2l + 1]
            int[] dims = arch.isEmpty() ? chainDims(sizes) : sizes;
            int epochs = in.readInt();
            int batch = in.readInt();
            long seed = in.readLong();
            double lrStart = in.readDouble();
            double lrEnd = in.readDouble();
            int trainLimit = in.readInt();
            boolean validation = in.readBoolean();
            String method = in.readUTF();
            int images = in.readInt();
            long dataCrc = in.readLong();
            int epochsDone = in.readInt();
            long adamSteps = in.readLong();
            int bestEpoch = in.readInt();
            double bestError = in.readDouble();
            if (epochsDone < 1 || epochsDone > epochs || adamSteps < 0 || bestEpoch < 1 || bestEpoch > epochsDone) {
                throw new BcflowException("checkpoint " + file + " is corrupt (inconsistent progress fields)");
            }
            int layers = dims.length / 2;
            float[][] state = new float[layers * BinaryMlp.STATE_ARRAYS][];
            for (int l = 0; l < layers; l++) {
                int w = dims[2 * l] * dims[2 * l + 1];
                int n = dims[2 * l + 1];
                int[] lengths = {w, n, n, n, n, w, w, n, n, n, n};
                for (int k = 0; k < lengths.length; k++) {
                    state[l * BinaryMlp.STATE_ARRAYS + k] = readFloats(in, lengths[k], file);
                }
            }
            boolean binary = in.readBoolean();
            int activationBits = in.readInt();
            if (activationBits != 0 && !BitWidth.valid(activationBits)) {
                throw new BcflowException("checkpoint " + file + " is corrupt (activation bits " + activationBits + ")");
            }
            List<FloatLayer> best = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                int w = dims[2 * l] * dims[2 * l + 1];
                int n = dims[2 * l + 1];
                best.add(new FloatLayer(dims[2 * l], n, readFloats(in, w, file), readFloats(in, n, file),
                        readFloats(in, n, file), readFloats(in, n, file), readFloats(in, n, file), BinaryMlp.BN_EPS));
            }
            int epochsInHistory = in.readInt();
            if (epochsInHistory != epochsDone) {
                throw new BcflowException("checkpoint " + file + " is corrupt (history of " + epochsInHistory
                        + " epochs after " + epochsDone + ")");
            }
            List<Trainer.EpochStats> history = new ArrayList<>();
            for (int e = 0; e < epochsInHistory; e++) {
                history.add(new Trainer.EpochStats(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()));
            }
            if (in.available() != 0) {
                throw new BcflowException("checkpoint " + file + " is corrupt (" + in.available() + " unexpected bytes)");
            }
            FloatModel model;
            try {
                model = arch.isEmpty() ? new FloatModel(best, binary, activationBits)
                        : new FloatModel(best, binary, activationBits, architecture, input);
            } catch (IllegalArgumentException e) {
                throw new BcflowException("checkpoint " + file + " is corrupt (" + e.getMessage() + ")");
            }
            Progress p = new Progress(epochsDone, adamSteps, state, model, bestEpoch, bestError, history);
            return new Contents(sizes, arch, epochs, batch, seed, lrStart, lrEnd, trainLimit, validation, method, images,
                    dataCrc, p);
        } catch (EOFException e) {
            throw new BcflowException("checkpoint " + file + " is corrupt (ends early)");
        } catch (IOException e) {
            throw new BcflowException("cannot read checkpoint " + file + ": " + e.getMessage());
        }
    }

    /** The inputs and outputs of each layer of an MLP of these sizes. */
    private static int[] chainDims(int[] sizes) {
        int[] dims = new int[2 * (sizes.length - 1)];
        for (int l = 0; l + 1 < sizes.length; l++) {
            dims[2 * l] = sizes[l];
            dims[2 * l + 1] = sizes[l + 1];
        }
        return dims;
    }

    private static void mustMatch(Path file, String what, Object inFile, Object now) {
        if (!inFile.equals(now)) {
            throw new BcflowException("checkpoint " + file + " belongs to another run (" + what + " " + inFile
                    + " there, " + now + " here): start afresh without --resume (with --force if it is an interrupted run)");
        }
    }

    private static String join(int[] v) {
        return Arrays.toString(v).replace(", ", "-").replace("[", "").replace("]", "");
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        byte[] buf = new byte[a.length * 4];
        java.nio.ByteBuffer.wrap(buf).asFloatBuffer().put(a);
        out.write(buf);
    }

    private static float[] readFloats(DataInputStream in, int expected, Path file) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw new BcflowException("checkpoint " + file + " is corrupt (array of " + n + " values where "
                    + expected + " belong)");
        }
        byte[] buf = new byte[n * 4];
        in.readFully(buf);
        float[] a = new float[n];
        java.nio.ByteBuffer.wrap(buf).asFloatBuffer().get(a);
        return a;
    }
}
