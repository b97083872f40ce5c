// bcflow's Verilator testbench: streams images into the generated design (wrapped in bcflow_tap,
// which brings every layer's output stream out as ports) and logs what comes out. The same file
// serves every design; tb_design.h, generated per design, holds its sizes and its layer list.
//
// Usage: Vsim INPUTS OUTPUTS COUNT [GAP STALL SEED [TRACE FROM TO]]. It streams COUNT images from
// INPUTS (each value an unsigned 16-bit little-endian number) into s_axis. GAP and STALL (per
// mille) insert seeded random idle cycles on s_axis_tvalid (only between beats, as AXI4-Stream
// allows) and random deassertion of m_axis_tready. With a build that has tracing, TRACE names an
// FST file that records cycles FROM..TO. It writes one line per event:
//   in IMAGE CYCLE                   the image's first beat was accepted
//   tap LAYER INDEX CYCLE HEX        layer LAYER handed over its INDEX-th output vector (a stream of
//                                    one beat per image)
//   tapd LAYER IMAGE CYCLE DIGEST    a stream of several beats per image (pixels) finished image IMAGE:
//                                    FNV-1a (64 bits) over its beats' 32-bit words, lowest first
//   tapx LAYER BEAT CYCLE HEX        each beat of such a stream for the one image named by the
//                                    environment variable BCFLOW_TAP_IMAGE (to locate a pixel)
//   out IMAGE CYCLE CLASS SCORE...   the output beat
//   done CYCLES
#include "tb_design.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

// Verilator gives a port of up to 64 bits as one integer (CData .. QData) and a wider one as
// VlWide<N>, 32-bit words with the lowest first: these read and write either as 32-bit words.
template <class T> static void get_words(const T& port, uint32_t* w, int words) {
    uint64_t v = (uint64_t)port;
    w[0] = (uint32_t)v;
    if (words > 1) w[1] = (uint32_t)(v >> 32);
}
template <std::size_t N> static void get_words(const VlWide<N>& port, uint32_t* w, int words) {
    for (int i = 0; i < words; i++) w[i] = port[i];
}
template <class T> static void set_words(T& port, const uint32_t* w, int words) {
    uint64_t v = w[0];
    if (words > 1) v |= (uint64_t)w[1] << 32;
    port = (T)v;
}
template <std::size_t N> static void set_words(VlWide<N>& port, const uint32_t* w, int words) {
    for (int i = 0; i < words; i++) port[i] = w[i];
}

static const int TDATA_WORDS = (PIX * IN_BITS + 31) / 32;

static void set_tdata(TB_TOP* top, const uint16_t* v) {
    uint32_t w[TDATA_WORDS];
    if (PIX * IN_BITS <= 64) {
        uint64_t acc = 0;
        for (int i = PIX - 1; i >= 0; i--) acc = (acc << IN_BITS) | v[i];
        w[0] = (uint32_t)acc;
        if (TDATA_WORDS > 1) w[1] = (uint32_t)(acc >> 32);
    } else {
        for (int i = 0; i < TDATA_WORDS; i++) w[i] = 0;
        for (int i = 0; i < PIX; i++)
            for (int b = 0; b < IN_BITS; b++) {
                int bit = i * IN_BITS + b;
                w[bit / 32] |= (uint32_t)((v[i] >> b) & 1u) << (bit % 32);
            }
    }
    set_words(top->s_axis_tdata, w, TDATA_WORDS);
}

static void get_tuser(TB_TOP* top, uint32_t* w) {
    get_words(top->m_axis_tuser, w, USER_WORDS);
}

static void hex_word(std::string& s, uint32_t w, bool first) {
    char b[16];
    snprintf(b, sizeof b, first ? "%x" : "%08x", w);
    s += b;
}

// a tap's data in hex, most significant first (up to 64 bits as one number)
static void words_hex(const std::vector<uint32_t>& w, int words, std::string& s) {
    s.clear();
    if (words <= 2) {
        char b[24];
        snprintf(b, sizeof b, "%llx", (unsigned long long)w[0] | (words > 1 ? (unsigned long long)w[1] << 32 : 0ull));
        s += b;
        return;
    }
    for (int i = words - 1; i >= 0; i--) hex_word(s, w[(size_t)i], i == words - 1);
}

#define TB_LOG_TAP(INDEX, NAME, BITS, BEATS) \
    if (top->tap_##NAME##_fire) { \
        const int words = (BITS + 31) / 32; \
        tap_words.resize((size_t)words); \
        get_words(top->tap_##NAME##_data, tap_words.data(), words); \
        long k = tap_count[INDEX]++; \
        if (BEATS == 1) { \
            words_hex(tap_words, words, hex); \
            fprintf(out, "tap %d %ld %llu %s\n", INDEX, k, cycle, hex.c_str()); \
        } else { \
            long img = k / BEATS, b = k % BEATS; \
            if (b == 0) tap_digest[INDEX] = 0xcbf29ce484222325ull; \
            for (int i = 0; i < words; i++) { tap_digest[INDEX] ^= tap_words[(size_t)i]; tap_digest[INDEX] *= 0x100000001b3ull; } \
            if (img == tap_image) { \
                words_hex(tap_words, words, hex); \
                fprintf(out, "tapx %d %ld %llu %s\n", INDEX, b, cycle, hex.c_str()); \
            } \
            if (b == BEATS - 1) fprintf(out, "tapd %d %ld %llu %016llx\n", INDEX, img, cycle, (unsigned long long)tap_digest[INDEX]); \
        } \
    }

static int64_t score(const uint32_t* w, int i) {
    uint64_t v = 0;
    for (int b = 0; b < SCORE_BITS; b++) {
        int bit = i * SCORE_BITS + b;
        v |= (uint64_t)((w[bit / 32] >> (bit % 32)) & 1u) << b;
    }
    if (SCORE_BITS < 64 && (v >> (SCORE_BITS - 1)) & 1u) v |= ~0ull << SCORE_BITS;
    return (int64_t)v;
}

static uint64_t rng_state;
static unsigned per_mille() {  // xorshift64*, uniform in 0..999
    rng_state ^= rng_state >> 12; rng_state ^= rng_state << 25; rng_state ^= rng_state >> 27;
    return (unsigned)((rng_state * 2685821657736338717ull) >> 33) % 1000u;
}

int main(int argc, char** argv) {
    if (argc < 4) { fprintf(stderr, "usage: Vsim INPUTS OUTPUTS COUNT [GAP STALL SEED [TRACE FROM TO]]\n"); return 2; }
    const long count = atol(argv[3]);
    const unsigned gap = argc > 6 ? (unsigned)atoi(argv[4]) : 0, stall = argc > 6 ? (unsigned)atoi(argv[5]) : 0;
    rng_state = argc > 6 ? strtoull(argv[6], 0, 10) * 0x9E3779B97F4A7C15ull + 1 : 1;
    std::vector<uint16_t> data((size_t)count * INPUTS);
    FILE* in = fopen(argv[1], "rb");
    if (!in || fread(data.data(), 2, data.size(), in) != data.size()) {
        fprintf(stderr, "cannot read %ld images from %s\n", count, argv[1]); return 2;
    }
    fclose(in);
    FILE* out = fopen(argv[2], "w");
    if (!out) { fprintf(stderr, "cannot write %s\n", argv[2]); return 2; }

    VerilatedContext* ctx = new VerilatedContext;
    TB_TOP* top = new TB_TOP{ctx};
#if VM_TRACE
    VerilatedFstC* fst = 0;
    unsigned long long trace_from = 0, trace_to = 0;
    if (argc > 9) {
        ctx->traceEverOn(true);
        fst = new VerilatedFstC;
        top->trace(fst, 99);
        fst->open(argv[7]);
        trace_from = strtoull(argv[8], 0, 10);
        trace_to = strtoull(argv[9], 0, 10);
    }
#endif
    top->clk = 0; top->rst_n = 0; top->s_axis_tvalid = 0; top->m_axis_tready = 0;
    for (int i = 0; i < 4; i++) { top->clk = 0; top->eval(); top->clk = 1; top->eval(); }
    top->rst_n = 1;

    const long beats = INPUTS / PIX;
    const unsigned long long limit = (unsigned long long)(count + 2) * INTERVAL_CYCLES * (gap || stall ? 50ull : 1ull) + LATENCY_CYCLES + 1000ull;
    uint32_t user[USER_WORDS];
    long tap_count[LAYERS] = {0};
    uint64_t tap_digest[LAYERS] = {0};
    std::vector<uint32_t> tap_words;
    const char* tap_env = getenv("BCFLOW_TAP_IMAGE");
    const long tap_image = tap_env ? atol(tap_env) : -1;
    std::string hex;
    long image = 0, beat = 0, outputs = 0;
    bool valid = false;
    unsigned long long cycle = 0;
    while (outputs < count) {
        if (cycle > limit) {
            fprintf(stderr, "timeout: %ld of %ld outputs after %llu cycles\n", outputs, count, cycle);
            return 3;
        }
        // AXI4-Stream: once tvalid is high it stays high until the beat is taken
        if (!valid && image < count) valid = gap == 0 || per_mille() >= gap;
        top->s_axis_tvalid = valid;
        if (image < count) set_tdata(top, &data[(size_t)image * INPUTS + (size_t)beat * PIX]);
        top->m_axis_tready = stall == 0 || per_mille() >= stall;
        top->clk = 0;
        top->eval();
#if VM_TRACE
        if (fst && cycle >= trace_from && cycle <= trace_to) fst->dump((uint64_t)(2 * cycle));
#endif
        bool in_fire = top->s_axis_tvalid && top->s_axis_tready;
        TB_TAPS(TB_LOG_TAP)
        if (top->m_axis_tvalid && top->m_axis_tready) {
            get_tuser(top, user);
            fprintf(out, "out %ld %llu %u", outputs, cycle, (unsigned)top->m_axis_tdata);
            for (int c = 0; c < CLASSES; c++) fprintf(out, " %lld", (long long)score(user, c));
            fprintf(out, "\n");
            outputs++;
        }
        if (in_fire) {
            if (beat == 0) fprintf(out, "in %ld %llu\n", image, cycle);
            if (++beat == beats) { beat = 0; image++; }
            valid = false;
        }
        top->clk = 1;
        top->eval();
#if VM_TRACE
        if (fst && cycle >= trace_from && cycle <= trace_to) fst->dump((uint64_t)(2 * cycle + 1));
#endif
        cycle++;
    }
    fprintf(out, "done %llu\n", cycle);
    fclose(out);
#if VM_TRACE
    if (fst) { fst->close(); delete fst; }
#endif
    top->final();
    delete top;
    delete ctx;
    return 0;
}
