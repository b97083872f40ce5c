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
import java.util.zip.ZipException;
import org.bcflow.core.BcflowException;
import org.bcflow.core.FileErrors;

/**
 * Reads IDX files (the MNIST format), plain or gzipped: a big-endian header of two zero bytes,
 * a type byte (0x08 = unsigned byte), a dimension count, the dimensions, then the data.
 *
 * <p>A file is read to its very end: a gzipped file's CRC and length are checked, and bytes beyond
 * the data the header promises are refused, so a damaged file never trains a network quietly.
 */
public final class IdxReader {
    private static final int UBYTE = 0x08;

    private IdxReader() {
    }

    /** Reads an image file (3 dimensions) and its label file (1 dimension) with labels in 0..classes-1. */
    public static LabeledImages read(Path imageFile, Path labelFile, int classes) {
        Array images = readArray(imageFile, 3);
        if (images.dims[1] == 0 || images.dims[2] == 0) {
            throw new BcflowException(imageFile + ": images of " + images.dims[1] + "x" + images.dims[2] + " pixels");
        }
        if (images.dims[0] == 0) {
            throw new BcflowException(imageFile + ": holds no images");
        }
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
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream in = gzip ? openGzip(file, raw) : raw;
            int[] shape = readHeader(file, new DataInputStream(in), expectedDims);
            long size = 1;
            for (int d : shape) {
                size *= d; // checked at every step, so the product cannot wrap around
                if (size > Integer.MAX_VALUE - 8) {
                    throw new BcflowException(file + ": " + dims(shape) + " values is too large");
                }
            }
            byte[] values = new byte[(int) size];
            int got = readUpTo(in, values);
            if (got < values.length) {
                throw new BcflowException(file + ": truncated: header promises " + size + " values, "
                        + (gzip ? "the gzip data holds " : "file holds ") + got);
            }
            long extra = countToEnd(file, in);
            if (extra > 0) {
                throw new BcflowException(file + ": " + extra + (extra == 1 ? " byte" : " bytes") + " after the " + size + " values the header promises");
            }
            return new Array(shape, values);
        } catch (NoSuchFileException e) {
            throw new BcflowException("file not found: " + file);
        } catch (ZipException e) {
            String why = "Corrupt GZIP trailer".equals(e.getMessage()) ? "CRC or length mismatch" : e.getMessage();
            throw new BcflowException(file + ": corrupt gzip data (" + why + ")");
        } catch (IOException e) {
            throw FileErrors.failure("cannot read", file, e);
        }
    }

    private static InputStream openGzip(Path file, InputStream raw) throws IOException {
        try {
            return new GZIPInputStream(raw, 1 << 16);
        } catch (EOFException e) {
            throw new BcflowException(file + ": truncated inside the gzip header");
        }
    }

    private static int[] readHeader(Path file, DataInputStream data, int expectedDims) throws IOException {
        try {
            int magic = data.readInt();
            int type = magic >>> 8;
            int dims = magic & 0xff;
            if (type != UBYTE || dims != expectedDims) {
                throw new BcflowException(file + ": wrong magic number 0x" + String.format("%08x", magic)
                        + " (expected 0x" + String.format("%08x", UBYTE << 8 | expectedDims) + ", an IDX file of unsigned bytes with "
                        + expectedDims + " dimension" + (expectedDims > 1 ? "s" : "") + ")");
            }
            int[] shape = new int[dims];
            for (int d = 0; d < dims; d++) {
                shape[d] = data.readInt();
                if (shape[d] < 0) {
                    throw new BcflowException(file + ": negative dimension " + shape[d]);
                }
            }
            return shape;
        } catch (EOFException e) {
            throw new BcflowException(file + ": truncated inside the header");
        }
    }

    /** Fills {@code values} as far as the stream goes; a gzip stream cut short ends it like the end of a file. */
    private static int readUpTo(InputStream in, byte[] values) throws IOException {
        int got = 0;
        try {
            while (got < values.length) {
                int n = in.read(values, got, values.length - got);
                if (n < 0) {
                    break;
                }
                got += n;
            }
        } catch (EOFException e) {
            // GZIPInputStream says "Unexpected end of ZLIB input stream": what arrived is the count to report
        }
        return got;
    }

    /** Reads to the end (for gzip: through the trailer, which checks the CRC and length); returns the bytes found. */
    private static long countToEnd(Path file, InputStream in) throws IOException {
        long extra = 0;
        byte[] buf = new byte[1 << 16];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                extra += n;
            }
        } catch (EOFException e) {
            throw new BcflowException(file + ": truncated: the gzip data ends before its trailer, so its CRC cannot be checked");
        }
        return extra;
    }

    private static String dims(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int d : shape) {
            sb.append(sb.length() == 0 ? "" : "x").append(d);
        }
        return sb.toString();
    }
}
