// bc_dense: one binary-weight dense layer, MH neurons x MW inputs, folded onto PE neuron lanes
// and SIMD input lanes. No multiplier in the dot product: each weight bit selects +x or -x.
//
// Per input vector it runs NF = MH/PE neuron folds of SF = MW/SIMD input folds, one (nf, sf)
// step per cycle, then requantizes each neuron (the folded batch norm, bc_requant). The Java
// class org.bcflow.core.Reference defines the semantics; this module must match it.
//
// Concerns, each in its own module or block below:
//   bc_inbuf    the input vector, handed over one registered fold per step
//   control     the (nf, sf) step counters and the weight ROM address
//   bc_rom      the weights, one registered word per step
//   stage 1b    a second register after the memories: block RAM read data is slow, and straight
//               into the adder tree it would set the clock
//   bc_addtree  one pipelined adder tree per PE lane; the step's control travels beside it
//   accumulate  over the SF input folds of a neuron fold
//   bc_requant  the batch norm, once per neuron fold
//   store       the NF folds' outputs into the output register, and the output handshake
//   bc_outq     (STREAM = 1) the queue of finished vectors
//
// Timing: a vector accepted in cycle 0 is offered downstream in cycle NF*SF + 5 + ceil(log2(SIMD)).
// With STREAM = 0 (the layers of an MLP, one vector per image) the next vector can be accepted in
// that same cycle, so that is also the layer's period (org.bcflow.rtlgen.CycleModel). With
// STREAM = 1 (a conv layer: a vector per output pixel) vectors overlap: the next one can start in
// the cycle the last step of the one before is issued, so one vector every NF*SF cycles, while up
// to CAP vectors are started and not yet handed on (their results wait in a queue, bc_outq), CAP
// enough to keep that pace when downstream takes each result at once
// (org.bcflow.rtlgen.StreamModel). With RAM_IN = 1 "accepted" means the cycle in which the
// computation starts (bc_inbuf describes the two-bank RAM).
//
// Weight ROM layout (org.bcflow.core.RomPacking): word nf*SF+sf, bit p*SIMD+s is the weight of
// neuron nf*PE+p for input sf*SIMD+s (1 = +1).
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
    parameter integer STREAM    = 0,   // 1: vectors overlap (a conv layer), results queued
    parameter integer TH_BITS   = 20,  // signed bits of a threshold, >= ACC_BITS
    parameter         WEIGHT_FILE = "",
    parameter         MUL_FILE    = "",
    parameter         ADD_FILE    = "",
    parameter         TH_FILE     = ""
) (
    input  wire                   clk,
    input  wire                   rst_n,      // synchronous, active low
    input  wire                   in_valid,   // input stream: a whole vector (RAM_IN = 0) or one fold word
    output wire                   in_ready,
    input  wire [(RAM_IN != 0 ? SIMD : MW)*IN_BITS-1:0] in_data,  // value k at [k*IN_BITS +: IN_BITS], unsigned
    output wire                   out_valid,  // output stream: the MH outputs of one vector
    input  wire                   out_ready,
    output wire [MH*OUT_BITS-1:0] out_data    // neuron n at [n*OUT_BITS +: OUT_BITS]
);
    localparam integer NF = MH / PE;
    localparam integer SF = MW / SIMD;
    localparam integer WDEPTH = NF * SF;
    localparam integer WADDR_BITS = WDEPTH > 1 ? $clog2(WDEPTH) : 1;
    localparam integer NF_BITS = NF > 1 ? $clog2(NF) : 1;
    localparam integer SF_BITS = SF > 1 ? $clog2(SF) : 1;
    localparam integer XW = SIMD * IN_BITS;  // bits of one input fold

    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (SIMD < 1 || MW < SIMD || MW % SIMD != 0) begin : g_check_simd
            PARAMETER_CHECK_bc_dense_MW_not_divisible_by_SIMD u_check ();
        end
        if (PE < 1 || MH < PE || MH % PE != 0) begin : g_check_pe
            PARAMETER_CHECK_bc_dense_MH_not_divisible_by_PE u_check ();
        end
        if (IN_BITS < 1 || OUT_BITS < 1) begin : g_check_bits
            PARAMETER_CHECK_bc_dense_IN_BITS_or_OUT_BITS_below_1 u_check ();
        end
        // A signed accumulator needs more bits than one unsigned input. Whether it holds
        // MW * (2^IN_BITS - 1) is the generator's choice and is not checked here: sums wrap at
        // ACC_BITS, and the simulation tests show that one bit less than the generator's breaks.
        if (ACC_BITS <= IN_BITS) begin : g_check_acc
            PARAMETER_CHECK_bc_dense_ACC_BITS_not_above_IN_BITS u_check ();
        end
    endgenerate

    // ---- control: issue one (nf, sf) step per cycle while busy ----
    reg                  issuing;
    reg [WADDR_BITS-1:0] waddr;
    reg [NF_BITS-1:0]    nf;
    reg [SF_BITS-1:0]    sf;
    wire                 start;     // a whole input vector is here and the layer is free
    wire step_last_sf = sf == SF[SF_BITS-1:0] - 1'b1;
    wire step_last_nf = nf == NF[NF_BITS-1:0] - 1'b1;
    wire                 free;      // the layer can start a vector in this cycle

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

    // ---- the input vector, one registered fold per step ----
    wire [XW-1:0] x_q;
    bc_inbuf #(.MW(MW), .SIMD(SIMD), .IN_BITS(IN_BITS), .RAM_IN(RAM_IN)) u_inbuf (
        .clk(clk), .rst_n(rst_n), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
        .free(free), .start(start), .issuing(issuing), .sf(sf),
        .read_done(issuing && step_last_sf && step_last_nf), .x_q(x_q)
    );

    // ---- stage 1: the weight ROM word and the step's control, registered ----
    wire [PE*SIMD-1:0] w_q;
    bc_rom #(.WIDTH(PE*SIMD), .DEPTH(WDEPTH), .ADDR_BITS(WADDR_BITS), .BLOCK(WEIGHT_BRAM), .FILE(WEIGHT_FILE))
        u_wrom (.clk(clk), .addr(waddr), .data(w_q));
    reg               s1_valid, s1_first, s1_last, s1_final;
    reg [NF_BITS-1:0] s1_nf;
    always @(posedge clk) begin
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
    wire [PE*OUT_BITS-1:0] y;  // the fold's PE outputs, stored below
    bc_requant #(.PE(PE), .NF(NF), .ACC_BITS(ACC_BITS), .MUL_BITS(MUL_BITS), .ADD_BITS(ADD_BITS), .SUM_BITS(SUM_BITS),
                 .SHIFT(SHIFT), .OUT_BITS(OUT_BITS), .SCORES(SCORES), .THRESH(THRESH), .TH_BITS(TH_BITS),
                 .CONST_BRAM(CONST_BRAM), .MUL_FILE(MUL_FILE), .ADD_FILE(ADD_FILE), .TH_FILE(TH_FILE))
        u_requant (.clk(clk), .nf(t_nf), .load(s2_done), .acc(acc), .y(y));

    // Folds are stored from the top down, so after NF of them fold 0 sits at the bottom.
    reg [MH*OUT_BITS-1:0] folds;
    wire [MH*OUT_BITS-1:0] whole;  // the vector's outputs, complete with its last fold
    generate
        if (NF == 1) begin : g_store_whole
            assign whole = y;
            wire unused_folds = &{1'b0, folds};
        end else begin : g_store_shift
            assign whole = {y, folds[MH*OUT_BITS-1:PE*OUT_BITS]};
        end
    endgenerate
    always @(posedge clk) if (s3_valid) folds <= whole;

    generate
        if (STREAM == 0) begin : g_single
            // one vector at a time: free once its result is stored and the output register is free
            reg busy;  // started a vector, result not yet stored
            reg o_valid;
            assign out_valid = o_valid;
            assign out_data = folds;
            assign free = !busy && (!o_valid || out_ready);
            always @(posedge clk) begin
                if (!rst_n) begin
                    busy    <= 1'b0;
                    o_valid <= 1'b0;
                end else begin
                    if (o_valid && out_ready) o_valid <= 1'b0;
                    if (start) busy <= 1'b1;
                    if (s3_valid && s3_final) begin
                        busy    <= 1'b0;
                        o_valid <= 1'b1;
                    end
                end
            end
        end else begin : g_stream
            // vectors overlap: a new one starts with the last step of the one before, while fewer
            // than CAP are started and not handed on; their results wait in bc_outq
            localparam integer LAT = NF * SF + 5 + TREE;  // start to result, as for STREAM = 0
            // in steady state floor(LAT / (NF*SF)) vectors are started and not yet handed on when the next starts
            localparam integer CAP = LAT / (NF * SF) + 1;
            localparam integer H_BITS = $clog2(CAP + 1);
            reg [H_BITS-1:0] held;  // vectors started and not handed on
            wire take = out_valid && out_ready;
            assign free = (!issuing || (step_last_sf && step_last_nf)) && held != CAP[H_BITS-1:0];
            always @(posedge clk) begin
                if (!rst_n) held <= {H_BITS{1'b0}};
                else if (start && !take) held <= held + 1'b1;
                else if (take && !start) held <= held - 1'b1;
            end
            bc_outq #(.WIDTH(MH*OUT_BITS), .DEPTH(CAP)) u_outq (
                .clk(clk), .rst_n(rst_n), .push(s3_valid && s3_final), .push_data(whole),
                .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data)
            );
            wire unused_oldest_fold = &{1'b0, folds};  // the queue takes `whole`; the oldest fold is in it already
        end
    endgenerate
endmodule
`default_nettype wire
