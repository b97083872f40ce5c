// tb_bc_dense: self-checking testbench of bc_dense. ROMs hold random words (tb_w.mem, tb_mul.mem,
// tb_add.mem, tb_th.mem, written by the runner); the testbench reads the same files, computes
// every neuron of random input vectors (every third one all at the maximum) with tb_model.vh, and
// checks the outputs, their order under random back-pressure, and the timing: a vector's result
// is offered LAT = NF*SF + 5 + ceil(log2(SIMD)) cycles after its computation starts, or (STREAM = 1,
// results queued) from the cycle after the result before it was taken, if that is later; a vector
// starts at least LAT cycles after the one before (STREAM = 0) or NF*SF cycles (STREAM = 1, where
// at most CAP = LAT/(NF*SF) + 1 vectors are started and not handed on, and vectors must overlap
// unless SLOW_IN = 1 starves the layer); a vector starts only when all of it is there.
// Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_dense;
    parameter integer MW          = 12;
    parameter integer MH          = 6;
    parameter integer PE          = 2;
    parameter integer SIMD        = 4;
    parameter integer IN_BITS     = 3;
    parameter integer ACC_BITS    = 8;
    parameter integer MUL_BITS    = 8;
    parameter integer ADD_BITS    = 12;
    parameter integer SUM_BITS    = 17;
    parameter integer SHIFT       = 3;
    parameter integer OUT_BITS    = 4;
    parameter integer SCORES      = 0;
    parameter integer RAM_IN      = 0;
    parameter integer WEIGHT_BRAM = 1;
    parameter integer CONST_BRAM  = 0;
    parameter integer THRESH      = 0;
    parameter integer TH_BITS     = 9;
    parameter integer STREAM      = 0;
    parameter integer SLOW_IN     = 0;  // 1: input words (or vectors) in a quarter of the cycles, not three quarters
    localparam integer NF = MH / PE;
    localparam integer SF = MW / SIMD;
    localparam integer TREE = SIMD > 1 ? $clog2(SIMD) : 0;
    localparam integer TW = 1 + ((1 << OUT_BITS) - 1) * TH_BITS;
    localparam integer INW = (RAM_IN != 0 ? SIMD : MW) * IN_BITS;
    localparam integer LAT = NF * SF + 5 + TREE;
    localparam integer CAP = LAT / (NF * SF) + 1;
    localparam integer VECTORS = STREAM != 0 ? 12 : 5;
    `include "tb_model.vh"

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg                   rst_n = 1'b0;
    reg                   in_valid = 1'b0;
    wire                  in_ready;
    reg  [INW-1:0]        in_data = {INW{1'b0}};
    wire                  out_valid;
    reg                   out_ready = 1'b0;
    wire [MH*OUT_BITS-1:0] out_data;
    bc_dense #(.MW(MW), .MH(MH), .PE(PE), .SIMD(SIMD), .IN_BITS(IN_BITS), .ACC_BITS(ACC_BITS), .MUL_BITS(MUL_BITS),
               .ADD_BITS(ADD_BITS), .SUM_BITS(SUM_BITS), .SHIFT(SHIFT), .OUT_BITS(OUT_BITS), .SCORES(SCORES),
               .RAM_IN(RAM_IN), .WEIGHT_BRAM(WEIGHT_BRAM), .CONST_BRAM(CONST_BRAM), .THRESH(THRESH), .TH_BITS(TH_BITS),
               .STREAM(STREAM),
               .WEIGHT_FILE("tb_w.mem"), .MUL_FILE("tb_mul.mem"), .ADD_FILE("tb_add.mem"), .TH_FILE("tb_th.mem"))
        dut (.clk(clk), .rst_n(rst_n), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
             .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data));

    reg [PE*SIMD-1:0]     w_rom   [0:NF*SF-1];
    reg [PE*MUL_BITS-1:0] mul_rom [0:NF-1];
    reg [PE*ADD_BITS-1:0] add_rom [0:NF-1];
    reg [PE*TW-1:0]       th_rom  [0:NF-1];
    reg [IN_BITS-1:0]     values  [0:VECTORS*MW-1];
    reg [MH*OUT_BITS-1:0] expected [0:VECTORS-1];
    integer v, n, i, nf, p, seed = 7;
    reg signed [63:0] acc, m, d;
    initial begin
        $readmemh("tb_w.mem", w_rom);
        if (THRESH != 0) $readmemh("tb_th.mem", th_rom);
        else begin
            $readmemh("tb_mul.mem", mul_rom);
            $readmemh("tb_add.mem", add_rom);
        end
        for (i = 0; i < VECTORS * MW; i = i + 1)
            values[i] = i / MW % 3 == 1 ? {IN_BITS{1'b1}} : $random(seed);
        // neuron n = nf*PE + p, input i = sf*SIMD + s: weight bit p*SIMD + s of word nf*SF + sf
        for (v = 0; v < VECTORS; v = v + 1)
            for (n = 0; n < MH; n = n + 1) begin
                nf = n / PE;
                p = n % PE;
                acc = 0;
                for (i = 0; i < MW; i = i + 1)
                    if (w_rom[nf*SF + i/SIMD][p*SIMD + i%SIMD]) acc = acc + values[v*MW + i];
                    else acc = acc - values[v*MW + i];
                if (THRESH != 0) begin
                    expected[v][n*OUT_BITS +: OUT_BITS] = model_thresholds(acc, th_rom[nf][p*TW +: TW]);
                end else begin
                    m = $signed(mul_rom[nf][p*MUL_BITS +: MUL_BITS]);
                    d = $signed(add_rom[nf][p*ADD_BITS +: ADD_BITS]);
                    expected[v][n*OUT_BITS +: OUT_BITS] = model_muladd(acc, m, d);
                end
            end
    end

    integer k, cycle = 0, errors = 0, sent = 0, words = 0, started = 0, got = 0, taken_cycle = -1, due, overlaps = 0;
    integer start_cycle [0:VECTORS-1];
    reg offered = 1'b0;
    reg [63:0] rnd;
    always @(posedge clk) begin
        if (rst_n && dut.start) begin
            // a whole vector must be there: taken in this handshake (RAM_IN = 0) or all its words written before
            if (started >= sent + (RAM_IN != 0 ? 0 : 1)) begin
                errors = errors + 1;
                $display("FAIL: vector %0d started in cycle %0d with %0d vectors sent", started, cycle, sent);
            end
            if (started < VECTORS) start_cycle[started] = cycle;
            if (started > 0 && cycle - start_cycle[started-1] < (STREAM != 0 ? NF * SF : LAT)) begin
                errors = errors + 1;
                $display("FAIL: vector %0d started %0d cycles after the one before, at least %0d", started,
                         cycle - start_cycle[started-1], STREAM != 0 ? NF * SF : LAT);
            end
            if (started > 0 && cycle - start_cycle[started-1] < LAT) overlaps = overlaps + 1;
            started = started + 1;
            if (STREAM != 0 && started - got > CAP) begin
                errors = errors + 1;
                $display("FAIL: %0d vectors started and not handed on, at most %0d", started - got, CAP);
            end
        end
        if (rst_n && out_valid && !offered) begin
            offered = 1'b1;
            due = start_cycle[got] + LAT > taken_cycle + 1 ? start_cycle[got] + LAT : taken_cycle + 1;
            if (got >= started || cycle != due) begin
                errors = errors + 1;
                $display("FAIL: vector %0d offered %0d cycles after its start, expected %0d", got,
                         cycle - start_cycle[got], due - start_cycle[got]);
            end
        end
        if (rst_n && out_valid && out_ready) begin
            if (out_data !== expected[got]) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: vector %0d outputs %h, expected %h", got, out_data, expected[got]);
            end
            offered = 1'b0;
            taken_cycle = cycle;
            got = got + 1;
        end
        if (rst_n && in_valid && in_ready) begin
            if (RAM_IN != 0) begin
                words = words + 1;
                if (words == SF) begin
                    words = 0;
                    sent = sent + 1;
                end
            end else begin
                sent = sent + 1;
            end
        end
        if (!in_valid || in_ready || !rst_n) begin
            rnd = {$random(seed)} % 4;
            in_valid <= cycle > 2 && sent < VECTORS && (SLOW_IN != 0 ? rnd == 0 : rnd != 0);
            for (k = 0; k < INW / IN_BITS; k = k + 1)
                in_data[k*IN_BITS +: IN_BITS] <= values[sent*MW + (RAM_IN != 0 ? words*SIMD : 0) + k];
        end
        rnd = {$random(seed)} % 3;
        out_ready <= rnd != 0;
        rst_n <= cycle >= 2;
        cycle = cycle + 1;
        if (got == VECTORS || cycle == 20 * VECTORS * (MW + NF * SF + 10)) begin
            if (got != VECTORS) $display("FAIL: %0d of %0d vectors after %0d cycles", got, VECTORS, cycle);
            else if (STREAM != 0 && SLOW_IN == 0 && overlaps == 0) $display("FAIL: no vector started before the result of the one before");
            else if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
