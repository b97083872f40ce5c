package org.bcflow.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.bcflow.core.BcflowException;

/**
 * Reads IDX files (the MNIST format), plain or gzipped: a big-endian header of two zero bytes,
 * a type byte (0x08 = unsigned byte), a dimension count, the dimensions, then the data.
 */
public final class IdxReader {
    private static final int UBYTE = 0x08;

    private IdxReader() {
    }

    /** Reads an image file (3 dimensions) and its label file (1 dimension) with labels in 0..classes-1. */
    public static LabeledImages read(Path imageFile, Path labelFile, int classes) {
        Array images = readArray(imageFile, 3);
        Array labels = readArray(labelFile, 1);
        if (images.dims[0] != labels.dims[0]) {
            throw new BcflowException(imageFile + " holds " + images.dims[0] + " images but " + labelFile + " holds "
                    + labels.dims[0] + " labels");
        }
        for (int i = 0; i < labels.data.length; i++) {
            int l = labels.data[i] & 0xff;
            if (l >= classes) {
                throw new BcflowException(labelFile + ": label " + i + " is " + l + ", outside 0.." + (classes - 1));
            }
        }
        return new LabeledImages(images.dims[0], images.dims[1], images.dims[2], images.data, labels.data, classes);
    }

    private record Array(int[] dims, byte[] data) {
    }

    private static Array readArray(Path file, int expectedDims) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            DataInputStream data = new DataInputStream(in);
            int magic = data.readInt();
            int type = magic >>> 8;
            int dims = magic & 0xff;
            if (type != UBYTE || dims != expectedDims) {
                throw new BcflowException(file + ": wrong magic number 0x" + String.format("%08x", magic)
                        + " (expected 0x" + String.format("%08x", UBYTE << 8 | expectedDims) + ", an IDX file of unsigned bytes with "
                        + expectedDims + " dimension" + (expectedDims > 1 ? "s" : "") + ")");
            }
            int[] shape = new int[dims];
            long size = 1;
            for (int d = 0; d < dims; d++) {
                shape[d] = data.readInt();
                if (shape[d] < 0) {
                    throw new BcflowException(file + ": negative dimension " + shape[d]);
                }
                size *= shape[d];
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new BcflowException(file + ": " + size + " values is too large");
            }
            byte[] values = new byte[(int) size];
            int got = data.readNBytes(values, 0, values.length);
            if (got < values.length) {
                throw new BcflowException(file + ": truncated: header promises " + size + " values, file holds " + got);
            }
            return new Array(shape, values);
        } catch (NoSuchFileException e) {
            throw new BcflowException("file not found: " + file);
        } catch (EOFException e) {
            throw new BcflowException(file + ": truncated inside the header");
        } catch (IOException e) {
            throw new BcflowException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
