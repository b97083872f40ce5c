package org.bcflow.rtlgen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The cycle model of a design whose layers stream feature maps (a conv network): the handshakes
 * of every unit of the hand-written RTL, mirrored register by register and stepped cycle by cycle,
 * together with the testbench's input and output streams (its seeded gaps and stalls included).
 * A stream of pixels through line buffers, queues and width converters has no one-line formula
 * that stays exact at image borders and under backpressure; this model is exact by construction,
 * and every Verilator run holds the design to it cycle for cycle (sim's CycleCheck).
 *
 * <p>Each cycle: valid signals are worked out from the input end (some units pass their input's
 * valid straight through), ready signals from the output end, then every unit takes its clock
 * edge with the handshakes that fired. A unit's comment names the RTL it mirrors.
 */
public final class StreamModel {

    /** One hand-written unit, as its handshakes see it. */
    interface Unit {
        /** out_valid in this cycle, given in_valid. */
        boolean outValid(boolean inValid);

        /** in_ready in this cycle, given out_ready. */
        boolean inReady(boolean outReady);

        /** The clock edge at the end of cycle {@code now}. */
        void clock(long now, boolean inFire, boolean outFire);
    }

    /** What the model predicts for one run: per image, the cycle of its first input beat and of its output. */
    public record Run(long[] inCycles, long[] outCycles, long totalCycles) {
    }

    private final Design design;

    private StreamModel(Design design) {
        this.design = design;
    }

    /** The model of a generated design (with conv layers: {@link Design.Layer#conv}). */
    public static StreamModel of(Design design) {
        return new StreamModel(design);
    }

    /** The design's units in stream order, in their state after reset. */
    private List<Unit> units() {
        List<Unit> units = new ArrayList<>();
        units.add(new Pass());  // bc_input with one pixel per beat
        Design.Layer before = null;
        for (Design.Layer l : design.layers()) {
            Design.Conv c = l.conv();
            if (c != null && c.buffered()) {
                units.add(Converter.of(c.inChannels(), l.simd()));
                units.add(new BufferedWindow(c, l.simd()));
                units.add(new Dense(l.nf() * l.sf(), l.simd(), true, l.sf()));
                if (c.poolSize() > 0) {
                    units.add(new Pool(c.outHeight(), c.outWidth(), c.poolSize()));
                }
            } else if (c != null) {
                units.add(new Window(c.inHeight(), c.inWidth(), c.k(), c.pad()));
                units.add(new Dense(l.nf() * l.sf(), l.simd(), true, 0));
                if (c.poolSize() > 0) {
                    units.add(new Pool(c.outHeight(), c.outWidth(), c.poolSize()));
                }
            } else if (before != null && before.conv() != null) {
                int pixel = before.outputs();
                units.add(Converter.of(pixel, l.simd()));
                units.add(new Dense(l.nf() * l.sf(), l.simd(), false, l.sf()));
            } else {
                units.add(new Dense(l.nf() * l.sf(), l.simd(), false, 0));
            }
            before = l;
        }
        units.add(new Single(CycleModel.treeLevels(design.classes()) + 2));  // bc_argmax
        return units;
    }

    /** Cycles between images in steady state and from the first image's first beat to its output, without stalls. */
    public long[] intervalAndLatency() {
        int n = 6;
        Run r = run(n, 0, 0, 0);
        return new long[] {r.outCycles[n - 1] - r.outCycles[n - 2], r.outCycles[0] - r.inCycles[0]};
    }

    /**
     * The testbench's run of {@code count} images (sim's tb.cpp): its input stream offers a beat
     * after each accepted one unless a seeded draw says "gap", and drops m_axis_tready when another
     * says "stall" (gap and stall per mille; 0 and 0: a steady stream into an always-ready sink).
     */
    public Run run(int count, int gap, int stall, long seed) {
        Random rng = new Random(seed);
        List<Unit> units = units();
        int beatsPerImage = design.inputs() / design.pixelsPerBeat();
        long[] in = new long[count];
        long[] out = new long[count];
        int image = 0;
        int beat = 0;
        int outputs = 0;
        boolean valid = false;
        int n = units.size();
        boolean[] v = new boolean[n + 1];
        boolean[] r = new boolean[n + 1];
        long limit = 1_000_000L + (long) count * 10_000_000L;
        long cycle = 0;
        while (outputs < count) {
            if (cycle > limit) {
                throw new IllegalStateException("the cycle model made no progress: " + outputs + " of " + count + " outputs");
            }
            if (!valid && image < count) {
                valid = gap == 0 || rng.perMille() >= gap;
            }
            boolean sinkReady = stall == 0 || rng.perMille() >= stall;
            v[0] = valid;
            for (int i = 0; i < n; i++) {
                v[i + 1] = units.get(i).outValid(v[i]);
            }
            r[n] = sinkReady;
            for (int i = n - 1; i >= 0; i--) {
                r[i] = units.get(i).inReady(r[i + 1]);
            }
            if (v[n] && r[n]) {
                out[outputs++] = cycle;
            }
            boolean inFire = v[0] && r[0];
            if (inFire) {
                if (beat == 0) {
                    in[image] = cycle;
                }
                if (++beat == beatsPerImage) {
                    beat = 0;
                    image++;
                }
                valid = false;
            }
            for (int i = 0; i < n; i++) {
                units.get(i).clock(cycle, v[i] && r[i], v[i + 1] && r[i + 1]);
            }
            cycle++;
        }
        return new Run(in, out, cycle);
    }

    /** A stream passed straight through: bc_input with whole pixels per beat, bc_dwc of equal widths. */
    static final class Pass implements Unit {
        public boolean outValid(boolean inValid) {
            return inValid;
        }

        public boolean inReady(boolean outReady) {
            return outReady;
        }

        public void clock(long now, boolean inFire, boolean outFire) {
        }
    }

    /** bc_swu: a step per padded-map position; one inside the map takes an input pixel. */
    static final class Window implements Unit {
        private final int h, w, k, pad;
        private int vy, vx;
        private boolean valid;

        Window(int h, int w, int k, int pad) {
            this.h = h;
            this.w = w;
            this.k = k;
            this.pad = pad;
        }

        private boolean inMap() {
            return vy >= pad && vy < pad + h && vx >= pad && vx < pad + w;
        }

        public boolean outValid(boolean inValid) {
            return valid;
        }

        public boolean inReady(boolean outReady) {
            return (!valid || outReady) && inMap();
        }

        public void clock(long now, boolean inFire, boolean outFire) {
            boolean canStep = !valid || outFire;
            boolean step = canStep && (inMap() ? inFire : true);
            if (valid && outFire) {
                valid = false;
            }
            if (step) {
                valid = vy >= k - 1 && vx >= k - 1;
                if (++vx == w + 2 * pad) {
                    vx = 0;
                    if (++vy == h + 2 * pad) {
                        vy = 0;
                    }
                }
            }
        }
    }

    /**
     * bc_swu_buf: words written while the buffer has room for their pixel; a window's words read
     * one per cycle once its pixels are all written, while fewer than two are read and not taken;
     * each offered two cycles after its read.
     */
    static final class BufferedWindow implements Unit {
        private final int h, w, k, pad, perPixel, pixelsHeld, outH, outW;
        private int oy, ox, ky, kx, cw;   // the reader
        private int wp, wcw;              // the writer: pixels written since the reader's image began
        private int pending, queued;
        private boolean inflight;

        BufferedWindow(Design.Conv c, int simd) {
            this.h = c.inHeight();
            this.w = c.inWidth();
            this.k = c.k();
            this.pad = c.pad();
            this.perPixel = c.inChannels() / simd;
            this.pixelsHeld = (1 << c.bufferDepthBits()) / perPixel;
            this.outH = c.outHeight();
            this.outW = c.outWidth();
        }

        /** The first pixel this window and every later one need (in the top PAD rows of windows, the next row starts at column 0). */
        private int firstPixel() {
            return Math.max(0, oy - pad) * w + (oy >= pad ? Math.max(0, ox - pad) : 0);
        }

        private int lastPixel() {
            return Math.min(h - 1, oy - pad + k - 1) * w + Math.min(w - 1, ox - pad + k - 1);
        }

        public boolean outValid(boolean inValid) {
            return queued > 0;
        }

        public boolean inReady(boolean outReady) {
            return wp < firstPixel() + pixelsHeld;
        }

        public void clock(long now, boolean inFire, boolean outFire) {
            int take = outFire ? 1 : 0;
            boolean atStart = cw == 0 && kx == 0 && ky == 0;
            boolean issue = pending - take < 2 && (!atStart || wp > lastPixel());
            boolean pixelWritten = inFire && wcw == perPixel - 1;
            if (inFire) {
                wcw = pixelWritten ? 0 : wcw + 1;
            }
            queued += (inflight ? 1 : 0) - take;
            inflight = issue;
            pending += (issue ? 1 : 0) - take;
            boolean imageDone = false;
            if (issue && ++cw == perPixel) {
                cw = 0;
                if (++kx == k) {
                    kx = 0;
                    if (++ky == k) {
                        ky = 0;
                        if (++ox == outW) {
                            ox = 0;
                            if (++oy == outH) {
                                oy = 0;
                                imageDone = true;
                            }
                        }
                    }
                }
            }
            wp += (pixelWritten ? 1 : 0) - (imageDone ? h * w : 0);
        }
    }

    /**
     * bc_dense: {@code steps} = NF*SF issue steps per vector, the result offered NF*SF + 5 +
     * ceil(log2(SIMD)) cycles after the start. {@code stream}: vectors overlap and results queue
     * (STREAM = 1); else one at a time (STREAM = 0). {@code ramWords} > 0: the vector arrives as that
     * many words into a two-bank RAM (bc_inbuf RAM_IN = 1); 0: whole, in one handshake.
     */
    static final class Dense implements Unit {
        private final int steps;
        private final long latency;
        private final boolean stream;
        private final int ramWords;
        private final int cap;
        private boolean issuing;
        private int step;
        private final ArrayDeque<Long> results = new ArrayDeque<>();
        private boolean busy, valid;   // STREAM = 0
        private int held, queued;      // STREAM = 1
        private final boolean[] full = new boolean[2];  // RAM_IN = 1
        private int wbank, rbank, wsf;

        Dense(int steps, int simd, boolean stream, int ramWords) {
            this.steps = steps;
            this.latency = steps + CycleModel.DENSE_OVERHEAD + CycleModel.treeLevels(simd);
            this.stream = stream;
            this.ramWords = ramWords;
            this.cap = (int) (latency / steps + 1);
        }

        /** bc_dense `free`, with out_ready known from whether the output fired. */
        private boolean free(boolean outReady) {
            if (stream) {
                return (!issuing || step == steps - 1) && held != cap;
            }
            return !busy && (!valid || outReady);
        }

        public boolean outValid(boolean inValid) {
            return stream ? queued > 0 : valid;
        }

        public boolean inReady(boolean outReady) {
            return ramWords > 0 ? !full[wbank] : free(outReady);
        }

        public void clock(long now, boolean inFire, boolean outFire) {
            boolean free = free(outFire);
            boolean readDone = issuing && step == steps - 1;
            boolean start = ramWords > 0 ? full[readDone ? rbank ^ 1 : rbank] && free : inFire;
            if (ramWords > 0) {
                boolean writeLast = inFire && wsf == ramWords - 1;
                if (inFire) {
                    wsf = writeLast ? 0 : wsf + 1;
                }
                boolean wasReadBank = readDone;
                int oldW = wbank;
                int oldR = rbank;
                if (writeLast) {
                    full[oldW] = true;
                    wbank ^= 1;
                }
                if (wasReadBank) {
                    full[oldR] = false;
                    rbank ^= 1;
                }
            }
            if (start) {
                issuing = true;
                step = 0;
                results.add(now + latency);
            } else if (issuing) {
                if (step == steps - 1) {
                    issuing = false;
                } else {
                    step++;
                }
            }
            boolean done = !results.isEmpty() && results.peek() == now + 1;
            if (done) {
                results.remove();
            }
            if (stream) {
                if (start && !outFire) {
                    held++;
                } else if (outFire && !start) {
                    held--;
                }
                queued += (done ? 1 : 0) - (outFire ? 1 : 0);
            } else {
                if (valid && outFire) {
                    valid = false;
                }
                if (start) {
                    busy = true;
                }
                if (done) {
                    busy = false;
                    valid = true;
                }
            }
        }
    }

    /** bc_pool: takes a pixel whenever its output register is free or emptied; a window's last pixel fills it. */
    static final class Pool implements Unit {
        private final int columns, p;
        private int dx, dy, px;
        private boolean valid;

        Pool(int h, int w, int p) {
            this.columns = w / p;
            this.p = p;
        }

        public boolean outValid(boolean inValid) {
            return valid;
        }

        public boolean inReady(boolean outReady) {
            return !valid || outReady;
        }

        public void clock(long now, boolean inFire, boolean outFire) {
            if (valid && outFire) {
                valid = false;
            }
            if (inFire) {
                if (++dx == p) {
                    dx = 0;
                    if (dy == p - 1) {
                        valid = true;
                    }
                    if (++px == columns) {
                        px = 0;
                        dy = dy == p - 1 ? 0 : dy + 1;
                    }
                }
            }
        }
    }

    /** bc_dwc: a gather (bc_input) or a split of each beat into parts, or a pass. */
    abstract static class Converter implements Unit {
        static Unit of(int in, int out) {
            if (in == out) {
                return new Pass();
            }
            return out > in ? new Gather(out / in) : new Split(in / out);
        }
    }

    /** bc_input / bc_dwc gathering: the group is offered in the cycle its last beat arrives. */
    static final class Gather extends Converter {
        private final int beats;
        private int beat;

        Gather(int beats) {
            this.beats = beats;
        }

        public boolean outValid(boolean inValid) {
            return inValid && beat == beats - 1;
        }

        public boolean inReady(boolean outReady) {
            return beat != beats - 1 || outReady;
        }

        public void clock(long now, boolean inFire, boolean outFire) {
            if (inFire) {
                beat = beat == beats - 1 ? 0 : beat + 1;
            }
        }
    }

    /** bc_dwc splitting: the parts of a held beat, one per cycle; the next beat is taken with the last part. */
    static final class Split extends Converter {
        private final int parts;
        private boolean full;
        private int part;

        Split(int parts) {
            this.parts = parts;
        }

        public boolean outValid(boolean inValid) {
            return full;
        }

        public boolean inReady(boolean outReady) {
            return !full || (part == parts - 1 && outReady);
        }

        public void clock(long now, boolean inFire, boolean outFire) {
            if (inFire) {
                full = true;
                part = 0;
            } else if (outFire) {
                if (part == parts - 1) {
                    full = false;
                }
                part++;
            }
        }
    }

    /** bc_fifo: up to {@code depth} beats; takes one while not full, offers its oldest from the cycle after it came. */
    static final class Fifo implements Unit {
        private final int depth;
        private int count;

        Fifo(int depth) {
            this.depth = depth;
        }

        public boolean outValid(boolean inValid) {
            return count > 0;
        }

        public boolean inReady(boolean outReady) {
            return count < depth;
        }

        public void clock(long now, boolean inFire, boolean outFire) {
            count += (inFire ? 1 : 0) - (outFire ? 1 : 0);
        }
    }

    /** bc_argmax (and bc_dense STREAM = 0 in shape): one input at a time, its result {@code latency} cycles after. */
    static final class Single implements Unit {
        private final int latency;
        private boolean busy, valid;
        private long resultAt = -1;

        Single(int latency) {
            this.latency = latency;
        }

        public boolean outValid(boolean inValid) {
            return valid;
        }

        public boolean inReady(boolean outReady) {
            return !busy && (!valid || outReady);
        }

        public void clock(long now, boolean inFire, boolean outFire) {
            if (valid && outFire) {
                valid = false;
            }
            if (inFire) {
                busy = true;
                resultAt = now + latency;
            }
            if (resultAt == now + 1) {
                busy = false;
                valid = true;
            }
        }
    }

    /** The testbench's xorshift64* draws (tb.cpp per_mille). */
    static final class Random {
        private long state;

        Random(long seed) {
            state = seed * 0x9E3779B97F4A7C15L + 1;
        }

        int perMille() {
            state ^= state >>> 12;
            state ^= state << 25;
            state ^= state >>> 27;
            return (int) (((state * 2685821657736338717L) >>> 33) % 1000);
        }
    }
}
