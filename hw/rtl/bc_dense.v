// bc_dense: one binary-weight dense layer, MH neurons x MW inputs, folded onto PE neuron lanes
// and SIMD input lanes. No multiplier in the dot product: each weight bit selects +x or -x.
//
// Per input vector it runs NF = MH/PE neuron folds of SF = MW/SIMD input folds, one (nf, sf)
// step per cycle, then requantizes each neuron (the folded batch norm):
//     y = (acc * MUL + ADD) >>> SHIFT, clamped to [0, 2^OUT_BITS - 1] unless SCORES = 1.
// The Java class org.bcflow.core.Reference defines these semantics; this module must match it.
//
// With THRESH = 1 the same y comes from comparisons instead (org.bcflow.core.Thresholds):
//     y = #{ j in 1..2^OUT_BITS-1 : (negate ? -acc : acc) >= t_j }.
//
// Pipeline: issue (ROM read) -> a register after the memories -> adder tree (ceil(log2(SIMD))
// register levels) -> accumulate -> multiply-add (or compare) -> shift/clamp/store. A vector
// accepted in cycle 0 is offered downstream in cycle NF*SF + 5 + ceil(log2(SIMD)); the next vector
// can be accepted in that same cycle, so that is also the layer's period (org.bcflow.rtlgen.CycleModel).
// With RAM_IN = 1 "accepted" means the cycle in which the computation starts. The register after
// the memories is there for the clock: an iCE40 block RAM's read data is slow, and without it the
// block RAM -> first adder level path set Fmax (an MNIST design on an HX8K: 70 -> 96 MHz).
//
// Input (RAM_IN): 0 takes the whole MW-value vector in one handshake and keeps a register copy
// that rotates by one fold per step. 1 takes the vector as SF words of SIMD values (fold sf in
// word sf) into a two-bank RAM: one bank is written while the other is read, so the next vector
// streams in during the computation, and a deep RAM maps to block RAM instead of flip-flops.
// The computation of a vector starts in the cycle after its last word was written.
//
// ROM layouts (see org.bcflow.core.RomPacking): weight word nf*SF+sf, bit p*SIMD+s is the weight
// of neuron nf*PE+p for input sf*SIMD+s (1 = +1). Constant word nf holds neuron nf*PE+p at
// bits [p*W +: W].
`default_nettype none
module bc_dense #(
    parameter integer MW        = 784,
    parameter integer MH        = 256,
    parameter integer PE        = 16,
    parameter integer SIMD      = 16,
    parameter integer IN_BITS   = 8,
    parameter integer ACC_BITS  = 19,  // signed; holds MW * (2^IN_BITS - 1)
    parameter integer MUL_BITS  = 16,
    parameter integer ADD_BITS  = 24,
    parameter integer SUM_BITS  = 40,  // > ACC_BITS, MUL_BITS, ADD_BITS, OUT_BITS + 1
    parameter integer SHIFT     = 0,
    parameter integer OUT_BITS  = 8,
    parameter integer SCORES    = 0,   // 1: signed scores, no clamp (the last layer)
    parameter integer RAM_IN    = 0,   // 1: input as SF words of SIMD values into a two-bank RAM
    parameter integer WEIGHT_BRAM = 1, // 1: the weight ROM in block RAM, 0: in logic
    parameter integer CONST_BRAM  = 1, // 1: the batch-norm ROMs (mul/add or thresholds) in block RAM, 0: in logic
    parameter integer THRESH    = 0,   // 1: batch norm as thresholds (hidden layers, OUT_BITS <= 4), no multiplier
    parameter integer TH_BITS   = 20,  // signed bits of a threshold: ACC_BITS + 1
    parameter         WEIGHT_FILE = "weights.mem",
    parameter         MUL_FILE    = "mul.mem",
    parameter         ADD_FILE    = "add.mem",
    parameter         TH_FILE     = "thresholds.mem"
) (
    input  wire                   clk,
    input  wire                   rst_n,
    input  wire                   in_valid,
    output wire                   in_ready,
    input  wire [(RAM_IN != 0 ? SIMD : MW)*IN_BITS-1:0] in_data,
    output reg                    out_valid,
    input  wire                   out_ready,
    output reg  [MH*OUT_BITS-1:0] out_data
);
    localparam integer NF = MH / PE;
    localparam integer SF = MW / SIMD;
    localparam integer WDEPTH = NF * SF;
    localparam integer WADDR_BITS = WDEPTH > 1 ? $clog2(WDEPTH) : 1;
    localparam integer NF_BITS = NF > 1 ? $clog2(NF) : 1;
    localparam integer SF_BITS = SF > 1 ? $clog2(SF) : 1;
    localparam integer XW = SIMD * IN_BITS;  // bits of one input fold

    // ---- control: issue one (nf, sf) step per cycle while busy ----
    reg                  busy;      // started a vector, result not yet stored
    reg                  issuing;
    reg [WADDR_BITS-1:0] waddr;
    reg [NF_BITS-1:0]    nf;
    reg [SF_BITS-1:0]    sf;
    wire                 start;     // a whole input vector is here and the layer is free
    wire [XW-1:0]        x_fold;    // the input fold of the current step, registered in stage 1
    wire step_last_sf = sf == SF[SF_BITS-1:0] - 1'b1;
    wire step_last_nf = nf == NF[NF_BITS-1:0] - 1'b1;
    wire free = !busy && (!out_valid || out_ready);

    always @(posedge clk) begin
        if (!rst_n) begin
            issuing <= 1'b0;
            waddr   <= {WADDR_BITS{1'b0}};
            nf      <= {NF_BITS{1'b0}};
            sf      <= {SF_BITS{1'b0}};
        end else if (start) begin
            issuing <= 1'b1;
            waddr   <= {WADDR_BITS{1'b0}};
            nf      <= {NF_BITS{1'b0}};
            sf      <= {SF_BITS{1'b0}};
        end else if (issuing) begin
            waddr <= waddr + 1'b1;
            if (step_last_sf) begin
                sf <= {SF_BITS{1'b0}};
                nf <= nf + 1'b1;
                if (step_last_nf) issuing <= 1'b0;
            end else begin
                sf <= sf + 1'b1;
            end
        end
    end

    generate
        if (RAM_IN == 0) begin : g_xbuf
            reg [MW*IN_BITS-1:0] xbuf;  // rotates by one input fold per step: the current fold is at the bottom
            assign in_ready = free;
            assign start = in_valid && free;
            assign x_fold = xbuf[XW-1:0];
            if (SF == 1) begin : g_whole
                always @(posedge clk) if (start) xbuf <= in_data;
            end else begin : g_rotate
                always @(posedge clk)
                    if (start) xbuf <= in_data;
                    else if (issuing) xbuf <= {xbuf[XW-1:0], xbuf[MW*IN_BITS-1:XW]};
            end
        end else begin : g_xram
            // bank b holds words b*2^SF_BITS + sf; full[b]: a whole vector not yet read
            (* ram_style = "block" *) reg [XW-1:0] xram [0:2*(1 << SF_BITS)-1];
            reg [SF_BITS-1:0] wsf;
            reg               wbank, rbank;
            reg [1:0]         full;
            wire write = in_valid && in_ready;
            wire write_last = write && wsf == SF[SF_BITS-1:0] - 1'b1;
            wire read_done = issuing && step_last_sf && step_last_nf;  // the last word is read at this edge
            assign in_ready = !full[wbank];
            assign start = full[rbank] && free;
            assign x_fold = xram[{rbank, sf}];
            always @(posedge clk) if (write) xram[{wbank, wsf}] <= in_data;
            always @(posedge clk) begin
                if (!rst_n) begin
                    wsf   <= {SF_BITS{1'b0}};
                    wbank <= 1'b0;
                    rbank <= 1'b0;
                    full  <= 2'b00;
                end else begin
                    if (write) wsf <= write_last ? {SF_BITS{1'b0}} : wsf + 1'b1;
                    if (write_last) wbank <= !wbank;
                    if (read_done) rbank <= !rbank;
                    // the writer never writes the bank being read, so the two never touch one bit
                    full <= (full | ({1'b0, write_last} << wbank)) & ~({1'b0, read_done} << rbank);
                end
            end
        end
    endgenerate

    // ---- stage 1: ROM outputs and the input fold, registered ----
    wire [PE*SIMD-1:0] w_q;
    reg  [XW-1:0]      x_q;
    bc_rom #(.WIDTH(PE*SIMD), .DEPTH(WDEPTH), .ADDR_BITS(WADDR_BITS), .BLOCK(WEIGHT_BRAM), .FILE(WEIGHT_FILE))
        u_wrom (.clk(clk), .addr(waddr), .data(w_q));
    reg               s1_valid, s1_first, s1_last, s1_final;
    reg [NF_BITS-1:0] s1_nf;
    always @(posedge clk) begin
        x_q   <= x_fold;
        s1_nf <= nf;
        if (!rst_n) begin
            s1_valid <= 1'b0;
            s1_first <= 1'b0;
            s1_last  <= 1'b0;
            s1_final <= 1'b0;
        end else begin
            s1_valid <= issuing;
            s1_first <= sf == {SF_BITS{1'b0}};
            s1_last  <= step_last_sf;
            s1_final <= step_last_sf && step_last_nf;
        end
    end

    // ---- stage 1b: the same, registered once more (memory read data straight into logic is slow) ----
    localparam integer CTL = NF_BITS + 4;
    reg [PE*SIMD-1:0] w_r;
    reg [XW-1:0]      x_r;
    reg [CTL-1:0]     s1_ctl;
    always @(posedge clk) begin
        w_r    <= w_q;
        x_r    <= x_q;
        s1_ctl <= rst_n ? {s1_nf, s1_final, s1_last, s1_first, s1_valid} : {CTL{1'b0}};
    end

    // ---- stage 2: each weight bit selects +x or -x (no multiplier); a pipelined adder tree per PE lane ----
    localparam integer TREE = SIMD > 1 ? $clog2(SIMD) : 0;  // adder tree latency
    wire [PE*ACC_BITS-1:0] dot;
    genvar g;
    generate
        for (g = 0; g < PE; g = g + 1) begin : g_lane
            bc_addtree #(.N(SIMD), .IN_BITS(IN_BITS), .W(ACC_BITS)) u_tree (
                .clk(clk), .plus(w_r[g*SIMD +: SIMD]), .x(x_r), .sum(dot[g*ACC_BITS +: ACC_BITS])
            );
        end
    endgenerate

    // the step's control travels beside the tree
    wire [CTL-1:0] t_ctl;
    generate
        if (TREE == 0) begin : g_ctl_direct
            assign t_ctl = s1_ctl;
        end else begin : g_ctl_delay
            reg [TREE*CTL-1:0] pipe;
            if (TREE == 1) begin : g_one
                always @(posedge clk) pipe <= rst_n ? s1_ctl : {CTL{1'b0}};
            end else begin : g_many
                always @(posedge clk) pipe <= rst_n ? {pipe[(TREE-1)*CTL-1:0], s1_ctl} : {TREE*CTL{1'b0}};
            end
            assign t_ctl = pipe[TREE*CTL-1 -: CTL];
        end
    endgenerate
    wire               t_valid = t_ctl[0];
    wire               t_first = t_ctl[1];
    wire               t_last  = t_ctl[2];
    wire               t_final = t_ctl[3];
    wire [NF_BITS-1:0] t_nf    = t_ctl[CTL-1:4];

    // ---- accumulate over the input folds of one neuron fold ----
    reg [PE*ACC_BITS-1:0] acc;
    reg [PE*ACC_BITS-1:0] acc_next;
    reg                   s2_done, s2_final;  // acc holds finished sums of one neuron fold
    reg                   s3_valid, s3_final;  // y holds the fold's outputs
    integer q;
    always @* begin
        for (q = 0; q < PE; q = q + 1)
            acc_next[q*ACC_BITS +: ACC_BITS] = (t_first ? {ACC_BITS{1'b0}} : acc[q*ACC_BITS +: ACC_BITS])
                                               + dot[q*ACC_BITS +: ACC_BITS];
    end
    always @(posedge clk) begin
        if (t_valid) acc <= acc_next;
        if (!rst_n) begin
            s2_done  <= 1'b0;
            s2_final <= 1'b0;
            s3_valid <= 1'b0;
            s3_final <= 1'b0;
        end else begin
            s2_done  <= t_valid && t_last;
            s2_final <= t_valid && t_final;
            s3_valid <= s2_done;
            s3_final <= s2_final;
        end
    end

    // ---- stages 3 and 4: the folded batch norm, once per neuron (not per weight) ----
    reg [PE*OUT_BITS-1:0] y;  // the fold's PE outputs, stored below
    generate
        if (THRESH != 0) begin : g_thresholds
            // y = number of thresholds t_j with (negate ? -acc : acc) >= t_j; the constants come from
            // org.bcflow.core.Thresholds, which derives them exactly from mul, add and SHIFT.
            localparam integer T  = (1 << OUT_BITS) - 1;
            localparam integer TW = 1 + T * TH_BITS;  // per lane: {t_T, ..., t_1, negate}
            wire [PE*TW-1:0]      th_q;
            reg  [PE*OUT_BITS-1:0] level;
            reg  [OUT_BITS-1:0]   count;
            reg  signed [TH_BITS-1:0] a;
            integer r, j;
            bc_rom #(.WIDTH(PE*TW), .DEPTH(NF), .ADDR_BITS(NF_BITS), .BLOCK(CONST_BRAM), .FILE(TH_FILE))
                u_throm (.clk(clk), .addr(t_nf), .data(th_q));
            always @* begin
                for (r = 0; r < PE; r = r + 1) begin
                    a = {{(TH_BITS-ACC_BITS){acc[r*ACC_BITS + ACC_BITS-1]}}, acc[r*ACC_BITS +: ACC_BITS]};
                    if (th_q[r*TW]) a = -a;
                    count = {OUT_BITS{1'b0}};
                    for (j = 0; j < T; j = j + 1)
                        if (a >= $signed(th_q[r*TW + 1 + j*TH_BITS +: TH_BITS])) count = count + 1'b1;
                    level[r*OUT_BITS +: OUT_BITS] = count;
                end
            end
            always @(posedge clk) if (s2_done) y <= level;
            // the multiply-add constants are not used
            wire unused_files = &{1'b0, MUL_BITS[0], ADD_BITS[0], SUM_BITS[0], SHIFT[0]};
        end else begin : g_muladd
            // stage 3: y = (acc * MUL + ADD) >>> SHIFT; stage 4: clamp (hidden layers)
            wire [PE*MUL_BITS-1:0]    mul_q;
            wire [PE*ADD_BITS-1:0]    add_q;
            reg  [PE*SUM_BITS-1:0]    sum;
            reg  [PE*SUM_BITS-1:0]    sum_next;
            reg  signed [SUM_BITS-1:0] acc_x, mul_x, add_x, shifted;
            integer r, t;
            bc_rom #(.WIDTH(PE*MUL_BITS), .DEPTH(NF), .ADDR_BITS(NF_BITS), .BLOCK(CONST_BRAM), .FILE(MUL_FILE))
                u_mulrom (.clk(clk), .addr(t_nf), .data(mul_q));
            bc_rom #(.WIDTH(PE*ADD_BITS), .DEPTH(NF), .ADDR_BITS(NF_BITS), .BLOCK(CONST_BRAM), .FILE(ADD_FILE))
                u_addrom (.clk(clk), .addr(t_nf), .data(add_q));
            always @* begin
                for (r = 0; r < PE; r = r + 1) begin
                    acc_x = {{(SUM_BITS-ACC_BITS){acc[r*ACC_BITS + ACC_BITS-1]}}, acc[r*ACC_BITS +: ACC_BITS]};
                    mul_x = {{(SUM_BITS-MUL_BITS){mul_q[r*MUL_BITS + MUL_BITS-1]}}, mul_q[r*MUL_BITS +: MUL_BITS]};
                    add_x = {{(SUM_BITS-ADD_BITS){add_q[r*ADD_BITS + ADD_BITS-1]}}, add_q[r*ADD_BITS +: ADD_BITS]};
                    sum_next[r*SUM_BITS +: SUM_BITS] = acc_x * mul_x + add_x;
                end
            end
            always @(posedge clk) if (s2_done) sum <= sum_next;
            always @* begin
                y = {PE*OUT_BITS{1'b0}};
                for (t = 0; t < PE; t = t + 1) begin
                    shifted = $signed(sum[t*SUM_BITS +: SUM_BITS]) >>> SHIFT;
                    if (SCORES != 0)
                        y[t*OUT_BITS +: OUT_BITS] = shifted[OUT_BITS-1:0];
                    else if (shifted[SUM_BITS-1])
                        y[t*OUT_BITS +: OUT_BITS] = {OUT_BITS{1'b0}};
                    else if (|shifted[SUM_BITS-2:OUT_BITS])
                        y[t*OUT_BITS +: OUT_BITS] = {OUT_BITS{1'b1}};
                    else
                        y[t*OUT_BITS +: OUT_BITS] = shifted[OUT_BITS-1:0];
                end
            end
        end
    endgenerate

    // Folds are stored from the top down, so after NF of them fold 0 sits at the bottom.
    generate
        if (NF == 1) begin : g_store_whole
            always @(posedge clk) if (s3_valid) out_data <= y;
        end else begin : g_store_shift
            always @(posedge clk)
                if (s3_valid) out_data <= {y, out_data[MH*OUT_BITS-1:PE*OUT_BITS]};
        end
    endgenerate

    always @(posedge clk) begin
        if (!rst_n) begin
            busy      <= 1'b0;
            out_valid <= 1'b0;
        end else begin
            if (out_valid && out_ready) out_valid <= 1'b0;
            if (start) busy <= 1'b1;
            if (s3_valid && s3_final) begin
                busy      <= 1'b0;
                out_valid <= 1'b1;
            end
        end
    end
endmodule
`default_nettype wire
